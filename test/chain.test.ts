// `llmo chain` end to end: the built CLI against the fake providers, in a throwaway LLMO_HOME.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { cleanEnv, llmoBin, runLlmo, spawnLlmo, savedRuns, TEST_KEYS } from './helpers/run-llmo.js';
import { waitUntil } from './helpers/wait-until.js';

const KEYS = TEST_KEYS;

const CONFIG = `
request:
  retries: 1
  retry_base_delay_ms: 1
  retry_max_delay_ms: 5
chains:
  relay:
    description: three providers in a row
    steps:
      - name: first
        model: openai
        prompt: "Start from: {{input}}"
      - name: second
        model: anthropic
        role: critique
        prompt: "Improve: {{previous}}"
      - name: third
        model: gemini
        prompt: "Finish: {{steps.second.output}}"
  panel:
    description: three opinions, then a merge
    steps:
      - name: opinions
        parallel: [ openai, mistral, deepseek ]
        prompt: "{{input}}"
      - name: merge
        model: anthropic
        prompt: "Merge:\\n{{steps.opinions.outputs}}"
  careful:
    steps:
      - name: answer
        model: openai
        fallback: [gemini]
  slow:
    steps:
      - name: quick
        model: openai
      - name: slow
        model: anthropic
      - name: never
        model: gemini
`;

const e2e = useE2e({ config: CONFIG });
const run = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  e2e.run(args, { input: options.input, env: options.env ?? {} });

/** The request body as text, to check what a step was sent. */
const bodyText = (request: RecordedRequest) => JSON.stringify(request.body);

