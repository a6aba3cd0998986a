/**
 * Shows where in a one-line text something is wrong: the text (or a window of it around the
 * spot, when it is long) and a line of carets under the offending characters.
 */
const WINDOW = 72;

export function caretLines(text: string, start: number, end = start + 1, indent = '  '): string {
  // Only the line that holds the spot, so a multi-line value does not scramble the caret.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEndIndex = text.indexOf('\n', start);
  const line = text.slice(lineStart, lineEndIndex < 0 ? text.length : lineEndIndex);
  let column = [...text.slice(lineStart, start)].length;
  const width = Math.max(1, Math.min([...text.slice(start, Math.max(end, start + 1))].length, [...line].length - column || 1));
  let shown = [...line];
  let prefix = '';
  if (shown.length > WINDOW) {
    const from = Math.max(0, Math.min(column - Math.floor(WINDOW / 2), shown.length - WINDOW));
    const to = from + WINDOW;
    prefix = from > 0 ? '…' : '';
    shown = [...(prefix ? ['…'] : []), ...shown.slice(from, to), ...(to < shown.length ? ['…'] : [])];
    column = column - from + prefix.length;
  }
  return `${shown.join('')}\n${indent}${' '.repeat(column)}${'^'.repeat(Math.min(width, Math.max(1, shown.length - column)))}`;
}
