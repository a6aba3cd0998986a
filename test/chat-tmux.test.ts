/**
 * End to end: the real built `llmo chat` in a real terminal (tmux), against the fake providers.
 * Keys go in with `send-keys`, the screen comes back with `capture-pane -p`. Also measures the
 * time to the first drawn prompt and the CPU the chat uses while streaming a 5,000-word reply.
 * A chat that outgrows a small context window is compressed and keeps going with its full history
 * saved; /edit and /fork make branches `llmo conversations tree` shows; /attach and @path send files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { cleanEnv, llmoBin, makeHome, removeHome, repoRoot, runLlmo } from './helpers/run-llmo.js';

/** server-everything, noting each start in $SPAWN_LOG (to count server processes). */
const countingServer = path.join(repoRoot, 'test/helpers/counting-mcp-server.mjs');

const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
const hasTmux = tmuxVersion.status === 0;
const socket = `llmo-test-${process.pid}`;
const WIDTH = 120;
const HEIGHT = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

let fake: FakeProviders;
let home: string;
let sessions = 0;

/** A script that runs the built llmo with a clean environment (no keys or LLMO_* of the developer). */
function writeLauncher(): string {
  const env = cleanEnv(home, {
    ...fake.env(),
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    OPENAI_API_KEY: 'test-openai-key',
    TERM: 'xterm-256color',
  });
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value!)}`);
  const script = path.join(home, 'llmo.sh');
  writeFileSync(script, `#!/bin/sh\nexec env -i ${assignments.join(' ')} ${quote(process.execPath)} ${quote(llmoBin)} "$@"\n`, {
    mode: 0o700,
  });
  return script;
}

class Terminal {
  readonly name = `chat${++sessions}`;
  #pid: number | undefined;

  constructor(args: string[]) {
    const command = [writeLauncher(), ...args].map(quote).join(' ');
    // remain-on-exit keeps the last screen and the exit status after llmo quits.
    tmux(
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(WIDTH),
      '-y',
      String(HEIGHT),
      command,
      ';',
      'set-option',
      '-t',
      this.name,
      'remain-on-exit',
      'on',
    );
  }

  /** The visible screen, plus `history` lines of scrollback above it. */
  screen(history = 0): string {
    return tmux('capture-pane', '-p', '-t', this.name, ...(history ? ['-S', String(-history)] : []));
  }

  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }

  press(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Types `text` once the chat takes input, and presses Enter once the prompt shows it. */
  async send(text: string): Promise<void> {
    await this.idle();
    this.type(text);
    const shown = `› ${text.slice(0, 20)}`;
    await this.waitFor((screen) => screen.split('\n').some((line) => line.startsWith(shown)), `${JSON.stringify(text)} in the prompt`);
    this.press('Enter');
  }

  async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 15_000, history = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen(history);
      if (check(screen)) {
        try {
          this.#pid ??= this.nodePid(); // while it most likely still runs
        } catch {
          // already gone: exitStatus() asks tmux
        }
        return screen;
      }
      await sleep(25);
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
  }

  waitForText(text: string, timeoutMs?: number, history = 0): Promise<string> {
    return this.waitFor((screen) => screen.includes(text), JSON.stringify(text), timeoutMs, history);
  }

  /** The last non-empty line: the status line. */
  status(): string {
    return this.screen().trimEnd().split('\n').at(-1) ?? '';
  }

  idle(): Promise<string> {
    return this.waitFor(() => !/streaming|waiting/.test(this.status()), 'the reply to finish');
  }

  /** llmo's exit status once it has exited. */
  exitStatus(): number | undefined {
    // Read it from /proc while llmo is a zombie: tmux (3.3a) sometimes reaps its child late.
    try {
      if (this.#pid === undefined) throw new Error('not seen running');
      const stat = readFileSync(`/proc/${this.#pid}/stat`, 'utf8');
      const fields = stat
        .slice(stat.lastIndexOf(')') + 2)
        .trim()
        .split(' ');
      if (fields[0] !== 'Z') return undefined;
      return Number(fields.at(-1)) >> 8; // exit_code, as waitpid would report it
    } catch {
      const [dead, status] = tmux('display-message', '-p', '-t', this.name, '#{pane_dead} #{pane_dead_status}').trim().split(' ');
      return dead === '1' && status ? Number(status) : undefined;
    }
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = this.exitStatus();
      if (status !== undefined) return status;
      await sleep(50);
    }
    throw new Error(`llmo chat did not exit; the screen was:\n${this.screen()}`);
  }

  /** The node process running llmo (the pane's process, or one of its children). */
  nodePid(): number {
    const find = (pid: number): number | undefined => {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node') return pid;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      for (const child of children) {
        const found = find(child);
        if (found) return found;
      }
      return undefined;
    };
    const pid = find(Number(tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim()));
    if (!pid) throw new Error('cannot find the llmo process');
    return pid;
  }

  close(): void {
    spawnSync('tmux', ['-L', socket, 'kill-session', '-t', this.name]);
  }
}

