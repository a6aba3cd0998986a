/**
 * `llmo ask` end to end: the built CLI, through each vendor's real SDK, against the fake
 * providers speaking the vendors' recorded wire protocols.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countTokens, startFakeProviders, type FakeProvider, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome, runLlmo, spawnLlmo } from './helpers/run-llmo.js';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  GEMINI_API_KEY: 'AIza-test-0123456789abcdef',
  MISTRAL_API_KEY: 'mistral-test-0123456789abcdef',
  DEEPSEEK_API_KEY: 'sk-test-deepseek-0123456789abcdef',
  MYLLM_API_KEY: 'myllm-test-0123456789abcdef',
};

let fake: FakeProviders;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeProviders();
  home = makeHome();
  // A provider that exists only in the user's models.yaml: any OpenAI-compatible endpoint.
  writeFileSync(
    path.join(home, 'models.yaml'),
    `myllm:\n  api: openai\n  api_key_name: MYLLM_API_KEY\n  base_url: ${fake.baseURLs.compat}\n  models:\n    - name: tiny-1\n      aliases: [tiny]\n      pricing: { input: 1.0, output: 2.0 }\n`,
  );
  // Fast retries, so the retry tests take milliseconds.
  writeFileSync(path.join(home, 'config.yaml'), 'request:\n  retries: 2\n  retry_base_delay_ms: 5\n  retry_max_delay_ms: 20\n');
  env = { ...fake.env(), ...KEYS };
});

afterAll(async () => {
  await fake.close();
  removeHome(home);
});

beforeEach(() => fake.reset());

const ask = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  runLlmo(['ask', '--no-save', ...args], { home, env: { ...env, ...options.env }, ...(options.input === undefined ? {} : { input: options.input }) });

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
    expect(result.stderr).toMatch(/^llmo: openai\b.*API key/m);
    expect(result.stderr).toMatch(/request (id )?req_/);
    expect(result.stdout + result.stderr).not.toContain(KEYS.OPENAI_API_KEY);
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });

  it.each(['anthropic', 'gemini', 'mistral'] as const)('exits 4 when %s rejects the key, without the key', async (provider) => {
    fake.enqueue(provider, { error: { status: 401 } });
    const result = await ask(['-m', provider, 'hi']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^llmo: ${provider}\\b`, 'm'));
    for (const key of Object.values(KEYS)) expect(result.stdout + result.stderr).not.toContain(key);
  });

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
      writeFileSync(path.join(projectHome, 'models.yaml'), 'openai:\n  models:\n    - name: gpt-x\n      pricing: { input: cheap, output: 1 }\n');
      const result = await runLlmo(['ask', '-m', 'openai', 'hi'], { home: projectHome, env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`${path.join(projectHome, 'models.yaml')}:4: openai.models[0].pricing.input: must be a non-negative number`);
    } finally {
      removeHome(projectHome);
    }
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
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requestsFor('openai')[0]?.aborted).toBe(true);
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
