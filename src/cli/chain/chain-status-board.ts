/**
 * A block of status lines redrawn in place on a terminal (plain ANSI, no ink): one line per
 * step or model, at a bounded frame rate. Notes (warnings, retries) print above the block
 * without breaking it. Used by `chain run` progress and by `parallel` when stdout is not a terminal.
 */

import { charWidth, displayWidth } from '../../orchestrator/display-width.js';

const ESC = '\u001b[';

export interface StatusBoardOptions {
  stream?: NodeJS.WriteStream;
  /** Frames per second at most (default 10). */
  fps?: number;
}

export class StatusBoard {
  private readonly stream: NodeJS.WriteStream;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private drawn = 0;
  private frame = 0;
  private started = false;
  private stopped = false;

  /** `render(frame)` returns the lines to show; the frame number drives spinners. */
  constructor(
    private readonly render: (frame: number) => string[],
    options: StatusBoardOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.intervalMs = Math.round(1000 / (options.fps ?? 10));
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.stream.write(`${ESC}?25l`);
    // A second Ctrl-C exits at once; the cursor must not stay hidden.
    process.once('exit', this.showCursor);
    this.draw();
    this.timer = setInterval(() => this.draw(), this.intervalMs);
    this.timer.unref();
  }

  /** Prints a line above the board. */
  note(line: string): void {
    if (!this.started || this.stopped) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.clear();
    this.stream.write(`${line}\n`);
    this.draw();
  }

  /** Draws the final state and leaves it on screen, or (`clear`) erases the block. */
  stop(options: { clear?: boolean } = {}): void {
    if (this.stopped) return;
    if (!this.started) {
      this.stopped = true;
      return;
    }
    clearInterval(this.timer);
    if (options.clear) this.clear();
    else this.draw();
    this.stopped = true;
    process.off('exit', this.showCursor);
    this.showCursor();
  }

  private readonly showCursor = () => {
    this.stream.write(`${ESC}?25h`);
  };

  private clear(): void {
    if (this.drawn > 0) this.stream.write(`${ESC}${this.drawn}F${ESC}J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (this.stopped) return;
    this.frame += 1;
    const columns = this.stream.columns || 80;
    const rows = this.stream.rows || 24;
    // More lines than the screen holds cannot be redrawn in place: keep the last ones.
    const lines = this.render(this.frame).slice(-(rows - 1));
    const text = lines.map((line) => `${truncateAnsi(line, columns - 1)}\n`).join('');
    this.clear();
    this.stream.write(text);
    this.drawn = lines.length;
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Cuts a line to `width` terminal columns (the last one an ellipsis), keeping its colour codes.
 * Columns, not characters: a wide (CJK) character that crossed the edge would wrap the line and
 * the next redraw would move up one line too few.
 */
export function truncateAnsi(line: string, width: number): string {
  if (displayWidth(stripAnsi(line)) <= width) return line;
  let visible = 0;
  let index = 0;
  let result = '';
  while (index < line.length) {
    const ansiEscape = /^\u001b\[[0-9;?]*[A-Za-z]/.exec(line.slice(index));
    if (ansiEscape) {
      result += ansiEscape[0];
      index += ansiEscape[0].length;
      continue;
    }
    const character = String.fromCodePoint(line.codePointAt(index)!);
    const size = charWidth(character.codePointAt(0)!);
    if (visible + size > width - 1) break;
    result += character;
    visible += size;
    index += character.length;
  }
  return `${result}…${ESC}0m`;
}