/** The user prompt of an Anthropic request. */
function anthropicPrompt(request: RecordedRequest): string {
  const content = request.body.messages.at(-1).content;
  return typeof content === 'string' ? content : content.map((block: { text: string }) => block.text).join('');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = (condition: () => boolean) => waitUntil(condition, 'the fake provider to see it');

describe('llmo chain run', () => {
  it('runs three steps across three providers, each sent the previous output', async () => {
    e2e.fake.enqueue('openai', { text: 'OPENAI-SAYS-ONE' });
    e2e.fake.enqueue('anthropic', { text: 'ANTHROPIC-SAYS-TWO' });
    e2e.fake.enqueue('gemini', { text: 'GEMINI-SAYS-THREE' });
    const result = await run(['chain', 'run', 'relay', 'seed', 'text']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('GEMINI-SAYS-THREE\n');
    expect(e2e.fake.requests.map((request) => request.provider)).toEqual(['openai', 'anthropic', 'gemini']);
    const [openai, anthropic, gemini] = e2e.fake.requests;
    expect(bodyText(openai!)).toContain('Start from: seed text');
    expect(anthropicPrompt(anthropic!)).toBe('Improve: OPENAI-SAYS-ONE');
    expect(anthropic!.body.system).toBeDefined(); // the critique role's system prompt
    expect(bodyText(gemini!)).toContain('Finish: ANTHROPIC-SAYS-TWO');
    const [saved] = savedRuns(e2e.home);
    expect(saved).toMatchObject({
      kind: 'chain',
      status: 'ok',
      exit_code: 0,
      input: 'seed text',
      output: 'GEMINI-SAYS-THREE',
      chain: { name: 'relay', source: 'config' },
    });
    expect(saved!.steps.map((step: { output: string }) => step.output)).toEqual([
      'OPENAI-SAYS-ONE',
      'ANTHROPIC-SAYS-TWO',
      'GEMINI-SAYS-THREE',
    ]);
  });

  it('warns and still runs when the data folder cannot be written, as ask does', async () => {
    // runs/ and usage/ are files: nothing can be saved under them.
    writeFileSync(path.join(e2e.home, 'runs'), '');
    writeFileSync(path.join(e2e.home, 'usage'), '');
    const result = await run(['chain', 'run', 'careful', 'hello']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Hello from fake openai');
    expect(result.stderr).toMatch(/llmo: warning: cannot save the run in .*runs.*; the run goes on without being saved/);
  });

  it('sends every branch of a parallel stage at once, however many there are', async () => {
    // Slow replies, so that calls started together are all in flight when the last one arrives.
    for (const provider of ['openai', 'gemini', 'mistral'] as const) e2e.fake.setDefault(provider, { firstChunkDelayMs: 2000 });
    const twelve = Array.from({ length: 4 }, () => '(openai) | (gemini) | (mistral)').join(' | ');
    const result = await run(['chain', 'run', `[${twelve}]`, 'go']);
    expect(result.code).toBe(0);
    expect(e2e.fake.requests).toHaveLength(12);
    expect(Math.max(...e2e.fake.requests.map((request) => request.inFlight))).toBe(12);
  });

  it('takes the input from piped stdin', async () => {
    e2e.fake.enqueue('openai', { text: 'one' });
    const result = await run(['chain', 'run', 'summarize(openai)'], { input: 'piped notes\n' });
    expect(result.code).toBe(0);
    expect(bodyText(e2e.fake.requests[0]!)).toContain('piped notes');
  });

  it('gives the merge step exactly the good outputs when one branch fails after its retries: exit 10', async () => {
    e2e.fake.enqueue('openai', { text: 'OPINION-FROM-OPENAI' });
    e2e.fake.enqueue('mistral', { error: { status: 500 } }, { error: { status: 500 } });
    e2e.fake.enqueue('deepseek', { text: 'OPINION-FROM-DEEPSEEK' });
    e2e.fake.enqueue('anthropic', { text: 'MERGED' });
    const result = await run(['chain', 'run', 'panel', 'what now?']);
    expect(result.code).toBe(10);
    expect(result.stdout).toBe('MERGED\n');
    expect(result.stderr).toMatch(/llmo: the chain finished, but 1 parallel branch failed: opinions: mistral:\S+: \S/);
    expect(e2e.fake.requestsFor('mistral')).toHaveLength(2); // the first try and one retry
    const merge = anthropicPrompt(e2e.fake.requestsFor('anthropic')[0]!);
    expect(merge).toMatch(
      /^Merge:\n--- output 1 of 2 \(openai:\S+\) ---\nOPINION-FROM-OPENAI\n\n--- output 2 of 2 \(deepseek:deepseek-chat\) ---\nOPINION-FROM-DEEPSEEK$/,
    );
    const [saved] = savedRuns(e2e.home);
    expect(saved!.status).toBe('partial');
    expect(saved!.steps[0].branches.map((branch: { status: string }) => branch.status)).toEqual(['ok', 'error', 'ok']);
  });

  it('uses the fallback model when the first fails after its retries', async () => {
    e2e.fake.enqueue('openai', { error: { status: 500 } }, { error: { status: 500 } });
    e2e.fake.enqueue('gemini', { text: 'FALLBACK-ANSWER' });
    const result = await run(['chain', 'run', 'careful', 'question']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('FALLBACK-ANSWER\n');
    expect(result.stderr).toContain('trying the next fallback model');
    expect(e2e.fake.requests.map((request) => request.provider)).toEqual(['openai', 'openai', 'gemini']);
    const [saved] = savedRuns(e2e.home);
    expect(saved!.steps[0].model).toMatch(/^gemini:/);
    expect(saved!.steps[0].branches[0].attempts.map((attempt: { status: string }) => attempt.status)).toEqual(['error', 'ok']);
  });

  it('exits 5 when the first step produces nothing, and says which step and why', async () => {
    e2e.fake.enqueue('openai', { error: { status: 500 } }, { error: { status: 500 } });
    const result = await run(['chain', 'run', 'relay', 'x']);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/llmo: step "first" failed: openai: /);
    expect(e2e.fake.requestsFor('anthropic')).toHaveLength(0);
    expect(savedRuns(e2e.home)[0]).toMatchObject({ status: 'failed', exit_code: 5 });
  });

  it('prints every step as JSON with --json, including the failed one and the outputs before it', async () => {
    e2e.fake.enqueue('openai', { text: 'FIRST' });
    e2e.fake.enqueue('anthropic', { error: { status: 500 } }, { error: { status: 500 } });
    const result = await run(['chain', 'run', 'relay', 'x', '--json']);
    expect(result.code).toBe(10);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ kind: 'chain', status: 'partial', exit_code: 10 });
    expect(output.steps.map((step: { name: string; status: string }) => [step.name, step.status])).toEqual([
      ['first', 'ok'],
      ['second', 'failed'],
      ['third', 'skipped'],
    ]);
    const first = output.steps[0];
    expect(first).toMatchObject({ output: 'FIRST', provider: 'openai', status: 'ok', error: null });
    expect(first.model).toMatch(/^openai:/);
    expect(first.usage.output_tokens).toBeGreaterThan(0);
    expect(typeof first.duration_ms).toBe('number');
    expect(first).toHaveProperty('cost_usd');
    expect(output.steps[1].error.message).toMatch(/^step "second" failed: anthropic: /);
    expect(savedRuns(e2e.home)[0]!.id).toBe(output.id);
  });

  it('--dry-run prints the resolved plan and sends nothing, even without any key', async () => {
    const result = await runLlmo(['chain', 'run', 'relay', '--dry-run', 'my', 'input'], { home: e2e.home, env: e2e.fake.env() });
    expect(result.code).toBe(0);
    expect(e2e.fake.requests).toEqual([]);
    expect(result.stdout).toContain('chain relay: three providers in a row');
    expect(result.stdout).toMatch(/model +openai → openai:\S+/);
    expect(result.stdout).toMatch(/prompt +│ Start from: my input/);
    expect(result.stdout).toMatch(/prompt +│ Improve: ‹output of step first›/);
    expect(result.stdout).toMatch(/prompt +│ Finish: ‹output of step second›/);
    expect(result.stdout).toMatch(/system +│ You are a rigorous reviewer/);
    expect(existsSync(path.join(e2e.home, 'runs'))).toBe(false);
  });

  it('--dry-run --json prints the plan as JSON', async () => {
    const result = await runLlmo(['chain', 'run', 'panel', '--dry-run', '--json', 'q'], { home: e2e.home, env: e2e.fake.env() });
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.steps[0].branches.map((branch: { model: string }) => branch.model)).toEqual(['openai', 'mistral', 'deepseek']);
    expect(plan.steps[1].prompt).toBe('Merge:\n‹outputs of step opinions›');
    expect(e2e.fake.requests).toEqual([]);
  });

  describe('validation before any call (exit 3)', () => {
    const file = (name: string, yaml: string) => {
      const chainFile = path.join(e2e.home, name);
      writeFileSync(chainFile, yaml);
      return chainFile;
    };
    it.each([
      [
        'unknown model',
        'steps:\n  - name: one\n    model: sonet\n',
        'steps[0].model: chain "bad", step "one": unknown model or alias "sonet"; did you mean sonnet',
        3,
      ],
      [
        'unknown role',
        'steps:\n  - name: one\n    model: openai\n    role: critic-al\n',
        'steps[0].role: chain "bad", step "one": unknown role "critic-al"',
        4,
      ],
      [
        'unknown persona',
        'steps:\n  - name: one\n    model: openai\n    persona: pirate\n',
        'steps[0].persona: chain "bad", step "one": unknown persona "pirate"',
        4,
      ],
      [
        'unknown variable',
        'steps:\n  - name: one\n    model: openai\n    prompt: "{{inptu}}"\n',
        'steps[0].prompt: chain "bad", step "one": unknown variable {{inptu}}',
        4,
      ],
      [
        'unknown step',
        'steps:\n  - name: one\n    model: openai\n  - name: two\n    model: openai\n    prompt: "{{steps.oen.output}}"\n',
        'steps[1].prompt: chain "bad", step "two": {{steps.oen.output}} names no step of this chain; did you mean one?',
        6,
      ],
      [
        'forward reference',
        'steps:\n  - name: one\n    model: openai\n    prompt: "{{steps.two.output}}"\n  - name: two\n    model: openai\n',
        'steps[0].prompt: chain "bad", step "one": {{steps.two.output}} refers to a later step (step 2)',
        4,
      ],
      [
        'self reference',
        'steps:\n  - name: one\n    model: openai\n    prompt: "{{steps.one.output}}"\n',
        'steps[0].prompt: chain "bad", step "one": {{steps.one.output}} refers to this step\'s own output',
        4,
      ],
    ])('%s', async (_case, yaml, message, line) => {
      const chainFile = file('bad.yaml', yaml);
      const result = await run(['chain', 'run', chainFile, 'input']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`llmo: ${chainFile}:${line}: ${message}`);
      expect(e2e.fake.requests).toEqual([]);
    });

    it('an unknown chain name lists the chains', async () => {
      const result = await run(['chain', 'run', 'relya', 'x']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('llmo: unknown chain "relya"; did you mean relay?');
      expect(result.stderr).toMatch(/chains: .*panel.*relay/);
    });

    it('a chain in config is reported at its config.yaml line', async () => {
      const config = `${CONFIG.trimEnd()}\n  broken:\n    steps:\n      - name: one\n        model: gpt-9000\n`;
      writeFileSync(path.join(e2e.home, 'config.yaml'), config);
      const line = config.split('\n').indexOf('        model: gpt-9000') + 1;
      const result = await run(['chain', 'run', 'broken', 'x']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `llmo: ${path.join(e2e.home, 'config.yaml')}:${line}: chains.broken.steps[0].model: chain "broken", step "one": unknown model or alias "gpt-9000"`,
      );
    });
  });

  it('points at the offending character of a bad inline chain', async () => {
    const result = await run(['chain', 'run', 'summarize(gemini) -> critique(sonnet', 'x']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      [
        'llmo: inline chain, column 37: expected ")" to close the "(" at column 30',
        '  summarize(gemini) -> critique(sonnet',
        `${' '.repeat(2 + 36)}^`,
        '',
      ].join('\n'),
    );
    const unknown = await run(['chain', 'run', 'summarize(gemini) -> critique(openrouter:meta-llama/llama-3.1-8b@preset)', 'x']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('llmo: inline chain, column 31: step "critique": unknown provider "openrouter"');
    expect(unknown.stderr).toContain(`\n${' '.repeat(2 + 30)}${'^'.repeat('openrouter:meta-llama/llama-3.1-8b@preset'.length)}\n`);
    expect(e2e.fake.requests).toEqual([]);
  });

  it('warns about a --var that no prompt uses (a misspelt key would silently lose to the default)', async () => {
    const chainFile = path.join(e2e.home, 'aud.yaml');
    writeFileSync(chainFile, 'vars: { audience: engineers }\nsteps:\n  - model: openai\n    prompt: "For {{vars.audience}}: {{input}}"\n');
    const result = await run(['chain', 'run', chainFile, 'x', '--var', 'audiance=kids', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('llmo: warning: chain "aud" has no {{vars.audiance}}: --var audiance ignored; it uses {{vars.audience}}\n');
    expect(result.stdout).toContain('For engineers: x');
  });

  it('refuses to run a chain that reads its input without one', async () => {
    const result = await run(['chain', 'run', 'relay']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('llmo: chain "relay" reads {{input}}, and none was given');
    expect(e2e.fake.requests).toEqual([]);
  });

  it('Ctrl-C cancels the in-flight request, exits 130 and keeps the finished outputs in the saved run', async () => {
    e2e.fake.enqueue('openai', { text: 'QUICK-DONE' });
    e2e.fake.enqueue('anthropic', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const child = spawnLlmo(['chain', 'run', 'slow', 'go'], { home: e2e.home, env: { ...e2e.fake.env(), ...KEYS } });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin!.end('');
    // The e2e.fake has the request: it is in flight now, which is what Ctrl-C must cancel.
    await until(() => e2e.fake.requestsFor('anthropic').length === 1);
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    await until(() => e2e.fake.requestsFor('anthropic')[0]!.aborted);
    expect(e2e.fake.requestsFor('gemini')).toHaveLength(0);
    expect(stderr).toContain(
      'llmo: interrupted during step "slow"; in-flight requests were cancelled; the outputs of 1 finished step are kept',
    );
    const [saved] = savedRuns(e2e.home);
    expect(saved).toMatchObject({ status: 'interrupted', exit_code: 130 });
    expect(saved!.steps.map((step: { status: string; output: string | null }) => [step.status, step.output])).toEqual([
      ['ok', 'QUICK-DONE'],
      ['aborted', null],
      ['skipped', null],
    ]);
  });
});

describe('llmo chain run, interrupted while branches wait for a slot', () => {
  it('exits 130 and saves every branch, the waiting ones as never sent', async () => {
    writeFileSync(path.join(e2e.home, 'config.yaml'), `${CONFIG}\nparallel:\n  concurrency: 1\n`);
    e2e.fake.enqueue('openai', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const child = spawnLlmo(['chain', 'run', '[(openai) | (gemini) | (mistral)] -> (anthropic)', 'go'], {
      home: e2e.home,
      env: { ...e2e.fake.env(), ...KEYS },
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin!.end('');
    // The one slot is taken (the fake has openai's request); gemini and mistral wait for it.
    await until(() => e2e.fake.requestsFor('openai').length === 1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).not.toContain('internal error');
    expect(stderr).toContain('llmo: interrupted during step "parallel"');
    expect(e2e.fake.requests.map((request) => request.provider)).toEqual(['openai']);
    const [saved] = savedRuns(e2e.home);
    expect(saved).toMatchObject({ status: 'interrupted', exit_code: 130 });
    expect(saved!.steps[0].branches.map((branch: { provider: string; status: string }) => [branch.provider, branch.status])).toEqual([
      ['openai', 'aborted'],
      ['gemini', 'aborted'],
      ['mistral', 'aborted'],
    ]);
    expect(saved!.steps[0].branches[1].error.message).toBe('interrupted before the request was sent');
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// In the run's private TMPDIR (test/helpers/private-tmp.ts), not /tmp/tmux-UID: nothing is left behind.
const tmuxSocket = path.join(tmpdir(), `llmo-chain-test-${process.pid}`);
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** The built llmo in a real terminal (tmux) of the given size; the exit status is printed after it. */
function inTerminal(args: string[], size: { columns: number; rows: number }) {
  const env = cleanEnv(e2e.home, { ...e2e.fake.env(), ...KEYS, TERM: 'xterm-256color' });
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value!)}`);
  const command = `env -i ${assignments.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(llmoBin)} ${args.map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
  const name = `chain${Date.now()}`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), 'sh', '-c', command);
  const screen = () => tmux('capture-pane', '-p', '-t', name, '-S', '-200');
  return {
    screen,
    async waitFor(check: (text: string) => boolean, what: string): Promise<string> {
      const deadline = Date.now() + 20_000;
      let text = '';
      while (Date.now() < deadline) {
        text = screen();
        if (check(text)) return text;
        await sleep(30);
      }
      throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
    },
  };
}

describe.skipIf(!hasTmux)('llmo chain run on a terminal', () => {
  afterAll(() => {
    spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
    rmSync(tmuxSocket, { force: true }); // tmux leaves its socket file behind
  });

  it("streams the last step's answer to stdout as it arrives, below the progress lines, once", async () => {
    const words = Array.from({ length: 20 }, (_, index) => `W${String(index + 1).padStart(2, '0')}`);
    e2e.fake.enqueue('openai', { text: 'QUICK-DONE' });
    e2e.fake.enqueue('anthropic', { text: words.join(' '), chunkDelayMs: 200 });
    const terminal = inTerminal(['chain', 'run', '(openai) -> (anthropic)', 'go'], { columns: 100, rows: 30 });
    const midway = await terminal.waitFor((text) => text.includes('W01'), 'the first words of the answer');
    // Shown before the answer is complete: the last words have not arrived, the step is not done.
    expect(midway).not.toContain('W20');
    expect(midway).toMatch(/^↓ step2 +anthropic:\S+ +answering below$/m);
    const final = await terminal.waitFor((text) => text.includes('[exit'), 'llmo to exit');
    expect(final).toContain('[exit 0]');
    const lines = final.split('\n');
    const answer = lines.findIndex((line) => line.startsWith('W01'));
    expect(lines[answer - 1]).toMatch(/^↓ step2 +anthropic:\S+ +answering below$/);
    expect(lines[answer]).toBe(words.join(' '));
    expect(lines[answer + 1]).toMatch(/^✓ step2 +anthropic:\S+ +done · \d+ tokens/);
    expect(final.split('W01').length - 1).toBe(1); // not printed again at the end
  });
});

describe('llmo chain list, show and runs', () => {
  it('lists the configured chains, shipped ones included', async () => {
    const result = await run(['chain', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^relay +three providers in a row +\(first → second → third; openai, anthropic, gemini\)$/m);
    expect(result.stdout).toMatch(/^review-code /m);
    // A chain without a description: its steps two spaces after the name column, as for the others.
    expect(result.stdout).toMatch(/^careful +\(answer; openai\)$/m);
    expect(result.stdout).toMatch(/^careful {9}\(answer/m); // "second-opinion" is the longest name
    const json = JSON.parse((await run(['chain', 'list', '--json'])).stdout);
    expect(json.find((chain: { name: string }) => chain.name === 'panel')).toMatchObject({ steps: ['opinions', 'merge'], error: null });
  });

  it('shows a chain with its templates as written', async () => {
    const result = await run(['chain', 'show', 'panel']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2. merge');
    expect(result.stdout).toContain('1. opinions (parallel, 3 branches)');
    expect(result.stdout).toMatch(/prompt +│ Merge:\n +│ \{\{steps\.opinions\.outputs\}\}/);
  });

  it('lists saved runs and prints one', async () => {
    e2e.fake.enqueue('openai', { text: 'RUN-OUTPUT' });
    await run(['chain', 'run', '(openai)', 'the input']);
    const list = await run(['chain', 'runs']);
    expect(list.code).toBe(0);
    const id = /^(chain_\d{8}_\d{6}(?:_\d+)?) +inline +ok +1\/1 steps/m.exec(list.stdout)?.[1];
    expect(id).toBeDefined();
    const shown = await run(['chain', 'runs', 'show', id!]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${id} · chain inline (inline: (openai))`);
    expect(shown.stdout).toContain('│ the input');
    expect(shown.stdout).toContain('│ RUN-OUTPUT');
    const missing = await run(['chain', 'runs', 'show', 'chain_1999']);
    expect(missing.code).toBe(2);
  });
});
