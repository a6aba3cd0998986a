/**
 * Runs the built `llmo` (bin/llmo.js → dist/) as a user would, in a throwaway LLMO_HOME, with
 * no provider keys or LLMO_* variables leaking in from the developer's environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const llmoBin = path.join(repoRoot, 'bin', 'llmo.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. Without it stdin is an empty pipe. */
  input?: string | undefined;
  /** 'null': stdin is /dev/null itself (as under cron, or `</dev/null`), not a pipe. */
  stdin?: 'null';
  home?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A fresh LLMO_HOME directory; removed by `removeHome`. */
export function makeHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'llmo-test-'));
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

const SECRET_VARIABLES = /(_API_KEY|_BASE_URL)$|^LLMO_|^XDG_/;

export function cleanEnv(home: string | undefined, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!SECRET_VARIABLES.test(name) && value !== undefined) env[name] = value;
  }
  env.NO_COLOR = '1';
  if (home) env.LLMO_HOME = home;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function spawnLlmo(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [llmoBin, ...args], {
    cwd: options.cwd ?? options.home ?? repoRoot,
    env: cleanEnv(options.home, options.env),
    stdio: [options.stdin === 'null' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

export function runLlmo(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnLlmo(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** A key for every shipped provider that needs one; the fake providers accept any key. */
export const TEST_KEYS = {
  OPENAI_API_KEY: 'test-key',
  ANTHROPIC_API_KEY: 'test-key',
  GEMINI_API_KEY: 'test-key',
  MISTRAL_API_KEY: 'test-key',
  DEEPSEEK_API_KEY: 'test-key',
} as const;

/** Every chain or parallel run saved in `home`'s runs directory. */
// biome-ignore lint/suspicious/noExplicitAny: saved runs are read loosely by many tests, each for the fields it checks
export function savedRuns(home: string): Array<Record<string, any>> {
  const directory = path.join(home, 'runs');
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')));
}
