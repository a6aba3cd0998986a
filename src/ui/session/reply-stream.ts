/**
 * Turns a stream of text deltas into at most one screen update per interval (20 a second by
 * default), however fast tokens arrive. Each update hands over the text that became final
 * (complete markdown blocks, and the whole lines of a long paragraph, for <Static>) and the text
 * still pending.
 */
import { findSafeSplitPoint } from '../markdown/split-point.js';

export interface ReplyFrame {
  /** Complete blocks to print once; empty when none completed since the last frame. */
  committed: string;
  /** `committed` goes on with the paragraph the previous committed text was cut in (line-cut.ts). */
  continues?: true;
  /** The unfinished rest, re-rendered each frame. */
  pending: string;
}

export interface ReplyStreamOptions {
  intervalMs?: number;
  onFrame: (frame: ReplyFrame) => void;
  /** When false, nothing is committed yet (e.g. the markdown renderer is still loading). */
  canCommit?: () => boolean;
  /**
   * Where the unfinished paragraph after the last complete block can be cut at a line end
   * (line-cut.ts), or 0; without it a paragraph is committed only once it is complete.
   */
  cutLines?: (paragraph: string) => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class ReplyStream {
  /** What is not committed yet: committed text is dropped, the session keeps the reply. */
  private text = '';
  /** Whether the committed text ends inside a paragraph, cut at a line end. */
  private cutInParagraph = false;
  private timer: unknown;
  private readonly intervalMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: ReplyStreamOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  push(delta: string): void {
    if (delta === '') return;
    this.text += delta;
    this.timer ??= this.setTimer(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  /**
   * Whether the text not committed yet goes on with a paragraph already committed: it is shown
   * without the space that separates blocks.
   */
  get continues(): boolean {
    return this.cutInParagraph;
  }

  /** Emits a frame now (called by the timer). */
  flush(): void {
    const rest = this.text;
    if (this.options.canCommit?.() === false) {
      this.options.onFrame({ committed: '', pending: rest });
      return;
    }
    const blocks = findSafeSplitPoint(rest);
    const lines = this.options.cutLines?.(rest.slice(blocks)) ?? 0;
    const split = blocks + lines;
    const continues = this.cutInParagraph;
    if (split > 0) this.cutInParagraph = lines > 0;
    this.text = rest.slice(split);
    this.options.onFrame({
      committed: rest.slice(0, split),
      ...(continues && split > 0 ? { continues: true as const } : {}),
      pending: rest.slice(split),
    });
  }

  /**
   * Stops the timer and returns everything not yet committed; read `continues` before, as what
   * streams after this (the next step of a tool loop) starts afresh.
   */
  finish(): string {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.cutInParagraph = false;
    const rest = this.text;
    this.text = '';
    return rest;
  }
}
