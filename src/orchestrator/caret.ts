/**
 * Shows where in a text something is wrong: the line that holds the spot (or a window of it
 * around the spot, when it is long) and a line of carets under the offending characters.
 * Offsets are string indices; what people see are characters and terminal columns, so the
 * reported column counts characters (an emoji is one) and the caret is placed by display
 * width (a CJK character takes two columns).
 */
import { displayWidth } from './display-width.js';

const WINDOW = 72;

/** `column N` (characters, from 1), or `line L, column N` when the text has several lines. */
export function describePosition(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const column = [...text.slice(lineStart, offset)].length + 1;
  if (!text.includes('\n')) return `column ${column}`;
  const line = text.slice(0, lineStart).split('\n').length;
  return `line ${line}, column ${column}`;
}

export function caretLines(text: string, start: number, end = start + 1, indent = '  '): string {
  // Only the line that holds the spot, so a multi-line value does not scramble the caret.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEndIndex = text.indexOf('\n', start);
  const line = [...text.slice(lineStart, lineEndIndex < 0 ? text.length : lineEndIndex)];
  let column = [...text.slice(lineStart, start)].length;
  const marked = Math.max(1, Math.min([...text.slice(start, Math.max(end, start + 1))].length, line.length - column || 1));
  let shown = line;
  if (shown.length > WINDOW) {
    const from = Math.max(0, Math.min(column - Math.floor(WINDOW / 2), shown.length - WINDOW));
    const to = from + WINDOW;
    const prefix = from > 0 ? ['…'] : [];
    shown = [...prefix, ...shown.slice(from, to), ...(to < shown.length ? ['…'] : [])];
    column = column - from + prefix.length;
  }
  const before = displayWidth(shown.slice(0, column).join(''));
  // Past the end of the line (a missing ")"), the caret sits just after it.
  const under = shown.slice(column, column + marked).join('');
  const width = Math.max(1, displayWidth(under));
  return `${shown.join('')}\n${indent}${' '.repeat(before)}${'^'.repeat(width)}`;
}
