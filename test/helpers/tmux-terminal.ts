/**
 * A real terminal for end-to-end chat tests: the built llmo in a tmux session of a private tmux
 * server (one per test file). Keys go in with `send-keys`, the screen comes back with `capture-pane -p`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, llmoBin } from './run-llmo.js';

const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
export const hasTmux = tmuxVersion.status === 0;
// Per test file (each imports this module afresh): one file's kill-server must not end another's sessions.
const socket = `llmo-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const WIDTH = 120;
const HEIGHT = 40;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

let sessions = 0;

/** A script that runs the built llmo in `home` with a clean environment (no keys or LLMO_* of the developer) plus `env`. */
export function writeLauncher(home: string, env: Record<string, string | undefined>): string {
  const variables = cleanEnv(home, { ...env, TERM: 'xterm-256color' });
  const assignments = Object.entries(variables).map(([name, value]) => `${name}=${quote(value!)}`);
  const script = path.join(home, 'llmo.sh');
  writeFileSync(script, `#!/bin/sh\nexec env -i ${assignments.join(' ')} ${quote(process.execPath)} ${quote(llmoBin)} "$@"\n`, {
    mode: 0o700,
  });
  return script;
}

/** Ends this file's tmux server and the socket file it leaves behind. */
export function killTmuxServer(): void {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
}

export class Terminal {
  readonly name = `chat${++sessions}`;
  #pid: number | undefined;

  /** Runs `launcher ARGS…` (see writeLauncher) in a new tmux session of this file's server. */
  constructor(launcher: string, args: string[]) {
    const command = [launcher, ...args].map(quote).join(' ');
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
