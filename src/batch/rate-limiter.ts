/**
 * Paces request starts for a batch: at most `rpm` requests and `tpm` tokens a minute, spread
 * evenly rather than in bursts. A 429 pauses every new start until the vendor's retry-after has
 * passed and lowers the request rate by a quarter; each success afterwards wins a little of it
 * back, up to what was asked for. Without limits it only reacts to 429s.
 */
import { sleep } from '../providers/retry.js';

export interface RateLimits {
  rpm?: number | undefined;
  tpm?: number | undefined;
}

export interface RateLimiterOptions extends RateLimits {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waited out when a 429 names no retry-after. */
const DEFAULT_PAUSE_MS = 1000;
const SLOWDOWN = 0.75;
const RECOVERY = 1.02;

export class RateLimiter {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly ceilingRpm: number | undefined;
  private rpm: number | undefined;
  private readonly tpm: number | undefined;
  private nextStartAt = 0;
  private pausedUntil = 0;
  private tokens: number;
  private tokensAt: number;
  /** Starts wait in line, so pacing holds however many workers ask at once. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.ceilingRpm = options.rpm;
    this.rpm = options.rpm;
    this.tpm = options.tpm;
    this.tokens = options.tpm ?? 0;
    this.tokensAt = this.now();
  }

  /** The request rate in force now (lowered after 429s); undefined when unlimited. */
  get currentRpm(): number | undefined {
    return this.rpm;
  }

  /** Resolves when a request of about `tokens` tokens may start. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForTurn(tokens, signal));
    // One failed wait (an abort) must not block those behind it.
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async waitForTurn(tokens: number, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      const waitMs = Math.max(this.pausedUntil - now, this.nextStartAt - now, this.tokenWaitMs(tokens, now));
      if (waitMs <= 0) break;
      await this.sleep(waitMs, signal);
    }
    const now = this.now();
    if (this.rpm !== undefined) this.nextStartAt = Math.max(now, this.nextStartAt) + 60_000 / this.rpm;
    if (this.tpm !== undefined) {
      this.refill(now);
      this.tokens -= Math.min(tokens, this.tpm);
    }
  }

  private refill(now: number): void {
    if (this.tpm === undefined) return;
    this.tokens = Math.min(this.tpm, this.tokens + ((now - this.tokensAt) * this.tpm) / 60_000);
    this.tokensAt = now;
  }

  private tokenWaitMs(tokens: number, now: number): number {
    if (this.tpm === undefined) return 0;
    this.refill(now);
    // A request larger than the whole minute's allowance goes when the bucket is full.
    const needed = Math.min(tokens, this.tpm) - this.tokens;
    return needed <= 0 ? 0 : Math.ceil((needed * 60_000) / this.tpm);
  }

  /** A 429: hold every new start for `retryAfterMs` and slow down. */
  rateLimited(retryAfterMs: number | undefined): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + (retryAfterMs ?? DEFAULT_PAUSE_MS));
    if (this.rpm !== undefined) this.rpm = Math.max(1, this.rpm * SLOWDOWN);
  }

  /** A request went through: recover some of the rate a 429 took away. */
  succeeded(): void {
    if (this.rpm !== undefined && this.ceilingRpm !== undefined && this.rpm < this.ceilingRpm)
      this.rpm = Math.min(this.ceilingRpm, this.rpm * RECOVERY);
  }
}
