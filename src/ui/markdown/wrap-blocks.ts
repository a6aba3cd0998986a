/**
 * Long text laid out for Ink without Ink's whole-text wrap. Ink hands a <Text> whose widest line
 * is wider than its box to wrap-ansi, all of it at once: seconds for a 50,000-word reply (8.4 s
 * measured), during which no key is read. Here the text is cut into blocks of a few dozen lines
 * (each its own <Text>, so anything Ink still wraps is small), and plain lines, the common case,
 * are wrapped here in one pass. Lines with escape codes or wide characters that may not fit are
 * left to Ink, within their block.
 */

import type { MarkdownRenderer } from './load-markdown.js';

const LINES_PER_BLOCK = 40;
const PLAIN = /^[\x20-\x7e]*$/;
const STYLE = /\x1b\[[0-9;]*m/g;

/** A reply as the scrollback shows it `width` columns wide: rendered unless `render` is undefined (raw), in blocks. */
export function layoutReply(text: string, render: MarkdownRenderer | undefined, width: number): string[] {
  return wrapBlocks(render ? render(text, width) : text, width);
}

/** The text as blocks of whole lines, each line fitting `width` columns where that can be known cheaply. */
export function wrapBlocks(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  const blocks: string[] = [];
  let block: string[] = [];
  for (const line of text.split('\n')) {
    for (const piece of fitLine(line, columns)) {
      block.push(piece);
      if (block.length === LINES_PER_BLOCK) {
        blocks.push(block.join('\n'));
        block = [];
      }
    }
  }
  if (block.length > 0 || blocks.length === 0) blocks.push(block.join('\n'));
  return blocks;
}

function fitLine(line: string, columns: number): string[] {
  if (line.length <= columns) return [line];
  if (PLAIN.test(line)) return wrapPlain(line, columns);
  // Styled: fits when what is left without the escape codes is plain and short enough.
  const visible = line.replace(STYLE, '');
  if (visible.length <= columns && PLAIN.test(visible)) return [line];
  // A character takes at most two columns: this surely fits.
  if (visible.length * 2 <= columns) return [line];
  return [line]; // Ink wraps it, within its small block
}

/** Word wrap of printable ASCII: break at the last space that fits, or mid-word when none does. */
export function wrapPlain(line: string, columns: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (line.length - start > columns) {
    const cut = line.lastIndexOf(' ', start + columns);
    if (cut <= start) {
      pieces.push(line.slice(start, start + columns));
      start += columns;
      continue;
    }
    pieces.push(line.slice(start, cut));
    start = cut + 1;
  }
  pieces.push(line.slice(start));
  return pieces;
}
