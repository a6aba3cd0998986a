/**
 * Budget holds: what calls in flight could still cost. The usage log only learns what a call
 * cost once it has finished, so without these, two calls checking the same daily budget at the
 * same moment would each see the other as free and could pass the limit together
 * (`xargs -P 8 llmo ask …`, or a parallel stage with two branches on one model).
 *
 * Each process keeps one small file, `usage/holds/<host>-<pid>.json`: one entry per call it has
 * checked and not yet recorded (keyed per call, so two calls to one model are two holds). A check
 * counts every hold — other processes' and this one's — and its judgement and its own hold happen
 * under the shared file lock, so two checks cannot both pass on the same headroom.
 *
 * A process that dies mid-call (SIGKILL, SIGHUP, a crash) never records its call. Its holds are
 * then booked by the next check that finds them: one usage record per hold at its worst case,
 * marked estimated, so an interrupted call is never free.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { withFileLock } from '../fs/file-lock.js';
import { isProcessAlive } from '../fs/process-alive.js';

/** Holds of another host cannot be checked for liveness; older than this they are let go. */
const FOREIGN_HOLD_MS = 3_600_000;
/** How long a check waits for another process's few-millisecond critical section. */
const LOCK_WAIT_MS = 15_000;

export interface HoldsOptions {
  /** For tests: whether a process of this host is running. */
  isAlive?: (pid: number) => boolean;
  pid?: number;
  host?: string;
}

/** One call's worst case, from its budget check until its usage record is written. */
export interface Hold {
  provider: string;
  model: string;
  usd: number;
  /** ISO time of the check. */
  time: string;
}

