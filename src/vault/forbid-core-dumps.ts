/**
 * No core dumps from an llmo process that holds a key: a crash (SIGSEGV, SIGABRT, an OOM abort)
 * under `ulimit -c unlimited` would otherwise write the process's memory — the data key, the
 * password, the API keys — into ./core. Node cannot call setrlimit, so on Linux `prlimit` (from
 * util-linux, always there on Debian and its kin) lowers this process's own limit to 0, soft and
 * hard, before the first key is read; when the soft limit is 0 already (the usual default),
 * nothing is spawned. It runs once per process and only on the paths that open the vault, so plain `llmo ask`
 * with a key in the environment pays nothing. Elsewhere (macOS, Windows) it does nothing: the
 * agent, which holds the key longest, still starts under `ulimit -c 0`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

let limited: Promise<void> | undefined;

export function forbidCoreDumps(): Promise<void> {
  limited ??= lowerCoreLimit();
  return limited;
}

async function lowerCoreLimit(): Promise<void> {
  if (process.platform !== 'linux' || coreLimitIsZero()) return;
  await new Promise<void>((resolve) => {
    const child = spawn('prlimit', ['--pid', String(process.pid), '--core=0:0'], { stdio: 'ignore' });
    // No prlimit (a minimal image): carry on as before rather than refuse to open the vault.
    child.once('error', () => resolve());
    child.once('close', () => resolve());
  });
}

/**
 * True when /proc/self/limits says no core file can be written: the soft limit is 0. Only the
 * process itself could raise it (to its hard limit), and node has no call that does.
 */
export function coreLimitIsZero(limits = readLimits()): boolean {
  return /^Max core file size\s+0\s/m.test(limits);
}

function readLimits(): string {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}
