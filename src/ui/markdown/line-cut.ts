/**
 * Where a long paragraph that is still streaming can be cut so that the part before the cut is
 * whole screen lines which no later text can change. A reply sent as one paragraph never reaches
 * a blank line (split-point.ts), so without this all of it stayed pending until the reply ended
 * and then went to <Static> as one item: for 50,000 words, ~300 KB rendered, wrapped and laid
 * out by Ink in one synchronous frame (200 ms with keys waiting, and the peak of memory). Cut at
 * line ends, the paragraph goes to the scrollback a few dozen lines at a time while it streams.
 *
 * Greedy word wrap, which the markdown renderer's reflow and wrap-blocks.ts both are, breaks a
 * prefix of the words exactly where it breaks the whole; so the words of the first lines, laid
 * out alone, give those same lines. That is checked, not assumed: markup the layout changes
 * (a link, an emphasis spanning the cut) fails the check and the paragraph is not cut there.
 */
import { stripVTControlCharacters } from 'node:util';

/** The text laid out as the scrollback shows it: rendered and wrapped, lines joined by "\n". */
export type Layout = (text: string) => string;

/** A paragraph shorter than this is left whole: cutting it would save nothing. */
export const LONG_PARAGRAPH = 2000;
/** Lines left pending: an inline span (`**…**`) open there may still close. */
const KEEP_LINES = 2;
/** Earlier line ends tried when the latest does not lay out the same alone. */
const ATTEMPTS = 3;
/** What would make a line start something other than more paragraph (list, heading, quote, table, code…). */
const BLOCK_START = /^(?:[-+*#>|=_~`<\s]|\d+[.)])/;
const RESET = /\u001b\[0m/g;
const WORD = /\S+/g;

/**
 * The offset in `paragraph` (a single line of markdown, still growing) up to which it can be
 * committed, or 0. The text before the offset lays out as whole lines; the text after it starts
 * with a word that continues the paragraph.
 */
export function findLineCut(paragraph: string, layout: Layout): number {
  if (paragraph.length < LONG_PARAGRAPH || paragraph.includes('\n') || BLOCK_START.test(paragraph)) return 0;
  const lines = layout(paragraph).split('\n');
  const words = [...paragraph.matchAll(WORD)];
  for (let kept = lines.length - KEEP_LINES, tries = 0; kept >= 1 && tries < ATTEMPTS; kept -= 1, tries += 1) {
    const head = lines.slice(0, kept);
    const count = stripVTControlCharacters(head.join(' ')).match(WORD)?.length ?? 0;
    const last = words[count - 1];
    const next = words[count];
    if (!last || !next || BLOCK_START.test(next[0])) continue;
    const piece = paragraph.slice(0, last.index + last[0].length);
    if (!balanced(piece)) continue;
    if (sameLines(layout(piece), head.join('\n'))) return next.index;
  }
  return 0;
}

/** No code span or strong emphasis left open (an odd number of markers). */
function balanced(text: string): boolean {
  return text.split('`').length % 2 === 1 && text.split('**').length % 2 === 1 && text.split('__').length % 2 === 1;
}

/** Equal but for style resets, which the renderer puts at both ends of a paragraph. */
function sameLines(a: string, b: string): boolean {
  return a.replace(RESET, '').replace(/\s+$/, '') === b.replace(RESET, '').replace(/\s+$/, '');
}