interface WaitingCheck {
  judge: (inFlightUsd: number) => Promise<{ result: unknown; hold?: Hold }>;
  book: (orphans: Hold[]) => Promise<void>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export class BudgetHolds {
  private readonly directory: string;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;
  /** This process's holds, by call id, in the order they were taken. */
  private readonly own = new Map<string, Hold>();
  /** Checks waiting for the next lock session, and the sessions' run while there are any. */
  private readonly waiting: WaitingCheck[] = [];
  private sessions: Promise<void> | undefined;
  /** The last write of the holds file, and the one queued behind it (see save). */
  private lastSave: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | undefined;

  constructor(usageDir: string, options: HoldsOptions = {}) {
    this.directory = path.join(usageDir, 'holds');
    this.pid = options.pid ?? process.pid;
    this.host = (options.host ?? hostname()).replace(/[^A-Za-z0-9.-]/g, '_');
    this.isAlive = options.isAlive ?? isProcessAlive;
  }

  /**
   * Runs `judge` under the lock with what calls in flight could cost (other processes' and this
   * one's) and keeps a hold for this call when it returns one. `book` receives the holds of
   * processes that died, to be recorded at their worst case. A lock that stays busy is an error
   * (exit 9), never a check made without it.
   *
   * Checks that arrive while this process waits for the lock or holds it share its next session
   * (see runSessions): twenty models of a fan-out check at once, and taking the lock twenty
   * times over, each polling for the one before, spread their requests over a third of a second.
   */
  whileLocked<T>(
    judge: (inFlightUsd: number) => Promise<{ result: T; hold?: Hold }>,
    book: (orphans: Hold[]) => Promise<void> = async () => {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ judge, book, resolve: resolve as (result: unknown) => void, reject });
      this.sessions ??= this.runSessions();
    });
  }

  /**
   * One lock session per batch of waiting checks. Each check is still judged alone, in turn,
   * counting the holds of those judged before it; each is answered only once the holds are on
   * disk, where other processes count them.
   */
  private async runSessions(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.runSession(this.waiting.splice(0));
    } finally {
      // At once, with nothing waiting: a check arriving later starts a session of its own.
      this.sessions = undefined;
    }
  }

  private async runSession(batch: WaitingCheck[]): Promise<void> {
    const answers: (() => void)[] = [];
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      await withFileLock(
        path.join(this.directory, '.lock'),
        async () => {
          const { inFlightUsd, orphans } = this.scan();
          if (orphans.length > 0) await batch[0]!.book(orphans.map((orphan) => orphan.hold));
          for (const orphan of orphans) rmSync(orphan.file, { force: true });
          let held = false;
          for (const check of batch) {
            try {
              const ownUsd = [...this.own.values()].reduce((sum, hold) => sum + hold.usd, 0);
              const { result, hold } = await check.judge(inFlightUsd + ownUsd);
              if (hold) {
                this.own.set(randomBytes(6).toString('hex'), hold);
                held = true;
              }
              answers.push(() => check.resolve(result));
            } catch (error) {
              answers.push(() => check.reject(error));
            }
          }
          if (held) await this.save();
        },
        { timeoutMs: LOCK_WAIT_MS, what: 'the budget holds file' },
      );
    } catch (error) {
      // The lock stayed busy, or the holds could not be read or written: every check of the
      // batch fails as it would have alone.
      for (const check of batch) check.reject(error);
      return;
    }
    for (const answer of answers) answer();
  }

  /** A call to this model has been recorded in the usage log: its (oldest) hold goes. */
  async release(call: { provider: string; model: string }): Promise<void> {
    for (const [id, hold] of this.own) {
      if (hold.provider === call.provider && hold.model === call.model) {
        this.own.delete(id);
        await this.save();
        return;
      }
    }
  }

  /**
   * Writes this process's holds, one write at a time, each with the holds as they are when it
   * starts: twenty calls recorded at once each wrote their own snapshot, and an older snapshot
   * renamed last left released holds on disk (booked as orphans, at their worst case, once this
   * process had ended). A change made while a write waits to start is carried by that write.
   */
  private save(): Promise<void> {
    if (!this.queuedSave) {
      const queued = this.lastSave
        .catch(() => undefined)
        .then(() => {
          this.queuedSave = undefined;
          return this.writeOwn();
        });
      this.queuedSave = queued;
      this.lastSave = queued;
    }
    return this.queuedSave;
  }

  private get ownFile(): string {
    return path.join(this.directory, `${this.host}-${this.pid}.json`);
  }

  private async writeOwn(): Promise<void> {
    if (this.own.size === 0) {
      rmSync(this.ownFile, { force: true });
      return;
    }
    await writeFileAtomic(this.ownFile, JSON.stringify(Object.fromEntries(this.own)));
  }

  /** Other processes' holds: the live ones' total, and the dead ones' holds to book. */
  private scan(): { inFlightUsd: number; orphans: { file: string; hold: Hold }[] } {
    let inFlightUsd = 0;
    const orphans: { file: string; hold: Hold }[] = [];
    for (const name of readdirSync(this.directory)) {
      const match = /^(.+)-(\d+)\.json$/.exec(name);
      if (!match) continue;
      const [, host, pidText] = match as unknown as [string, string, string];
      const pid = Number(pidText);
      if (host === this.host && pid === this.pid) continue;
      const file = path.join(this.directory, name);
      const holds = holdsIn(file);
      if (host === this.host ? this.isAlive(pid) : isRecent(file)) {
        inFlightUsd += holds.reduce((sum, hold) => sum + hold.usd, 0);
      } else if (host === this.host) {
        // Dead on this machine: its calls were made (or may have been) and never recorded.
        for (const hold of holds) orphans.push({ file, hold });
        if (holds.length === 0) rmSync(file, { force: true });
      } else {
        rmSync(file, { force: true });
      }
    }
    return { inFlightUsd, orphans };
  }
}

function isRecent(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < FOREIGN_HOLD_MS;
  } catch {
    return false;
  }
}

/** The holds a file lists; the first format (`provider:model` → usd) is still understood. */
function holdsIn(file: string): Hold[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Gone since the listing, or unreadable: it holds nothing we can count.
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const holds: Hold[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
      const colon = key.indexOf(':');
      holds.push({ provider: key.slice(0, colon), model: key.slice(colon + 1), usd: value, time: new Date().toISOString() });
    } else if (typeof value === 'object' && value !== null) {
      const hold = value as Partial<Hold>;
      if (
        typeof hold.usd === 'number' &&
        Number.isFinite(hold.usd) &&
        hold.usd > 0 &&
        typeof hold.provider === 'string' &&
        typeof hold.model === 'string'
      )
        holds.push({
          provider: hold.provider,
          model: hold.model,
          usd: hold.usd,
          time: typeof hold.time === 'string' ? hold.time : new Date().toISOString(),
        });
    }
  }
  return holds;
}
