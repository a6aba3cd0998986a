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
  for (const paragraph of sanitize(text).split('\n')) {
    let rest = paragraph;
    while (displayWidth(rest) > width) {
      let cut = 0;
      let used = 0;
      const characters = [...rest];
      while (cut < characters.length && used + charWidth(characters[cut]!.codePointAt(0)!) <= width) {
        used += charWidth(characters[cut]!.codePointAt(0)!);
        cut += 1;
      }
      const head = characters.slice(0, cut).join('');
      const space = head.lastIndexOf(' ');
      const breakAt = space > 0 ? space : head.length;
      lines.push(rest.slice(0, breakAt).trimEnd());
      rest = rest.slice(breakAt).replace(/^ /, '');
    }
    lines.push(rest);
  }
  return lines;
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
