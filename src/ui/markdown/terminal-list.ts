/**
 * Lists for the terminal, drawn from marked's tokens. marked-terminal's own list renderer
 * leaves a styled "blank" line between nested items when colour is on, and renumbers the
 * bullets of a list nested in a numbered one ("1. one", "2. two", "* x", "3. y"). Here each
 * item's blocks are rendered on their own and laid out under an aligned marker: nested lists
 * under their item's text, long lines wrapped with a hanging indent.
 */
import type { Token, Tokens } from 'marked';
import { stripVTControlCharacters } from 'node:util';
import { displayWidth } from '../../orchestrator/display-width.js';

/** Renders block tokens (marked's `parser.parse(tokens, top)`). */
export type ParseBlocks = (tokens: Token[], top: boolean) => string;

const visibleWidth = (text: string) => displayWidth(stripVTControlCharacters(text));
const isBlank = (line: string) => stripVTControlCharacters(line).trim() === '';

/**
 * One renderer per terminal width. `indent` goes before a top-level list (marked-terminal's
 * `tab`); nested lists are placed by their parent item instead.
 */
export function createListRenderer(width: number, indent = '  ') {
  // The marker widths of the items being rendered, outermost first: nested calls need them.
  const markers: number[] = [];

  return function renderList(token: Tokens.List, parse: ParseBlocks): string {
    const first = token.ordered && typeof token.start === 'number' ? token.start : 1;
    const labels = token.items.map((_, index) => (token.ordered ? `${first + index}.` : '*'));
    const markerWidth = Math.max(...labels.map((label) => displayWidth(label))) + 1;
    const room = width - indent.length - markers.reduce((total, value) => total + value, 0) - markerWidth;
    markers.push(markerWidth);
    let body: string;
    try {
      const items = token.items.map((item, index) => {
        const blocks: string[] = [];
        for (const child of item.tokens) {
          const rendered = trimBlankLines(parse([child], item.loose));
          if (rendered === '') continue;
          // A nested list has laid itself out for the room it has.
          blocks.push(child.type === 'list' ? rendered : wrapLines(rendered, room));
        }
        const checkbox = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
        const lines = blocks.join(item.loose ? '\n\n' : '\n').split('\n');
        return lines
          .map((line, row) =>
            row === 0 ? `${labels[index]!.padEnd(markerWidth)}${checkbox}${line}` : isBlank(line) ? '' : ' '.repeat(markerWidth) + line,
          )
          .join('\n');
      });
      body = items.join(token.loose ? '\n\n' : '\n');
    } finally {
      markers.pop();
    }
    if (markers.length > 0) return body;
    return `${body
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n')}\n\n`;
  };
}

/**
 * Drops leading and trailing lines that show nothing. Their styles (a reset, the end of a
 * bold) are kept on the nearest line that stays, so no style leaks past the block.
 */
export function trimBlankLines(text: string): string {
  const lines = text.split('\n');
  const codesOf = (line: string) => line.match(/\u001b\[[0-9;]*m/g)?.join('') ?? '';
  while (lines.length > 1 && isBlank(lines.at(-1)!)) {
    const codes = codesOf(lines.pop()!);
    lines[lines.length - 1] += codes;
  }
  while (lines.length > 1 && isBlank(lines[0]!)) {
    const codes = codesOf(lines.shift()!);
    lines[0] = codes + lines[0];
  }
  return isBlank(lines[0]!) && lines.length === 1 ? '' : lines.join('\n');
}

/** Word-wraps each line to `columns` (ANSI styles do not count; a word longer than a row stays whole). */
export function wrapLines(text: string, columns: number): string {
  if (columns < 10) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string[] {
  if (visibleWidth(line) <= columns) return [line];
  const rows: string[] = [];
  let current = '';
  let currentWidth = 0;
  let started = false;
  for (const word of line.split(' ')) {
    const wordWidth = visibleWidth(word);
    if (started && currentWidth > 0 && wordWidth > 0 && currentWidth + 1 + wordWidth > columns) {
      rows.push(current);
      current = word;
      currentWidth = wordWidth;
      continue;
    }
    current = started ? `${current} ${word}` : word;
    currentWidth += (started ? 1 : 0) + wordWidth;
    started = true;
  }
  rows.push(current);
  return rows;
}
