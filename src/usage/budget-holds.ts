/**
 * Budget holds: what calls in flight in other llmo processes could still cost. The usage log
 * only learns what a call cost once it has finished, so without these, two processes checking the
 * same daily budget at the same moment would each see the other's call as free and could pass
 * the limit together (`xargs -P 8 llmo ask …`).
 *
 * Each process keeps one small file, `usage/holds/<host>-<pid>.json`: the worst case of each call
 * it has checked and not yet recorded. A check reads the others' files, and its judgement and its
 * own hold happen under a lock, so two checks cannot both pass on the same headroom. A process
 * that dies leaves its file behind; a file whose process is gone (or that is too old to belong to
 * a live call) counts for nothing and is removed by the next check.
 */
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A lock older than this belongs to a process that died inside its (millisecond) critical section. */
const STALE_LOCK_MS = 10_000;
/** How long to wait for another process's critical section before going ahead without the lock. */
const LOCK_WAIT_MS = 3_000;
/** Holds of another host cannot be checked for liveness; older than this they are let go. */
const FOREIGN_HOLD_MS = 3_600_000;

export interface HoldsOptions {
  /** For tests: whether a process of this host is running. */
  isAlive?: (pid: number) => boolean;
  pid?: number;
  host?: string;
}

export class BudgetHolds {
  private readonly directory: string;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;
  /** This process's holds: `provider:model` → worst case in USD. */
  private readonly own = new Map<string, number>();

  constructor(usageDir: string, options: HoldsOptions = {}) {
    this.directory = path.join(usageDir, 'holds');
    this.pid = options.pid ?? process.pid;
    this.host = (options.host ?? hostname()).replace(/[^A-Za-z0-9.-]/g, '_');
    this.isAlive = options.isAlive ?? processIsAlive;
  }

  /**
   * Runs `judge` under the lock with what other processes' calls in flight could cost, and keeps
   * a hold for this call when it returns one. The lock is only ever held for a few file reads.
   */
  async whileLocked<T>(judge: (othersInFlightUsd: number) => Promise<{ result: T; hold?: { key: string; usd: number } }>): Promise<T> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const release = await this.lock();
    try {
      const { result, hold } = await judge(await this.othersInFlightUsd());
      if (hold) {
        this.own.set(hold.key, hold.usd);
        await this.writeOwn();
      }
      return result;
    } finally {
      await release();
    }
  }

  /** The call for `key` has been recorded in the usage log: its hold goes. */
  async release(key: string): Promise<void> {
    if (!this.own.delete(key)) return;
    await this.writeOwn();
  }

  private get ownFile(): string {
    return path.join(this.directory, `${this.host}-${this.pid}.json`);
  }

  private async writeOwn(): Promise<void> {
    if (this.own.size === 0) {
      await rm(this.ownFile, { force: true });
      return;
    }
    // Whole or not at all: readers never see half a file.
    const temporary = `${this.ownFile}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(this.own)), { mode: 0o600 });
    await rename(temporary, this.ownFile);
  }

  private async othersInFlightUsd(): Promise<number> {
    let total = 0;
    for (const name of await readdir(this.directory)) {
      const match = /^(.+)-(\d+)\.json$/.exec(name);
      if (!match) continue;
      const [, host, pidText] = match as unknown as [string, string, string];
      const pid = Number(pidText);
      if (host === this.host && pid === this.pid) continue;
      const file = path.join(this.directory, name);
      if (!(await this.isLive(file, host, pid))) {
        await rm(file, { force: true });
        continue;
      }
      total += await holdsIn(file);
    }
    return total;
  }

  private async isLive(file: string, host: string, pid: number): Promise<boolean> {
    if (host === this.host) return this.isAlive(pid);
    try {
      return Date.now() - (await stat(file)).mtimeMs < FOREIGN_HOLD_MS;
    } catch {
      return false;
    }
  }

  /** A directory as the lock: mkdir either creates it or fails, atomically, on every filesystem. */
  private async lock(): Promise<() => Promise<void>> {
    const lockDir = path.join(this.directory, '.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(lockDir);
        return () => rm(lockDir, { recursive: true, force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const age = await stat(lockDir).then(
        (stats) => Date.now() - stats.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      // Better a check that may overlap another than a call that never starts.
      if (Date.now() > deadline) return async () => {};
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 + attempt * 3)));
    }
  }
}

async function holdsIn(file: string): Promise<number> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return 0;
    return Object.values(parsed).reduce<number>((sum, usd) => sum + (typeof usd === 'number' && usd > 0 ? usd : 0), 0);
  } catch {
    // Gone since the listing, or unreadable: it holds nothing we can count.
    return 0;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
