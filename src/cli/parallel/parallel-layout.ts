/**
 * Pure text layout for `llmo parallel` on a terminal: model text made safe to print, wrapped to
 * a display width (wide CJK and emoji count two), laid out in columns side by side or stacked,
 * and the summary table. No I/O here, so every layout is testable at a fixed width.
 */

import { charWidth, displayWidth } from '../../orchestrator/display-width.js';

export { charWidth, displayWidth };

/** Columns narrower than this are unreadable: stack the answers instead. */
export const MIN_COLUMN_WIDTH = 38;
export const COLUMN_SEPARATOR = ' │ ';

/** Can `count` answers sit side by side in `columns`? */
export function fitsSideBySide(count: number, columns: number): boolean {
  return count > 1 && count * MIN_COLUMN_WIDTH + (count - 1) * COLUMN_SEPARATOR.length <= columns;
}

export function columnWidth(count: number, columns: number): number {
  return Math.floor((columns - (count - 1) * COLUMN_SEPARATOR.length) / count);
}

/** A model's text without escape sequences or control characters that would garble the screen. */
export function sanitize(text: string): string {
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** Pads (or cuts, with an ellipsis) to exactly `width` display columns. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text + ' '.repeat(width - displayWidth(text));
  let result = '';
  let used = 0;
  for (const character of text) {
    const size = charWidth(character.codePointAt(0)!);
    if (used + size > width - 1) break;
    result += character;
    used += size;
  }
  return `${result}…${' '.repeat(Math.max(0, width - used - 1))}`;
}

/** Wraps text to `width` display columns, breaking at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of sanitize(text).split('\n')) wrapParagraph(paragraph, width, lines);
  return lines;
}

/**
 * The last `count` lines of `wrap(text, width)`, wrapping only the paragraphs they come from
 * (the live view redraws ten times a second and shows only the end of each answer); none for
 * text that shows nothing.
 */
export function lastLines(text: string, width: number, count: number): string[] {
  const clean = sanitize(text);
  if (clean === '') return [];
  let lines: string[] = [];
  for (let end = clean.length; ; ) {
    const newline = end === 0 ? -1 : clean.lastIndexOf('\n', end - 1);
    const paragraph: string[] = [];
    wrapParagraph(clean.slice(newline + 1, end), width, paragraph);
    lines = paragraph.concat(lines);
    if (lines.length >= count || newline < 0) return lines.slice(-count);
    end = newline;
  }
}

/**
 * Greedy wrapping of one paragraph into `lines`, measuring each character once: measuring the
 * rest of the paragraph again for every line made a long answer quadratic (5,000 words in 20
 * panes took 40 ms a frame).
 */
function wrapParagraph(paragraph: string, width: number, lines: string[]): void {
  let start = 0;
  let remaining = displayWidth(paragraph);
  while (remaining > width) {
    // The longest head that fits (at least one character, even one wider than the column).
    let end = start;
    let used = 0;
    while (end < paragraph.length) {
      const codePoint = paragraph.codePointAt(end)!;
      if (used + charWidth(codePoint) > width && end > start) break;
      used += charWidth(codePoint);
      end += codePoint > 0xffff ? 2 : 1;
    }
    const space = paragraph.lastIndexOf(' ', end - 1);
    const breakAt = space > start ? space : end;
    const line = paragraph.slice(start, breakAt);
    lines.push(line.trimEnd());
    remaining -= displayWidth(line);
    start = breakAt;
    if (paragraph.charCodeAt(start) === 0x20) {
      start += 1;
      remaining -= 1;
    } else if (used > width && start === paragraph.length) {
      // The last character was wider than the column, and is shown: nothing is left for a line.
      return;
    }
  }
  lines.push(paragraph.slice(start));
}

/** Cells side by side: every column `width` wide, rows as tall as the tallest column. */
export function joinColumns(columns: readonly string[][], width: number, separator = COLUMN_SEPARATOR): string[] {
  const height = Math.max(0, ...columns.map((column) => column.length));
  const rows: string[] = [];
  for (let row = 0; row < height; row += 1) {
    rows.push(
      columns
        .map((column) => fit(column[row] ?? '', width))
        .join(separator)
        .trimEnd(),
    );
  }
  return rows;
}

export interface SummaryRow {
  model: string;
  ttftMs: number | undefined;
  durationMs: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  cost: string;
  status: string;
}

/**
 * The table, made to fit `maxWidth` when it is wider, in steps: shorter headings ("ttft",
 * "in → out"), then the model names without their provider (when they stay distinct), then
 * the model column cut (down to 12).
 */
export function summaryTable(rows: readonly SummaryRow[], maxWidth = Number.POSITIVE_INFINITY): string[] {
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
  const cellsOf = (model: (row: SummaryRow) => string) =>
    rows.map((row) => [
      model(row),
      seconds(row.ttftMs),
      seconds(row.durationMs),
      row.inputTokens === undefined ? '–' : `${row.inputTokens} → ${row.outputTokens ?? '?'}`,
      row.cost,
      row.status,
    ]);
  const widthsOf = (header: string[], cells: string[][]) =>
    header.map((title, column) => Math.max(displayWidth(title), ...cells.map((row) => displayWidth(row[column]!))));
  const totalOf = (widths: number[]) => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);

  let header = ['model', 'first token', 'total', 'tokens in → out', 'cost', 'status'];
  let cells = cellsOf((row) => row.model);
  let widths = widthsOf(header, cells);
  if (totalOf(widths) > maxWidth) {
    header = ['model', 'ttft', 'total', 'in → out', 'cost', 'status'];
    widths = widthsOf(header, cells);
  }
  const bare = rows.map((row) => row.model.slice(row.model.indexOf(':') + 1));
  if (totalOf(widths) > maxWidth && new Set(bare).size === bare.length) {
    cells = cellsOf((row) => bare[rows.indexOf(row)]!);
    widths = widthsOf(header, cells);
  }
  const total = totalOf(widths);
  if (total > maxWidth) widths[0] = Math.max(12, widths[0]! - (total - maxWidth));
  const line = (row: string[]) =>
    row
      .map((cell, column) => fit(cell, widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.map(line)];
}
