// `llmo parallel` end to end: the built CLI against the fake providers, in a throwaway LLMO_HOME.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FakeProvider } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { displayWidth } from '../src/orchestrator/display-width.js';
import { cleanEnv, llmoBin, savedRuns, TEST_KEYS } from './helpers/run-llmo.js';

const e2e = useE2e({ config: 'request:\n  retries: 1\n  retry_base_delay_ms: 1\n  retry_max_delay_ms: 5\n' });

const KEYS = TEST_KEYS;
const FIVE: FakeProvider[] = ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'];
const modelFlags = (providers: readonly string[]) => providers.flatMap((provider) => ['-m', provider]);

const run = (args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}) =>
  e2e.run(args, { input: options.input, env: options.env ?? {} });

describe('llmo parallel', () => {
  it('warns and still answers when the data folder cannot be written, as ask does', async () => {
    // runs/ and usage/ are files: nothing can be saved under them.
    writeFileSync(path.join(e2e.home, 'runs'), '');
    writeFileSync(path.join(e2e.home, 'usage'), '');
    const result = await run(['parallel', '-m', 'openai', '-m', 'mistral', 'hello']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Hello from fake openai');
    expect(result.stdout).toContain('Hello from fake mistral');
    expect(result.stderr).toMatch(/llmo: warning: cannot save the run in .*runs.*; the run goes on without being saved/);
  });

  // How fast five slow replies come back together is measured by `npm run bench` (the
  // "llmo parallel × 5" row); here, that the five calls really were in flight at the same time.
  it('asks five models at once: every call starts before any of them has finished', async () => {
    for (const provider of FIVE) e2e.fake.enqueue(provider, { text: `ANSWER-FROM-${provider.toUpperCase()}`, firstChunkDelayMs: 1000 });
    const result = await run(['parallel', ...modelFlags(FIVE), 'the same question']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // Each answer labelled, in the order the models were given.
    const labels = [...result.stdout.matchAll(/^=== (\S+) ===$/gm)].map((match) => match[1]!.split(':')[0]);
    expect(labels).toEqual(FIVE);
    for (const provider of FIVE) expect(result.stdout).toContain(`ANSWER-FROM-${provider.toUpperCase()}\n`);
    expect(e2e.fake.requests.map((request) => JSON.stringify(request.body)).every((body) => body.includes('the same question'))).toBe(true);

    const [saved] = savedRuns(e2e.home);
    const branches = saved!.steps[0].branches as Array<{ started_at: string; duration_ms: number }>;
    // Every reply really took a second, and the last call started before the first one ended:
    // one after the other, each would start only after the previous one's second had passed.
    expect(branches.every((branch) => branch.duration_ms >= 1000)).toBe(true);
    const starts = branches.map((branch) => Date.parse(branch.started_at));
    const ends = branches.map((branch, index) => starts[index]! + branch.duration_ms);
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
  });

  it('asks twenty models all at once, without a word on stderr (no listener-leak warning from the shared Ctrl-C signal)', async () => {
    const twenty = FIVE.flatMap((provider) => [provider, provider, provider, provider]);
    // Slow replies, so that calls started together are all in flight when the last one arrives.
    for (const provider of FIVE) e2e.fake.setDefault(provider, { firstChunkDelayMs: 2000 });
    const result = await run(['parallel', ...modelFlags(twenty), 'hello']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect([...result.stdout.matchAll(/^=== \S+ ===$/gm)]).toHaveLength(20);
    // The default concurrency follows the number of models: no second wave waiting for a slot.
    expect(Math.max(...e2e.fake.requests.map((request) => request.inFlight))).toBe(20);
  });

  it('prints the other four answers when one model returns 500, and exits 10', async () => {
    for (const provider of FIVE) {
      if (provider === 'gemini') e2e.fake.enqueue(provider, { error: { status: 500 } }, { error: { status: 500 } });
      else e2e.fake.enqueue(provider, { text: `ANSWER-FROM-${provider.toUpperCase()}` });
    }
    const result = await run(['parallel', ...modelFlags(FIVE), 'question']);
    expect(result.code).toBe(10);
    const labels = [...result.stdout.matchAll(/^=== (\S+) ===$/gm)].map((match) => match[1]!.split(':')[0]);
    expect(labels).toEqual(['openai', 'anthropic', 'mistral', 'deepseek']);
    expect(result.stdout).not.toContain('GEMINI');
    expect(result.stderr).toMatch(/^llmo: 1 of 5 models failed: gemini:\S+: /m);
    expect(e2e.fake.requestsFor('gemini')).toHaveLength(2);
    expect(savedRuns(e2e.home)[0]).toMatchObject({ kind: 'parallel', status: 'partial', exit_code: 10 });
  });

  it('prints one JSON object per model with --json', async () => {
    e2e.fake.enqueue('openai', { text: 'A' });
    e2e.fake.enqueue('mistral', { error: { status: 500 } }, { error: { status: 500 } });
    const result = await run(['compare', '-m', 'openai,mistral', '--json', 'q']);
    expect(result.code).toBe(10);
    const objects = JSON.parse(result.stdout);
    expect(objects).toHaveLength(2);
    expect(objects[0]).toMatchObject({ ref: 'openai', provider: 'openai', status: 'ok', text: 'A', finish_reason: 'stop', error: null });
    expect(objects[0].usage.output_tokens).toBeGreaterThan(0);
    expect(typeof objects[0].ttft_ms).toBe('number');
    expect(objects[1]).toMatchObject({ ref: 'mistral', provider: 'mistral', status: 'error', error: { kind: 'ProviderUnavailableError' } });
  });

  it('exits 5 when no model answers', async () => {
    e2e.fake.enqueue('openai', { error: { status: 500 } }, { error: { status: 500 } });
    e2e.fake.enqueue('deepseek', { error: { status: 500 } }, { error: { status: 500 } });
    const result = await run(['parallel', '-m', 'openai', '-m', 'deepseek', 'q']);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^llmo: no model answered: openai:\S+: .*; deepseek:deepseek-chat: /m);
  });

  it('a model without a key fails alone; the others answer', async () => {
    e2e.fake.enqueue('openai', { text: 'STILL-HERE' });
    const result = await run(['parallel', '-m', 'openai', '-m', 'anthropic', 'q'], { env: { ANTHROPIC_API_KEY: undefined } });
    expect(result.code).toBe(10);
    expect(result.stdout).toContain('STILL-HERE');
    expect(result.stderr).toContain('no API key for anthropic');
  });

  it('sends system prompts, temperature and max tokens to every model', async () => {
    const result = await run([
      'parallel',
      '-m',
      'openai',
      '-m',
      'deepseek',
      '--persona',
      'poet',
      '--temperature',
      '0.3',
      '--max-tokens',
      '50',
      'q',
    ]);
    expect(result.code).toBe(0);
    for (const request of e2e.fake.requests) {
      expect(request.body.messages[0]).toMatchObject({ role: 'system' });
      expect(request.body.temperature).toBe(0.3);
    }
  });

  it('checks its arguments before any call', async () => {
    const none = await run(['parallel', 'q']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('llmo: name the models to ask with -m');
    // The hint's example runs as written.
    const example = /e\.g\. llmo (parallel(?: -m \S+)+) "…"/.exec(none.stderr);
    expect(example).not.toBeNull();
    const followed = await run([...example![1]!.split(' '), 'q']);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    e2e.fake.reset();
    const unknown = await run(['parallel', '-m', 'openai', '-m', 'sonet', 'q']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('unknown model or alias "sonet"; did you mean sonnet');
    const persona = await run(['parallel', '-m', 'openai', '--persona', 'pirate', 'q']);
    expect(persona.code).toBe(3);
    expect(e2e.fake.requests).toEqual([]);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// In the run's private TMPDIR (test/helpers/private-tmp.ts), not /tmp/tmux-UID: nothing is left behind.
const tmuxSocket = path.join(tmpdir(), `llmo-parallel-test-${process.pid}`);
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the built llmo in a real terminal (tmux) of the given size; returns the whole screen (with scrollback) once it exits. */
async function inTerminal(args: string[], size: { columns: number; rows: number }): Promise<string> {
  const env = cleanEnv(e2e.home, { ...e2e.fake.env(), ...KEYS, TERM: 'xterm-256color' });
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value!)}`);
  const command = `env -i ${assignments.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(llmoBin)} ${args.map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
  const name = `parallel${Date.now()}`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), 'sh', '-c', command);
  const deadline = Date.now() + 20_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', name, '-S', '-300');
    if (screen.includes('[exit')) return screen;
    await sleep(50);
  }
  throw new Error(`llmo did not exit; the screen was:\n${screen}`);
}

describe.skipIf(!hasTmux)('llmo parallel on a terminal', () => {
  afterAll(() => {
    spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
    rmSync(tmuxSocket, { force: true }); // tmux leaves its socket file behind
  });

  const CJK = '慢慢来。这是一个很长的中文回答，用来测试宽字符的换行是否正确。😀 日本語のテキストも混ぜます。Ｆｕｌｌｗｉｄｔｈ ＡＢＣ';

  it('stacks the answers at 60 columns, and its summary table fits without wrapping', async () => {
    e2e.fake.enqueue('openai', { words: 300, chunkDelayMs: 5 });
    e2e.fake.enqueue('gemini', { text: CJK, firstChunkDelayMs: 300 });
    e2e.fake.enqueue('mistral', { error: { status: 400 } });
    const screen = await inTerminal(['parallel', '-m', 'openai', '-m', 'gemini', '-m', 'mistral', 'q'], { columns: 60, rows: 30 });
    expect(screen).toContain('[exit 10]');
    const lines = screen.split('\n');
    expect(lines.filter((line) => /^=== \S+ ===$/.test(line))).toHaveLength(3);
    const header = lines.findIndex((line) => /^model +ttft +total +in → out +cost +status$/.test(line));
    expect(header).toBeGreaterThan(0);
    // One line per model: a wrapped table would split a row in two.
    const rows = lines.slice(header + 2, header + 5);
    expect(rows[0]).toMatch(/^\S+ +\d+\.\d\d s +\d+\.\d\d s +\d+ → \d+ +\$\S+ +ok$/);
    expect(rows[1]).toMatch(/^\S+ +\d+\.\d\d s +\d+\.\d\d s +\d+ → \d+ +\$\S+ +ok$/);
    expect(rows[2]).toMatch(/^\S+ +– +\d+\.\d\d s +– +– +failed$/);
    // The wide characters wrap at 60 columns with nothing lost.
    const gemini = lines.findIndex((line) => /^=== gemini:\S+ ===$/.test(line));
    const answer = lines.slice(gemini + 1, lines.indexOf('', gemini));
    expect(answer.length).toBeGreaterThan(1);
    expect(answer.join('').replaceAll(' ', '')).toBe(CJK.replaceAll(' ', ''));
  });

  it('puts the answers side by side at 160 columns, columns aligned past wide characters', async () => {
    e2e.fake.enqueue('openai', { words: 120, chunkDelayMs: 5 });
    e2e.fake.enqueue('gemini', { text: CJK, chunkDelayMs: 50 });
    const screen = await inTerminal(['parallel', '-m', 'openai', '-m', 'gemini', 'q'], { columns: 160, rows: 30 });
    expect(screen).toContain('[exit 0]');
    const body = screen.split('\n').filter((line) => line.includes(' │ '));
    expect(body.length).toBeGreaterThan(5);
    // Every separator at the same screen column, whatever is left of it.
    const columns = new Set(body.map((line) => displayWidth(line.slice(0, line.indexOf(' │ ')))));
    expect([...columns]).toEqual([78]);
    expect(body.some((line) => line.includes('慢慢来'))).toBe(true);
  });
});
