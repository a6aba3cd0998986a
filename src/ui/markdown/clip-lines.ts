/**
 * Keeps the last `maxRows` terminal rows of rendered text. Ink clears and redraws the whole
 * screen when its live area is taller than the terminal, which flickers; keeping the pending
 * reply shorter than the screen avoids that. Rows are counted the way Ink wraps: by words,
 * breaking words longer than a row (ANSI codes do not count).
 */
import { stripVTControlCharacters } from 'node:util';
import { displayWidth } from '../../orchestrator/display-width.js';

export interface ClippedLines {
  text: string;
  /** Rows dropped from the top. */
  hiddenRows: number;
}

/** How many rows `line` takes when word-wrapped at `width` columns. */
export function rowsOf(line: string, width: number): number {
  const columns = Math.max(1, width);
  let rows = 1;
  let column = 0;
  for (const word of stripVTControlCharacters(line).split(' ')) {
    // Columns, not characters: CJK and emoji take two each.
    const wordWidth = displayWidth(word);
    const needed = column === 0 ? wordWidth : column + 1 + wordWidth;
    if (needed <= columns) {
      column = needed;
      continue;
    }
    rows += column === 0 ? 0 : 1;
    rows += Math.floor(Math.max(0, wordWidth - 1) / columns);
    column = wordWidth % columns || (wordWidth ? columns : 0);
  }
  return rows;
}

export function clipToLastRows(text: string, width: number, maxRows: number): ClippedLines {
  const lines = text.split('\n');
  let rows = 0;
  let first = lines.length;
  while (first > 0) {
    const next = rowsOf(lines[first - 1]!, width);
    if (rows + next > maxRows) break;
    rows += next;
    first -= 1;
  }
  if (first === 0) return { text, hiddenRows: 0 };
  const hidden = lines.slice(0, first).reduce((total, line) => total + rowsOf(line, width), 0);
  if (first < lines.length) return { text: lines.slice(first).join('\n'), hiddenRows: hidden };
  // One line taller than the room: keep the words at its end that fit.
  const line = stripVTControlCharacters(lines.at(-1)!);
  let keep = line.slice(-(maxRows * width));
  while (keep !== '' && rowsOf(keep, width) > maxRows) keep = keep.slice(Math.max(1, keep.indexOf(' ', 1) + 1 || width));
  return { text: keep, hiddenRows: rowsOf(line, width) - rowsOf(keep, width) };
}