const savedConversations = () => {
  const directory = path.join(home, 'conversations');
  return existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.json') && !name.startsWith('.')) : [];
};
const readSaved = (file: string) => JSON.parse(readFileSync(path.join(home, 'conversations', file), 'utf8'));

describe('llmo chat without a terminal', () => {
  it('says it needs one and points to llmo ask (exit 2)', async () => {
    const scratch = makeHome();
    try {
      const result = await runLlmo(['chat'], { home: scratch });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('llmo: chat needs a terminal (stdin and stdout)');
      expect(result.stderr).toContain('use llmo ask');
    } finally {
      removeHome(scratch);
    }
  });
});

if (!hasTmux) {
  describe('llmo chat in tmux', () => {
    it.skip('skipped: tmux is not installed (apt-get install tmux; .ci/run installs it)', () => {});
  });
}

describe.skipIf(!hasTmux)('llmo chat in a real terminal (tmux)', () => {
  const open: Terminal[] = [];
  const start = (...args: string[]) => {
    const terminal = new Terminal(['chat', ...args]);
    open.push(terminal);
    return terminal;
  };

  beforeAll(async () => {
    expect(existsSync(path.join(path.dirname(llmoBin), '..', 'dist', 'cli.js')), 'build first: node scripts/build.mjs').toBe(true);
    fake = await startFakeProviders({ providers: ['anthropic', 'openai'] });
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    // kill-server leaves the socket file behind.
    rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    await fake?.close();
  });
  beforeEach(() => {
    home = makeHome();
    fake.reset();
  });
  afterEach(() => {
    for (const terminal of open.splice(0)) terminal.close();
    removeHome(home);
  });

  it('chats: streams a reply, switches provider with /model, /cost, /exit; then lists and continues the conversation', {
    timeout: 90_000,
  }, async () => {
    const chat = start();
    await chat.waitForText('Ask anything');
    await chat.waitFor(
      (screen) => /^llmo chat · anthropic:\S+ · \/help lists commands · Ctrl-D quits/m.test(screen),
      'the welcome line',
      15_000,
      50,
    );

    fake.enqueue('anthropic', {
      text: 'Hello from fake anthropic, streamed in several small pieces so the test can watch it arrive.',
      chunkDelayMs: 120,
    });
    await chat.send('What is up?');
    const midway = await chat.waitFor(
      (screen) => /● streaming/.test(screen) && screen.includes('Hello from fake'),
      'a reply in the middle of streaming',
    );
    expect(midway).not.toContain('watch it arrive.');
    await chat.waitForText('watch it arrive.');
    await chat.idle();
    expect(chat.screen()).toMatch(/› What is up\?\n\n◆ anthropic:\S+\n {2}Hello from fake anthropic, streamed/);
    expect(chat.status()).toMatch(/^anthropic:\S+ · last \d+ in \/ \d+ out · total \d+ in \/ \d+ out · \$[0-9.]+$/);

    await chat.send('/model openai');
    await chat.waitFor((screen) => /switched to openai:\S+/.test(screen), '/model to switch');
    expect(chat.status()).toMatch(/^openai:/);
    await chat.send('And you?');
    await chat.waitForText('Hello from fake openai');
    await chat.idle();

    await chat.send('/cost');
    const cost = await chat.waitForText('Cost of this conversation');
    expect(cost).toMatch(/anthropic:\S+ +1 reply +\d+ in +\d+ out +\$[0-9.]+/);
    expect(cost).toMatch(/openai:\S+ +1 reply +\d+ in +\d+ out +\$[0-9.]+/);
    expect(cost).toMatch(/total +2 replies +\d+ in +\d+ out +\$[0-9.]+/);

    await chat.send('/exit');
    expect(await chat.waitForExit()).toBe(0);
    const [file] = savedConversations();
    const id = file!.replace(/\.json$/, '');
    const last = chat.screen(200);
    expect(last).toContain(`conversation saved as ${id} (llmo chat --resume ${id})`);
    // The last frame is drawn before llmo leaves: the command in the scrollback, no live prompt.
    expect(last).toMatch(/› \/exit\nopenai:\S+ · last/);
    expect(last).not.toContain('Ask anything');

    const list = await runLlmo(['conversations', 'list'], { home });
    expect(list.stdout).toMatch(new RegExp(`${id} .* 4 .* openai:\\S+ +What is up\\?`));

    const resumed = start('-c');
    const history = await resumed.waitForText('Hello from fake openai');
    expect(history).toContain(`continuing ${id} “What is up?”`);
    expect(history).toMatch(/› What is up\?\n\n◆ anthropic:\S+\n {2}Hello from fake anthropic, streamed/);
    expect(history).toMatch(/› And you\?\n\n◆ openai:\S+\n {2}Hello from fake openai/);
    // The resumed conversation's figures: its last reply, and the whole conversation.
    expect(resumed.status()).toMatch(/^openai:\S+ · last \d+ in \/ \d+ out · total \d+ in/);
    resumed.press('C-d');
    expect(await resumed.waitForExit()).toBe(0);
  });

  it('three tool-using turns start the MCP server once, ask before an ask-policy tool, and save a conversation that resumes', {
    timeout: 90_000,
  }, async () => {
    const spawnLog = path.join(home, 'spawns.log');
    writeFileSync(
      path.join(home, 'config.yaml'),
      [
        'mcp:',
        '  servers:',
        `    ev: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(countingServer)}], env: { SPAWN_LOG: ${JSON.stringify(spawnLog)} } }`,
        'tools:',
        '  policy: { "*": ask, "ev.get-sum": allow }',
        '',
      ].join('\n'),
    );
    const chat = start('--tools', 'ev');
    await chat.waitForText('Ask anything');

    fake.enqueue('anthropic', { toolCalls: [{ name: 'ev__get-sum', arguments: { a: 2, b: 3 } }] }, { text: 'First: five.' });
    await chat.send('Add 2 and 3');
    await chat.waitForText('First: five.');
    expect(chat.screen()).toMatch(/⚙ ev\.get-sum \{"a":2,"b":3\} · \d+ ms\n +└ The sum of 2 and 3 is 5\./);
    await chat.idle();
    expect(chat.status()).toMatch(/last 2 steps/);

    // An ask-policy tool: the picker asks; "always" runs it and saves the rule in config.yaml.
    fake.enqueue('anthropic', { toolCalls: [{ name: 'ev__echo', arguments: { message: 'hi' } }] }, { text: 'Second: echoed.' });
    await chat.send('Echo hi');
    await chat.waitForText('run ev.echo {"message":"hi"}?');
    expect(chat.screen()).toContain('yes, always (saved to config.yaml)');
    chat.press('Down');
    chat.press('Down');
    await chat.waitForText('› yes, always (saved to config.yaml)');
    chat.press('Enter');
    await chat.waitForText('Second: echoed.');
    expect(chat.screen(100)).toContain('└ Echo: hi');
    expect(chat.screen(100)).toContain('ev.echo allowed from now on (saved in');
    expect(readFileSync(path.join(home, 'config.yaml'), 'utf8')).toMatch(/policy: \{[^}]*ev\.echo: allow/);

    fake.enqueue('anthropic', { toolCalls: [{ name: 'ev__get-sum', arguments: { a: 4, b: 4 } }] }, { text: 'Third: eight.' });
    await chat.send('Add 4 and 4');
    await chat.waitForText('Third: eight.');
    await chat.idle();

    // One server process for the whole session.
    expect(readFileSync(spawnLog, 'utf8').trim().split('\n')).toHaveLength(1);
    await chat.send('/exit');
    expect(await chat.waitForExit()).toBe(0);
    const [file] = savedConversations();
    const saved = readSaved(file!);
    expect(
      saved.messages
        .flatMap((message: { tool_calls?: { name: string }[] }) => message.tool_calls ?? [])
        .map((call: { name: string }) => call.name),
    ).toEqual(['ev.get-sum', 'ev.echo', 'ev.get-sum']);

    // Resumed, the calls are shown again and the model is sent them with their results.
    const resumed = start('-c', '--tools', 'ev');
    await resumed.waitForText('Third: eight.', 15_000, 100);
    expect(resumed.screen(100)).toContain('⚙ ev.echo {"message":"hi"}');
    fake.enqueue('anthropic', { text: 'Fourth.' });
    await resumed.send('Anything else?');
    await resumed.waitForText('Fourth.');
    expect(JSON.stringify(fake.requestsFor('anthropic').at(-1)!.body)).toContain('The sum of 4 and 4 is 8.');
    resumed.press('C-d');
    expect(await resumed.waitForExit()).toBe(0);
  });

  it('Ctrl-C mid-stream keeps the partial reply on screen and in the saved file, marked interrupted', { timeout: 60_000 }, async () => {
    const chat = start();
    await chat.waitForText('Ask anything');
    fake.enqueue('anthropic', { words: 400, chunkDelayMs: 30 });
    await chat.send('Tell me a long story');
    await chat.waitFor((screen) => /● streaming/.test(screen) && (screen.match(/brown fox/g) ?? []).length >= 2, 'some of the stream');
    chat.press('C-c');
    const stopped = await chat.waitForText('⏹ interrupted: the partial reply above is kept');
    expect(chat.status()).not.toMatch(/streaming/);

    const [file] = savedConversations();
    const saved = readSaved(file!);
    const reply = saved.messages.at(-1);
    expect(reply).toMatchObject({ role: 'assistant', interrupted: true, finish_reason: null });
    const words = reply.content.trim().split(/\s+/);
    expect(words.length).toBeGreaterThan(5);
    expect(words.length).toBeLessThan(400);
    // What the screen shows ends where the saved reply ends.
    const lastWords = words.slice(-3).join(' ');
    expect(stopped.replace(/\n {2}/g, ' ')).toContain(lastWords);
    // The fake hears of the closed connection a moment later on a busy machine.
    await vi.waitFor(() => expect(fake.requestsFor('anthropic')[0]!.aborted).toBe(true), { timeout: 5000, interval: 25 });

    // The session goes on; Ctrl-C on the empty prompt asks first, then quits.
    chat.press('C-c');
    await chat.waitForText('press Ctrl-C again to quit');
    chat.press('C-c');
    expect(await chat.waitForExit()).toBe(0);
  });

  it('SIGTERM mid-stream saves the partial reply, marked interrupted, and exits 130', { timeout: 60_000 }, async () => {
    const chat = start();
    await chat.waitForText('Ask anything');
    fake.enqueue('anthropic', { words: 400, chunkDelayMs: 30 });
    await chat.send('Another long story');
    await chat.waitFor((screen) => screen.includes('the quick brown fox jumps'), 'the stream to start');
    process.kill(chat.nodePid(), 'SIGTERM');
    expect(await chat.waitForExit()).toBe(130);
    expect(chat.screen(200)).toContain('llmo: interrupted by SIGTERM');
    const reply = readSaved(savedConversations()[0]!).messages.at(-1);
    expect(reply).toMatchObject({ role: 'assistant', interrupted: true });
    expect(reply.content.split(/\s+/).length).toBeLessThan(400);
  });

  it('takes -m, --persona and -s; an unknown model fails before the UI with exit 3', { timeout: 60_000 }, async () => {
    const chat = start('-m', 'openai', '--persona', 'poet', '-s', 'Answer in one line.');
    await chat.waitFor((screen) => /^llmo chat · openai:\S+ ·/m.test(screen), 'the welcome line', 15_000, 50);
    await chat.send('hi');
    await chat.waitForText('Hello from fake openai');
    const body = JSON.stringify(fake.requestsFor('openai')[0]!.body);
    expect(body).toContain('Answer in one line.');
    await chat.send('/system');
    await chat.waitForText('System prompt (persona poet + your text)');

    // Markdown as a real terminal shows it: nested lists tight, a bullet under a numbered item
    // stays a bullet, and a table wider than the terminal keeps its borders.
    const wideCell = 'a cell with enough words to make this table wider than the terminal is';
    fake.enqueue('openai', {
      text: `- one\n  - nested a\n  - nested b\n- two\n\n1. first\n   - x\n   - y\n2. second\n\n| Name | Notes |\n|---|---|\n| alpha | ${wideCell} ${wideCell} |\n\nEnd.`,
    });
    await chat.send('lists?');
    await chat.waitForText('End.');
    await chat.idle(); // all of it in the scrollback, none of it in the live area's clipped view
    const markdown = chat.screen(100);
    expect(markdown).toContain('  * one\n      * nested a\n      * nested b\n    * two\n');
    expect(markdown).toContain('    1. first\n       * x\n       * y\n    2. second\n');
    const table = markdown.split('\n').filter((line) => /^ {2}[┌│├└]/.test(line));
    expect(table.length).toBeGreaterThan(5); // the long cell wrapped inside its column
    for (const line of table) expect(line.trimEnd()).toMatch(/^ {2}[┌│├└].*[┐│┤┘]$/);
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);
    const saved = readSaved(savedConversations()[0]!);
    expect(saved.system).toMatchObject({ persona: 'poet', text: 'Answer in one line.' });

    const wrong = new Terminal(['chat', '-m', 'nonsense']);
    open.push(wrong);
    await wrong.waitForText('llmo: unknown model or alias "nonsense"', 15_000, 50); // an early line can land in the scrollback
    expect(await wrong.waitForExit()).toBe(3);
  });

  it('-m auto falls back to the next model of its ranking when the chosen one fails, and says so', { timeout: 60_000 }, async () => {
    // Two candidates: auto:cheap ranks gpt-4o-mini first (cheaper), claude-haiku-4-5 next.
    writeFileSync(
      path.join(home, 'config.yaml'),
      'request:\n  retries: 0\nrouting:\n  candidates: [openai:gpt-4o-mini, anthropic:claude-haiku-4-5]\n',
    );
    const chat = start('-m', 'auto:cheap');
    await chat.waitFor((screen) => /^llmo chat · openai:gpt-4o-mini ·/m.test(screen), 'the welcome line', 15_000, 50);
    fake.enqueue('openai', { error: { status: 500 } });
    fake.enqueue('anthropic', { text: 'The runner-up answered.' });
    await chat.send('hi');
    const screen = await chat.waitForText('The runner-up answered.');
    // The notice wraps at the terminal's width.
    expect(screen).toMatch(/warning: openai:gpt-4o-mini failed \([\s\S]*HTTP 500[\s\S]*\); trying\s+anthropic:claude-haiku-4-5/);
    expect(screen).toMatch(/◆ anthropic:claude-haiku-4-5\n {2}The runner-up answered\./);
    await chat.idle();
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);
    const { records } = await readRecords(path.join(home, 'usage'));
    expect(records.map((record) => [record.provider, record.model, record.status, record.routed])).toEqual([
      ['openai', 'gpt-4o-mini', 'error', 'auto:cheap'],
      ['anthropic', 'claude-haiku-4-5', 'ok', undefined],
    ]);
    expect(readSaved(savedConversations()[0]!).messages[1]).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5' });
  });

  it('--profile and --mode show on the status line; /mode switches prompt, temperature and model', { timeout: 60_000 }, async () => {
    expect((await runLlmo(['profile', 'create', 'work'], { home })).code).toBe(0);
    const chat = start('--profile', 'work', '-m', 'openai', '--mode', 'debug');
    await chat.waitForText('Ask anything');
    expect(chat.status()).toMatch(/^openai:\S+ · profile work · mode debug$/);
    await chat.send('it fails');
    await chat.waitForText('Hello from fake openai');
    await chat.idle();
    const first = fake.requestsFor('openai')[0]!.body as { temperature?: number; messages: { role: string; content: string }[] };
    expect(first.temperature).toBe(0.1);
    expect(first.messages[0]!.content).toMatch(/^You are debugging\./);

    await chat.send('/mode research');
    await chat.waitFor((screen) => /mode research: .*\(now anthropic:\S+\)/.test(screen), '/mode to switch');
    expect(chat.status()).toMatch(/^anthropic:\S+ · profile work · mode research/);
    await chat.send('and now?');
    await chat.waitForText('Hello from fake anthropic');
    await chat.idle();
    const second = JSON.stringify(fake.requestsFor('anthropic')[0]!.body);
    expect(second).toContain('You are a careful researcher.');
    // Anthropic takes no temperature (no_temperature): a mode's is left out, without a warning.
    expect(second).not.toContain('temperature');
    expect(chat.screen(60)).not.toContain('warning');
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);
    // Saved in the profile's conversations, not the default profile's.
    expect(readdirSync(path.join(home, 'profiles', 'work', 'conversations')).filter((name) => /^[^.].*\.json$/.test(name))).toHaveLength(1);
    expect(savedConversations()).toEqual([]);
  });

  it('-t starts from a template: its system prompt (variables filled), model and temperature', { timeout: 60_000 }, async () => {
    const saved = await runLlmo(
      [
        'templates',
        'save',
        'rev',
        '--system',
        'You review {{lang}} code.',
        '--prompt',
        'Focus on {{focus}}: {{input}}',
        '-m',
        'openai',
        '--temperature',
        '0.3',
      ],
      { home },
    );
    expect(saved.code, saved.stderr).toBe(0);
    // The chat sends no template prompt, so only the system prompt's variables are asked for.
    const chat = start('-t', 'rev', '-p', 'lang', 'Go');
    await chat.waitForText('template rev: its prompt and schema apply to llmo ask');
    expect(chat.status()).toMatch(/^openai:/);
    await chat.send('hi');
    await chat.waitForText('Hello from fake openai');
    const body = fake.requestsFor('openai')[0]!.body as { temperature?: number; messages: { role: string; content: string }[] };
    expect(body.temperature).toBe(0.3);
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You review Go code.' });
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);
  });

  // Time to the first prompt and CPU while streaming are `npm run bench`'s "llmo chat first
  // prompt" and "llmo chat CPU streaming 5,000 words" rows; here, that a long reply arrives whole.
  it('streams a 5,000-word reply to the end and saves it whole', { timeout: 120_000 }, async () => {
    const chat = start();
    await chat.waitForText('Ask anything', 15_000);
    fake.enqueue('anthropic', { words: 5000 });
    await chat.send('five thousand words');
    // Saved after the reply completes; then the screen settles (the status line is idle again).
    await chat.waitFor(
      () =>
        savedConversations().length === 1 &&
        readSaved(savedConversations()[0]!).messages.length === 2 &&
        !/streaming|waiting/.test(chat.status()),
      'the 5,000-word reply to finish',
      90_000,
    );
    const reply = readSaved(savedConversations()[0]!).messages.at(-1);
    expect(reply.content.split(/\s+/).length).toBe(5000);
  });

  // Compression past a small window, /edit and /fork branches, /attach and a Tab-completed @path.
  describe('compression, branches and attachments', () => {
    const saved = () => {
      const directory = path.join(home, 'conversations');
      return existsSync(directory)
        ? readdirSync(directory)
            .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
            .sort()
            .map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')))
        : [];
    };

    /** The request bodies sent to OpenAI for one model, in order. */
    const openaiBodies = (model: string) =>
      fake
        .requestsFor('openai')
        .map((request) => request.body as { model: string; messages: { role: string; content: unknown }[] })
        .filter((body) => body?.model === model);

    it('passes a small context window: older turns are summarised by chat.compress_model, the chat goes on, the file keeps everything; /edit and /fork branch it', {
      timeout: 120_000,
    }, async () => {
      // A model with a 700-token window; summaries come from gpt-4o-mini.
      writeFileSync(
        path.join(home, 'models.yaml'),
        'openai:\n  models:\n    - name: tiny-window\n      context_window: 700\n      max_tokens: 100\n',
      );
      writeFileSync(path.join(home, 'config.yaml'), 'chat:\n  compress_model: openai:gpt-4o-mini\n');
      fake.setDefault('openai', { words: 60 });
      const chat = start('-m', 'openai:tiny-window');
      await chat.waitForText('Ask anything');

      let turn = 0;
      while (!chat.status().includes('compressed')) {
        turn += 1;
        expect(turn, 'compression within eight turns').toBeLessThanOrEqual(8);
        await chat.send(`question number ${turn}`);
        await chat.waitFor(() => saved()[0]?.messages.length === turn * 2 && !/streaming|waiting/.test(chat.status()), `reply ${turn}`);
      }
      expect(chat.screen(200)).toMatch(/compressed: \d+ earlier messages are sent as a summary by openai:gpt-4o-mini/);
      expect(chat.status()).toMatch(/compressed \(\d+ msgs summarised\)/);
      // The summary was asked of the compress model; the chat model was sent the summary instead of the old turns.
      expect(openaiBodies('gpt-4o-mini')).toHaveLength(1);
      const compressedRequest = openaiBodies('tiny-window').at(-1)!;
      expect(compressedRequest.messages[0]).toMatchObject({ role: 'system' });
      expect(String(compressedRequest.messages[0]!.content)).toContain('The earlier part of this conversation');
      expect(JSON.stringify(compressedRequest.messages)).not.toContain('question number 1"');

      // It keeps going, and the file holds every message with the summary beside them.
      turn += 1;
      await chat.send(`question number ${turn}`);
      await chat.waitFor(
        () => saved()[0]?.messages.length === turn * 2 && !/streaming|waiting/.test(chat.status()),
        'the reply after compression',
      );
      const [full] = saved();
      expect(
        full.messages.filter((message: { role: string }) => message.role === 'user').map((message: { content: string }) => message.content),
      ).toEqual(Array.from({ length: turn }, (_, index) => `question number ${index + 1}`));
      expect(full.compressed).toMatchObject({ model: 'openai:gpt-4o-mini' });
      expect(full.compressed.messages).toBeGreaterThan(0);

      // /edit: the last prompt asked differently, in a new branch; the old one stays as it was.
      await chat.send('/edit a different last question');
      await chat.waitFor(() => saved().length === 2 && !/streaming|waiting/.test(chat.status()), 'the edited branch');
      await chat.waitForText('keeps the old prompt');
      const edited = saved().find((conversation) => conversation.id !== full.id);
      expect(edited.parent).toEqual({ id: full.id, turn: turn - 1 });
      expect(edited.messages.at(-2).content).toBe('a different last question');
      expect(edited.messages).toHaveLength(turn * 2);
      expect(saved().find((conversation) => conversation.id === full.id).messages).toHaveLength(turn * 2);

      // /fork 1: a third conversation holding the first turn of the edited one.
      await chat.send('/fork 1');
      await chat.waitFor(() => saved().length === 3, 'the fork');
      const forked = saved().find((conversation) => conversation.id !== full.id && conversation.id !== edited.id);
      expect(forked.parent).toEqual({ id: edited.id, turn: 1 });
      expect(forked.messages).toHaveLength(2);
      chat.press('C-d');
      expect(await chat.waitForExit()).toBe(0);

      const tree = await runLlmo(['conversations', 'tree', forked.id], { home });
      expect(tree.code).toBe(0);
      expect(tree.stdout.split('\n').slice(0, 3)).toEqual([
        expect.stringMatching(new RegExp(`^${full.id}  question number 1  · ${turn * 2} messages$`)),
        expect.stringMatching(new RegExp(`^└─ ${edited.id}  question number 1  · ${turn * 2} messages · from turn ${turn - 1}$`)),
        expect.stringMatching(new RegExp(`^   └─ ${forked.id}  question number 1  · 2 messages · from turn 1  ◀$`)),
      ]);
    });

    it('refuses an unknown chat.compress_model before the chat opens (exit 3)', { timeout: 30_000 }, async () => {
      writeFileSync(path.join(home, 'config.yaml'), 'chat:\n  compress_model: nonsense\n');
      const chat = start();
      await chat.waitForText('llmo: chat.compress_model: unknown model or alias "nonsense"', 15_000, 50);
      expect(await chat.waitForExit()).toBe(3);
    });

    it('sends an /attach-ed image and an @path text file (completed with Tab) with the next prompt', { timeout: 60_000 }, async () => {
      const recording = path.resolve(import.meta.dirname, 'fake-providers/recordings/anthropic/nonstream_image_base64.meta.json');
      const imageData = JSON.parse(readFileSync(recording, 'utf8')).request.body.messages[0].content[1].source.data;
      writeFileSync(path.join(home, 'photo.png'), Buffer.from(imageData, 'base64'));
      writeFileSync(path.join(home, 'notes-for-the-model.md'), 'The meeting is on Tuesday.\n');
      const chat = start();
      await chat.waitForText('Ask anything');

      await chat.send(`/attach ${path.join(home, 'photo.png')}`);
      await chat.waitForText('attached photo.png: it goes with your next message');
      expect(chat.status()).toContain('1 attached');

      chat.type(`what is in the picture, and see @${home}/notes-for`);
      await chat.waitForText(`see @${home}/notes-for`); // Tab completes what the editor holds
      chat.press('Tab');
      await chat.waitForText(`@${home}/notes-for-the-model.md`);
      chat.press('Enter');
      await chat.waitFor(() => saved().length === 1, 'the reply');
      const body = fake.requestsFor('anthropic').at(-1)!.body as { messages: { content: { type: string; text?: string }[] }[] };
      const parts = body.messages.at(-1)!.content;
      expect(parts.map((part) => part.type)).toEqual(['text', 'image']);
      expect(parts[0]!.text).toContain(`<file path="${home}/notes-for-the-model.md">\nThe meeting is on Tuesday.\n</file>`);
      const [conversation] = saved();
      expect(conversation.messages[0].attachments).toEqual([{ name: 'photo.png', media_type: 'image/png', bytes: expect.any(Number) }]);
      chat.press('C-d');
      expect(await chat.waitForExit()).toBe(0);
    });

    it('chat -a and -f read their files before the chat opens and send them with the first message', { timeout: 60_000 }, async () => {
      const recording = path.resolve(import.meta.dirname, 'fake-providers/recordings/anthropic/nonstream_image_base64.meta.json');
      const imageData = JSON.parse(readFileSync(recording, 'utf8')).request.body.messages[0].content[1].source.data;
      writeFileSync(path.join(home, 'start.png'), Buffer.from(imageData, 'base64'));
      writeFileSync(path.join(home, 'context.md'), 'The build runs on Fridays.\n');
      const missing = start('-a', path.join(home, 'no-such.png'));
      await missing.waitForText('no-such.png', 15_000, 50);
      expect(await missing.waitForExit()).toBe(2);

      const chat = start('-a', path.join(home, 'start.png'), '-f', path.join(home, 'context.md'));
      await chat.waitForText('Ask anything');
      expect(chat.status()).toContain('2 attached');
      await chat.send('what do these say?');
      await chat.waitFor(() => saved().length === 1, 'the reply');
      const body = fake.requestsFor('anthropic').at(-1)!.body as { messages: { content: { type: string; text?: string }[] }[] };
      const parts = body.messages.at(-1)!.content;
      expect(parts.map((part) => part.type)).toEqual(['text', 'image']);
      expect(parts[0]!.text).toContain('The build runs on Fridays.');
      chat.press('C-d');
      expect(await chat.waitForExit()).toBe(0);
    });
  });
});
