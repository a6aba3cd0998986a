/**
 * Helpers for the vault's end-to-end tests: a home with a password file, a vault made at the
 * low test-only scrypt cost (LLMO_VAULT_TEST_SCRYPT_LOG2N), keys added through the real CLI.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runLlmo, type RunOptions, type RunResult } from './run-llmo.js';

/** scrypt N=2^8: a vault opens in a millisecond, so tests pay for processes, not for the KDF. */
export const TEST_COST = { LLMO_VAULT_TEST_SCRYPT_LOG2N: '8' };

export function writePasswordFile(home: string, password: string, name = 'password.txt'): string {
  const file = path.join(home, name);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}

export function llmo(home: string, args: string[], options: Omit<RunOptions, 'home'> = {}): Promise<RunResult> {
  return runLlmo(args, { ...options, home, env: { ...TEST_COST, ...options.env } });
}

export async function expectOk(result: Promise<RunResult> | RunResult): Promise<RunResult> {
  const done = await result;
  expect(done.code, done.stderr).toBe(0);
  return done;
}

export async function initVault(home: string, password = 'correct horse battery staple'): Promise<string> {
  const passwordFile = writePasswordFile(home, password);
  await expectOk(llmo(home, ['auth', 'init', '--password-file', passwordFile]));
  return passwordFile;
}

export async function addKey(home: string, provider: string, key: string, passwordFile: string): Promise<void> {
  await expectOk(llmo(home, ['auth', 'add', provider, '--password-file', passwordFile], { input: `${key}\n` }));
}

/** The pid `auth status` reports for the agent, if one is running. */
export async function agentPid(home: string): Promise<number | undefined> {
  const status = await llmo(home, ['auth', 'status']);
  const match = /agent \(pid (\d+)\)/.exec(status.stdout);
  return match ? Number(match[1]) : undefined;
}

/** Running, and not a zombie (this test machine's pid 1 may not reap the detached agent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Every file under `directory` whose bytes contain one of `needles`. */
export function filesContaining(directory: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const bytes = readFileSync(full);
    if (needles.some((needle) => bytes.includes(Buffer.from(needle)))) found.push(full);
  }
  return found;
}

/** pids whose /proc/<pid>/cmdline contains one of `needles` (Linux only; [] elsewhere). */
export function processesShowing(needles: string[]): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`);
      if (needles.some((needle) => cmdline.includes(Buffer.from(needle)))) found.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
