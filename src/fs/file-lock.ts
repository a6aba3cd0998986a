/**
 * The one lock of llmo: a lock file shared by every process that writes the vault, the budget
 * holds, or anything else that must not be written by two at once. The lock is taken by hard-linking a
 * fully written temp file to `<vault>.lock`, so a lock never exists without its owner's pid.
 * A lock whose pid is dead (a writer that was killed), or that is older than STALE_MS, is stale
 * and is broken — under a second, short-lived `.break` lock so two processes that both saw it
 * stale cannot both delete it and then each other's fresh lock.
 */
import { hostname } from 'node:os';
import { linkSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { sweepOrphans, tempPathFor, writeNewFile } from './atomic-write.js';
import { isProcessAlive, processStartTime } from './process-alive.js';

/** A vault write takes milliseconds; a lock this old belongs to a hung or vanished process. */
const STALE_MS = 30_000;
const BREAKER_STALE_MS = 5_000;

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** What is locked, for the message when it stays busy (default "the vault"). */
  what?: string;
}

export async function withFileLock<T>(lockPath: string, action: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  await acquire(lockPath, options.timeoutMs ?? 15_000, options.what ?? 'the vault');
  try {
    return await action();
  } finally {
    release(lockPath);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  time: number;
  /** The owner's start time (processStartTime), where the system tells it. */
  start?: number | undefined;
}

const ownStart = (): number | undefined => processStartTime(process.pid);

async function acquire(lockPath: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  sweepOrphans(lockPath);
  sweepOrphans(`${lockPath}.break`);
  for (let attempt = 0; ; attempt += 1) {
    if (tryCreate(lockPath)) return;
    const observed = readOwner(lockPath);
    if (observed !== undefined && isStale(observed.owner, observed.mtimeMs, STALE_MS)) {
      await breakStale(lockPath, observed.text);
      continue;
    }
    if (Date.now() > deadline) {
      const who = observed?.owner ? ` (pid ${observed.owner.pid})` : '';
      throw new EnvironmentError(`${what} is busy: another llmo process holds ${lockPath}${who}`, {
        hint: `try again when it has finished; if no llmo is running, delete ${lockPath}`,
      });
    }
    await sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 20);
  }
}

/** True when we now own the lock. */
function tryCreate(lockPath: string): boolean {
  const temp = tempPathFor(lockPath);
  const start = ownStart();
  const owner: LockOwner = { pid: process.pid, host: hostname(), time: Date.now(), ...(start === undefined ? {} : { start }) };
  writeNewFile(temp, Buffer.from(`${JSON.stringify(owner)}\n`));
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function release(lockPath: string): void {
  const current = readOwner(lockPath);
  // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
  if (current?.owner?.pid === process.pid && current.owner.host === hostname()) {
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone
    }
  }
}

function readOwner(lockPath: string): { text: string; owner: LockOwner | undefined; mtimeMs: number } | undefined {
  try {
    const text = readFileSync(lockPath, 'utf8');
    const mtimeMs = statSync(lockPath).mtimeMs;
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockOwner>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.time === 'number') owner = parsed as LockOwner;
    } catch {
      // unreadable content: judged by age alone
    }
    return { text, owner, mtimeMs };
  } catch {
    return undefined;
  }
}

function isStale(owner: LockOwner | undefined, mtimeMs: number, staleMs: number): boolean {
  const time = owner?.time ?? mtimeMs;
  if (Date.now() - time > staleMs) return true;
  if (!owner) return false;
  if (owner.host !== hostname() || owner.pid === process.pid) return false;
  if (!isProcessAlive(owner.pid)) return true;
  // Alive, but a different process that was given the dead owner's pid.
  return owner.start !== undefined && processStartTime(owner.pid) !== owner.start;
}

async function breakStale(lockPath: string, staleText: string): Promise<void> {
  const breaker = `${lockPath}.break`;
  if (!tryCreate(breaker)) {
    const holder = readOwner(breaker);
    if (holder !== undefined && isStale(holder.owner, holder.mtimeMs, BREAKER_STALE_MS)) {
      try {
        unlinkSync(breaker);
      } catch {
        // someone else cleared it
      }
    }
    await sleep(5 + Math.random() * 10);
    return;
  }
  try {
    // Still the very lock we judged stale? Then nobody has taken it since; remove it.
    const again = readOwner(lockPath);
    if (again?.text === staleText) unlinkSync(lockPath);
  } catch {
    // gone already
  } finally {
    unlinkSync(breaker);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
