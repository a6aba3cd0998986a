/**
 * Turns a stream of text deltas into at most one screen update per interval (20 a second by
 * default), however fast tokens arrive. Each update hands over the text that became final
 * (complete markdown blocks, for <Static>) and the text still pending.
 */
import { findSafeSplitPoint } from '../markdown/split-point.js';

export interface ReplyFrame {
  /** Complete blocks to print once; empty when none completed since the last frame. */
  committed: string;
  /** The unfinished rest, re-rendered each frame. */
  pending: string;
}

export interface ReplyStreamOptions {
  intervalMs?: number;
  onFrame: (frame: ReplyFrame) => void;
  /** When false, nothing is committed yet (e.g. the markdown renderer is still loading). */
  canCommit?: () => boolean;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class ReplyStream {
  private text = '';
  private committedLength = 0;
  private timer: unknown;
  private readonly intervalMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: ReplyStreamOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  get fullText(): string {
    return this.text;
  }

  push(delta: string): void {
    if (delta === '') return;
    this.text += delta;
    this.timer ??= this.setTimer(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  /** Emits a frame now (called by the timer). */
  flush(): void {
    const rest = this.text.slice(this.committedLength);
    const split = this.options.canCommit?.() === false ? 0 : findSafeSplitPoint(rest);
    this.committedLength += split;
    this.options.onFrame({ committed: rest.slice(0, split), pending: rest.slice(split) });
  }

  /** Stops the timer and returns everything not yet committed. */
  finish(): string {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const rest = this.text.slice(this.committedLength);
    this.committedLength = this.text.length;
    return rest;
  }
}
