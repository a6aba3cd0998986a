import { displayWidth, padToWidth } from '../../orchestrator/display-width.js';
import { wrapLines } from '../markdown/terminal-list.js';

/**
 * Left-aligned columns for command output (the last column is not padded). Given the width
 * of the screen, a last column too long for it wraps under itself instead of under the row's
 * start; when the other columns leave it too little room, the row is left to the terminal.
 */
export function columns(rows: readonly (readonly string[])[], indent = '  ', width?: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, displayWidth(cell));
    });
  }
  return rows
    .map((row) => {
      const head =
        indent +
        row
          .slice(0, -1)
          .map((cell, index) => `${padToWidth(cell, widths[index]!)}  `)
          .join('');
      const last = row.at(-1) ?? '';
      const headWidth = displayWidth(head);
      const room = width === undefined ? Infinity : width - headWidth;
      if (displayWidth(last) <= room || room < 20) return (head + last).trimEnd();
      return wrapLines(last, room)
        .split('\n')
        .map((line, index) => (index === 0 ? head : ' '.repeat(headWidth)) + line)
        .join('\n');
    })
    .join('\n');
}
