/**
 * `llmo ask` end to end: the built CLI, through each vendor's real SDK, against the fake
 * providers speaking the vendors' recorded wire protocols.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countTokens, generateWords, type FakeProvider, type FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { cleanEnv, llmoBin, makeHome, removeHome, runLlmo, spawnLlmo } from './helpers/run-llmo.js';
import { addKey, initVault, llmo } from './helpers/vault-home.js';
import { waitUntil } from './helpers/wait-until.js';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  GEMINI_API_KEY: 'AIza-test-0123456789abcdef',
  MISTRAL_API_KEY: 'mistral-test-0123456789abcdef',
  DEEPSEEK_API_KEY: 'sk-test-deepseek-0123456789abcdef',
  MYLLM_API_KEY: 'myllm-test-0123456789abcdef',
};

// Fast retries, so the retry tests take milliseconds.
const e2e = useE2e({ home: 'file', config: 'request:\n  retries: 2\n  retry_base_delay_ms: 5\n  retry_max_delay_ms: 20\n' });
// The tests read this file's fakes, home and run environment by these names.
let fake: FakeProviders;
let home: string;
let env: Record<string, string | undefined>;

beforeAll(() => {
  ({ fake, home } = e2e);
  // A provider that exists only in the user's models.yaml: any OpenAI-compatible endpoint.
  writeFileSync(
    path.join(home, 'models.yaml'),
    `myllm:\n  api: openai\n  api_key_name: MYLLM_API_KEY\n  base_url: ${fake.baseURLs.compat}\n  models:\n    - name: tiny-1\n      aliases: [tiny]\n      pricing: { input: 1.0, output: 2.0 }\n`,
  );
  env = e2e.env(KEYS);
});

const ask = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  runLlmo(['ask', '--no-save', ...args], {
    home,
    env: { ...env, ...options.env },
    ...(options.input === undefined ? {} : { input: options.input }),
  });

const CASES: { ref: string; provider: FakeProvider; model: string }[] = [
  { ref: 'anthropic:claude-haiku-4-5', provider: 'anthropic', model: 'claude-haiku-4-5' },
  { ref: 'openai:gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini' },
  { ref: 'gemini:gemini-2.5-flash', provider: 'gemini', model: 'gemini-2.5-flash' },
  { ref: 'mistral:mistral-small-latest', provider: 'mistral', model: 'mistral-small-latest' },
  { ref: 'deepseek', provider: 'deepseek', model: 'deepseek-chat' },
  { ref: 'tiny', provider: 'compat', model: 'tiny-1' },
];

describe.each(CASES)('ask -m $ref', ({ ref, provider, model }) => {
  const reply = `Hello from fake ${provider} (${model}).`;

  it('streams the reply to stdout through the SDK', async () => {
    fake.enqueue(provider, { text: 'Streaming works across several chunks of words here.', chunkDelayMs: 5 });
    const result = await ask(['-m', ref, 'Say hello']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Streaming works across several chunks of words here.\n');
    const [request] = fake.requestsFor(provider);
    expect(request?.stream).toBe(true);
    expect(JSON.stringify(request?.body)).toContain('Say hello');
  });

  it('gives the same text with --no-stream', async () => {
    const result = await ask(['-m', ref, '--no-stream', 'Say hello']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${reply}\n`);
    expect(fake.requestsFor(provider)[0]?.stream).toBe(false);
  });

  it('prints the JSON object with the usage the fake reported', async () => {
    fake.enqueue(provider, { usage: { inputTokens: 42, outputTokens: 7 } });
    const result = await ask(['-m', ref, '--json', 'Say hello']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      provider: provider === 'compat' ? 'myllm' : provider,
      text: reply,
      finish_reason: 'stop',
      usage: { input_tokens: 42, output_tokens: 7 },
      conversation_id: null,
    });
    expect(typeof output.model).toBe('string');
    expect(output.duration_ms).toBeGreaterThanOrEqual(0);
    if (provider === 'compat') expect(output.cost_usd).toBeCloseTo((42 * 1 + 7 * 2) / 1e6, 12);
  });
});

describe('prompt from stdin', () => {
  it('appends piped text to the prompt', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'summarize:'], { input: 'some text\n' });
    expect(result.code).toBe(0);
    const messages = fake.requestsFor('openai')[0]?.body.messages;
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'summarize:\n\nsome text' });
  });

  it('takes the whole prompt from stdin', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini'], { input: 'only on stdin' });
    expect(result.code).toBe(0);
    expect(fake.requestsFor('openai')[0]?.body.messages.at(-1).content).toBe('only on stdin');
  });

  it('refuses an empty prompt with a usage error', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no prompt/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('system prompts', () => {
  it('sends persona, role and -s text as the system prompt', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--persona', 'poet', '--role', 'summarize', '-s', 'Be brief.', 'hi']);
    expect(result.code).toBe(0);
    const system = fake.requestsFor('openai')[0]?.body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/poet[\s\S]*Summarise[\s\S]*Be brief\.$/);
  });

  it('rejects an unknown persona with exit 3 listing the known ones', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--persona', 'pirate', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('unknown persona "pirate"');
    expect(result.stderr).toContain('developer');
  });
});

describe('failures', () => {
  it('retries a 429 once and succeeds', async () => {
    fake.enqueue('openai', { error: { status: 429, retryAfterMs: 10 } });
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello from fake openai (gpt-4o-mini).\n');
    expect(result.stderr).toMatch(/retrying in 0\.0 s \(attempt 1 of 2\)/);
    expect(fake.requestsFor('openai')).toHaveLength(2);
  });

  it('honours retry-after from Anthropic', async () => {
    fake.enqueue('anthropic', { error: { status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    const result = await ask(['-m', 'haiku', 'hi']);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.stderr).toMatch(/retrying in 1\.0 s/);
  });

  it('exits 4 on 401 with the provider message and without the key', async () => {
    fake.enqueue('openai', { error: { status: 401 } });
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'hi']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^llmo: openai: API key rejected: /m);
    expect(result.stderr).toMatch(/request (id )?req_/);
    expect(result.stdout + result.stderr).not.toContain(KEYS.OPENAI_API_KEY);
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });

  it.each(['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'] as const)(
    'exits 4 when %s rejects the key, saying so in the one shape every provider uses, without the key',
    async (provider) => {
      fake.enqueue(provider, { error: { status: 401 } });
      const result = await ask(['-m', provider, 'hi']);
      expect(result.code).toBe(4);
      const [message, hint] = result.stderr.trimEnd().split('\n');
      expect(message).toMatch(new RegExp(`^llmo: ${provider}: API key rejected: \\S.* \\(HTTP \\d{3}(, request id \\S+)?\\)$`));
      expect(hint).toBe(`  \`llmo auth status\` shows where the ${provider} key comes from; replace it with \`llmo auth add ${provider}\``);
      expect(result.stdout).toBe('');
      for (const key of Object.values(KEYS)) expect(result.stdout + result.stderr).not.toContain(key);
    },
  );

  it('exits 5 after retries on 5xx', async () => {
    fake.enqueue('anthropic', { error: { status: 529 } }, { error: { status: 529 } }, { error: { status: 529 } });
    const result = await ask(['-m', 'haiku', 'hi']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Overloaded/i);
    expect(fake.requestsFor('anthropic')).toHaveLength(3);
  });

  it('keeps the partial text on stdout when a stream is cut, exit 5, and says so', async () => {
    fake.enqueue('openai', { words: 40, cutAfterChunks: 2 });
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'hi']);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('the quick brown fox jumps over\n');
    expect(result.stderr).toMatch(/cut/i);
    expect(result.stderr).toMatch(/partial reply above is incomplete/);
    // Text had been shown: no retry.
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });

  it('exits 3 on an unknown alias, listing close matches', async () => {
    const result = await ask(['-m', 'sonet', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/unknown model or alias "sonet"; did you mean .*sonnet/);
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 3 on an unknown provider', async () => {
    const result = await ask(['-m', 'openia:gpt-4o', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/unknown provider "openia".*did you mean .*openai/);
  });

  it('passes an unlisted model through, noting it is unpriced', async () => {
    const result = await ask(['-m', 'openai:gpt-99-experimental', '--json', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/openai:gpt-99-experimental is not listed in models\.yaml.*unpriced/);
    expect(JSON.parse(result.stdout).cost_usd).toBeNull();
    expect(fake.requestsFor('openai')[0]?.body.model).toBe('gpt-99-experimental');
  });

  it('exits 4 without a key, naming the variable and llmo auth add', async () => {
    const result = await ask(['-m', 'mistral', 'hi'], { env: { MISTRAL_API_KEY: undefined } });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('MISTRAL_API_KEY');
    expect(result.stderr).toContain('llmo auth add mistral');
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 3 on bad YAML, naming the file and line', async () => {
    const projectHome = makeHome();
    try {
      writeFileSync(path.join(projectHome, 'models.yaml'), 'openai:\n  models:\n    - name: x\n   bad: [\n');
      const result = await runLlmo(['ask', '-m', 'openai', 'hi'], { home: projectHome, env });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`${path.join(projectHome, 'models.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
      expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    } finally {
      removeHome(projectHome);
    }
  });

  it('exits 3 on an invalid field, naming file, line and field', async () => {
    const projectHome = makeHome();
    try {
      writeFileSync(
        path.join(projectHome, 'models.yaml'),
        'openai:\n  models:\n    - name: gpt-x\n      pricing: { input: cheap, output: 1 }\n',
      );
      const result = await runLlmo(['ask', '-m', 'openai', 'hi'], { home: projectHome, env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `${path.join(projectHome, 'models.yaml')}:4: openai.models[0].pricing.input: must be a non-negative number`,
      );
    } finally {
      removeHome(projectHome);
    }
  });

  it('--timeout limits silence, not length: a Gemini answer that keeps flowing for longer is not cut', async () => {
    // 4.8 s of answer in 0.4 s gaps, under a 3 s timeout: room for a busy machine in every gap.
    fake.enqueue('gemini', { words: 12, chunkDelayMs: 400 });
    const result = await ask(['-m', 'gemini', '--timeout', '3', 'hi']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${generateWords(12)}\n`);
  });

  it('exits 2 on a --timeout that is not a positive number, before anything is sent', async () => {
    for (const value of ['abc', '0', '-5']) {
      const result = await ask(['-m', 'openai:gpt-4o-mini', '--timeout', value, 'hi']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`llmo: --timeout must be a positive number of seconds, got "${value}"\n`);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 2 on an unknown flag', async () => {
    const result = await ask(['--frobnicate', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('exits 130 on Ctrl-C, cancelling the request', async () => {
    fake.enqueue('openai', { words: 400, chunkDelayMs: 20 });
    const child = spawnLlmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hi'], { home, env });
    child.stdin!.end();
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.length > 20) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stdout.startsWith('the quick brown fox')).toBe(true);
    await waitUntil(() => fake.requestsFor('openai')[0]?.aborted === true, 'the provider to see the request cancelled');
  });
});

describe('what stdout alone cannot tell is said on stderr', () => {
  it('a reply cut at the output limit: the text on stdout, exit 0, and a warning naming --max-tokens', async () => {
    fake.enqueue('openai', { finishReason: 'length' });
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--max-tokens', '12', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello from fake openai (gpt-4o-mini).\n');
    expect(result.stderr).toBe('llmo: warning: the reply was cut off at --max-tokens 12; raise --max-tokens for the rest\n');
  });

  it('a reply that spent the whole limit on reasoning: nothing on stdout, and why', async () => {
    fake.enqueue('deepseek', { text: '', reasoning: 'Let me think this through at length.', finishReason: 'length' });
    const result = await ask(['-m', 'deepseek', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^llmo: warning: deepseek:deepseek-chat spent all of the default of \d+ output tokens \(request\.max_tokens\) on reasoning and gave no answer; raise --max-tokens$/m,
    );
  });

  it('an empty reply is noted, not silent', async () => {
    fake.enqueue('anthropic', { text: '' });
    const result = await ask(['-m', 'haiku', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('llmo: anthropic:claude-haiku-4-5 sent an empty reply\n');
  });

  it("a reply stopped by the vendor's content filter", async () => {
    fake.enqueue('openai', { finishReason: 'content_filter' });
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('llmo: warning: openai stopped the reply with its content filter; the reply is incomplete\n');
  });

  it("a reply the vendor ended on its own failure (DeepSeek's insufficient_system_resource) exits 5", async () => {
    fake.enqueue('deepseek', { finishReason: 'insufficient_system_resource' });
    const result = await ask(['-m', 'deepseek', 'hi']);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('Hello from fake deepseek (deepseek-chat).\n');
    expect(result.stderr).toMatch(/^llmo: deepseek: the reply ended with an error on the provider's side; it may be incomplete/);
  });
});

describe('input llmo refuses to send', () => {
  it('binary data on stdin: exit 2, nothing sent', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'describe:'], { input: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^llmo: stdin looks like binary data, not text \(it has NUL bytes\); nothing was sent$/m);
    expect(fake.requests).toHaveLength(0);
  });

  it('10 MB piped: refused, naming the context window, nothing sent', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'summarize:'], { input: 'lorem ipsum dolor sit amet '.repeat(400_000) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^llmo: the prompt is at least 1,100,00\d tokens, more than the 128,000-token context window of openai:gpt-4o-mini; nothing was sent$/m,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('a long prompt that may fit is sent, and the vendor has the last word', async () => {
    // 400 KB of prose is about 100k real tokens: under gpt-4o-mini's 128k window.
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'summarize:'], {
      input: 'The quick brown fox jumps over the lazy dog. '.repeat(9_000),
    });
    expect(result.code).toBe(0);
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });
});

describe('--json', () => {
  it('prints exactly the fields of DESIGN.md, in order, and nothing else on stdout', async () => {
    const result = await runLlmo(['ask', '-m', 'openai:gpt-4o-mini', '--json', 'hi'], { home, env });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(Object.keys(output)).toEqual([
      'provider',
      'model',
      'text',
      'finish_reason',
      'usage',
      'cost_usd',
      'duration_ms',
      'conversation_id',
    ]);
    expect(Object.keys(output.usage)).toEqual([
      'input_tokens',
      'output_tokens',
      'cached_input_tokens',
      'cache_write_tokens',
      'reasoning_tokens',
    ]);
    expect(output.conversation_id).toMatch(/^chat_\d{8}_\d{6}/);
    expect(typeof output.cost_usd).toBe('number');
  });

  it('on a stream cut mid-way: the JSON carries the partial text and the error; stderr does not point at a reply "above"', async () => {
    fake.enqueue('openai', { words: 40, cutAfterChunks: 2 });
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--json', 'hi']);
    expect(result.code).toBe(5);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      text: 'the quick brown fox jumps over',
      finish_reason: 'error',
      error: { kind: 'ProviderUnavailableError' },
    });
    expect(output.error.message).toMatch(/^openai: the response was cut off mid-stream/);
    expect(result.stderr).not.toMatch(/above/);
  });
});

describe('usage numbers', () => {
  it('reports what the fake counted when no override is given', async () => {
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--json', 'count me']);
    const output = JSON.parse(result.stdout);
    expect(output.usage.output_tokens).toBe(countTokens('Hello from fake openai (gpt-4o-mini).'));
    expect(output.usage.input_tokens).toBeGreaterThan(0);
  });
});

describe('llmo models', () => {
  it('says where each key comes from, vault included, and never shows a secret in a base URL', async () => {
    const modelsHome = makeHome();
    try {
      writeFileSync(
        path.join(modelsHome, 'models.yaml'),
        'proxied:\n  api: openai\n  api_key_name: PROXIED_API_KEY\n  base_url: https://alice:hunter2-secret@proxy.example/v1?api-key=query-secret\n  models:\n    - name: m1\n',
      );
      const passwordFile = await initVault(modelsHome);
      await addKey(modelsHome, 'anthropic', 'sk-ant-in-the-vault-0123456789', passwordFile);
      const keyOf = (rows: { provider: string; key: string }[], provider: string) => rows.find((row) => row.provider === provider)?.key;

      const locked = await llmo(modelsHome, ['models', '--json'], { env: { OPENAI_API_KEY: KEYS.OPENAI_API_KEY } });
      expect(locked.code).toBe(0);
      const lockedRows = JSON.parse(locked.stdout);
      expect(keyOf(lockedRows, 'openai')).toBe('env');
      // Locked: the vault may hold a key; llmo models asks for no password to find out.
      expect(keyOf(lockedRows, 'anthropic')).toBe('locked');
      expect(keyOf(lockedRows, 'ollama')).toBe('not-needed');
      const proxied = lockedRows.find((row: { provider: string }) => row.provider === 'proxied');
      expect(proxied.base_url).toBe('https://REDACTED:REDACTED@proxy.example/v1?api-key=REDACTED');

      const exported = await llmo(modelsHome, ['auth', 'unlock', '--export', '--ttl', '5m', '--password-file', passwordFile]);
      const session = /LLMO_SESSION=(\S+)/.exec(exported.stdout)![1]!;
      const unlocked = await llmo(modelsHome, ['models'], { env: { LLMO_SESSION: session } });
      expect(unlocked.code).toBe(0);
      expect(unlocked.stdout).toMatch(/^anthropic:claude-haiku-4-5 .* vault$/m);
      expect(unlocked.stdout).toMatch(/^gemini:\S+ .* missing$/m);
      const everything = locked.stdout + locked.stderr + unlocked.stdout + unlocked.stderr;
      for (const secret of ['hunter2-secret', 'query-secret', 'sk-ant-in-the-vault', KEYS.OPENAI_API_KEY])
        expect(everything).not.toContain(secret);
      await llmo(modelsHome, ['auth', 'lock'], { env: { LLMO_SESSION: session } });
    } finally {
      removeHome(modelsHome);
    }
  });
});

describe('a bare prompt', () => {
  const bare = (args: string[], input?: string) => runLlmo(args, { home, env, ...(input === undefined ? {} : { input }) });

  it('`llmo "question"` asks it with the default model', async () => {
    const result = await bare(['What is 2 + 2?']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Hello from fake anthropic/);
    expect(JSON.stringify(fake.requestsFor('anthropic')[0]?.body.messages)).toContain('What is 2 + 2?');
  });

  it('`llmo -m MODEL "question"` takes the options as ask\'s', async () => {
    const result = await bare(['-m', 'openai:gpt-4o-mini', '--no-save', 'What is 2 + 2?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Hello from fake openai/);
  });

  it('`echo q | llmo` asks what came on stdin', async () => {
    const result = await bare([], 'piped question');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Hello from fake anthropic/);
    expect(JSON.stringify(fake.requestsFor('anthropic')[0]?.body.messages)).toContain('piped question');
  });

  it('a word a typo away from a command gets "did you mean", not a request', async () => {
    const result = await bare(['chian', 'run', 'research']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "chian"; did you mean chain?');
    expect(result.stderr).toContain('llmo ask chian run research');
    expect(fake.requests).toHaveLength(0);
  });

  it('an unquoted question whose first word is close to a command is still asked', async () => {
    const result = await bare(['what', 'is', 'up']);
    expect(result.code).toBe(0);
    expect(JSON.stringify(fake.requestsFor('anthropic')[0]?.body.messages)).toContain('what is up');
  });
});

describe('model references and providers that cannot work', () => {
  const inHome = async (models: string, args: string[]) => {
    const other = makeHome();
    try {
      writeFileSync(path.join(other, 'models.yaml'), models);
      return await runLlmo(['ask', '--no-save', ...args], { home: other, env });
    } finally {
      removeHome(other);
    }
  };

  it('a user provider without base_url is a configuration error, not a request to a vendor', async () => {
    const result = await inHome('nourl:\n  api: openai\n  api_key_name: MYLLM_API_KEY\n  models: [tiny-1]\n', ['-m', 'nourl', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('provider "nourl" has no base_url');
    expect(result.stderr).toContain('NOURL_BASE_URL');
    expect(fake.requests).toHaveLength(0);
  });

  it('a bare model name two providers declare is refused, naming both', async () => {
    const result = await inHome(`dup:\n  base_url: ${fake.baseURLs.compat}\n  models: [gpt-4o-mini]\n`, ['-m', 'gpt-4o-mini', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"gpt-4o-mini" is a model of openai and dup; say which');
    expect(result.stderr).toContain('use openai:gpt-4o-mini or dup:gpt-4o-mini');
    expect(fake.requests).toHaveLength(0);
  });

  it('a user alias colliding with a shipped one is reported, naming both', async () => {
    const result = await inHome(`dup:\n  base_url: ${fake.baseURLs.compat}\n  models:\n    - name: x\n      aliases: [sonnet]\n`, [
      '-m',
      'openai',
      'hi',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('alias "sonnet" of dup:x is also the alias of anthropic:claude-sonnet-5-5');
    expect(fake.requests).toHaveLength(0);
  });

  it('-m openai: says the model name is missing', async () => {
    const result = await ask(['-m', 'openai:', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"openai:" names no model after the provider');
    expect(fake.requests).toHaveLength(0);
  });
});

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

describe.skipIf(!hasScript)('markdown on a terminal', () => {
  /** ask on a real pseudo-terminal (util-linux `script`); stdin stays empty, as in the other tests. */
  const onTerminal = (args: string[]) =>
    new Promise<{ code: number | null; shown: string }>((resolve, reject) => {
      const command = [process.execPath, llmoBin, 'ask', '--no-save', ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
      // Not spawnSync: the fake providers answer from this process's event loop.
      const child = spawn('script', ['-qec', `${command} </dev/null`, '/dev/null'], {
        env: cleanEnv(home, { ...env, COLUMNS: '80' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let shown = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (shown += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, shown: shown.replaceAll('\r\n', '\n') });
      });
    });
  const reply = '# Plan\n\nThree **bold** steps:\n\n- first\n- second\n';

  it('renders the reply as markdown on a terminal', async () => {
    fake.enqueue('openai', { text: reply });
    const result = await onTerminal(['-m', 'openai:gpt-4o-mini', 'plan it']);
    expect(result.code).toBe(0);
    expect(result.shown).toContain('Three bold steps:');
    expect(result.shown).not.toContain('**bold**');
  });

  it('--raw prints it as the model sent it', async () => {
    fake.enqueue('openai', { text: reply });
    const result = await onTerminal(['-m', 'openai:gpt-4o-mini', '--raw', 'plan it']);
    expect(result.code).toBe(0);
    expect(result.shown).toContain('Three **bold** steps:');
  });

  it('a pipe gets the text as the model sent it', async () => {
    fake.enqueue('openai', { text: reply });
    const result = await ask(['-m', 'openai:gpt-4o-mini', 'plan it']);
    expect(result.stdout).toBe(reply);
  });
});
