/**
 * Which part of a long prompt to show. A pasted file can be taller than the terminal, and
 * when Ink's live area is, every keystroke clears the screen and reprints the whole
 * scrollback (flicker, and cost that grows with the conversation). So the prompt shows the
 * rows around the cursor, at most `maxRows`, and says how many lines are out of sight.
 */
import { displayWidth } from '../../orchestrator/display-width.js';
import { rowsOf } from '../markdown/clip-lines.js';

export interface PromptWindow {
  /** Index of the first line shown. */
  first: number;
  /** Index after the last line shown. */
  end: number;
  /**
   * When the cursor's line alone is taller than the room: the part of it shown, as offsets
   * into that line (the rest of the window is then that one line).
   */
  slice: { start: number; end: number } | undefined;
}

/** `maxRows` counts the two rows that say what is out of sight, above and below. */
export function promptWindow(
  lines: readonly string[],
  cursorLine: number,
  cursorColumn: number,
  width: number,
  maxRows: number,
): PromptWindow {
  const rows = lines.map((line) => rowsOf(line, width));
  const total = rows.reduce((sum, count) => sum + count, 0);
  if (total <= maxRows) return { first: 0, end: lines.length, slice: undefined };
  const room = Math.max(1, maxRows - 2);
  if (rows[cursorLine]! > room) {
    const line = lines[cursorLine]!;
    // Rows wrap at words, so leave some slack under a full row's worth of characters; wide
    // characters (CJK, emoji) take two columns, so fewer of them fit.
    const unitsPerColumn = line.length / Math.max(1, displayWidth(line));
    const length = Math.max(width, Math.floor(room * width * 0.8 * unitsPerColumn));
    const start = Math.max(0, Math.min(cursorColumn - Math.floor(length / 2), line.length - length));
    return { first: cursorLine, end: cursorLine + 1, slice: { start, end: Math.min(line.length, start + length) } };
  }
  let first = cursorLine;
  let end = cursorLine + 1;
  let used = rows[cursorLine]!;
  for (let grown = true; grown; ) {
    grown = false;
    if (end < lines.length && used + rows[end]! <= room) {
      used += rows[end]!;
      end += 1;
      grown = true;
    }
    if (first > 0 && used + rows[first - 1]! <= room) {
      first -= 1;
      used += rows[first]!;
      grown = true;
    }
  }
  return { first, end, slice: undefined };
}
