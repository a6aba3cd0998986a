/**
 * While a long reply streams, only its end fits on screen; rendering all of it 20 times a
 * second would cost time quadratic in its length. This keeps roughly the last `maxChars`,
 * cut at a line start (or a word when the text is one long paragraph), and reopens a code
 * fence the cut fell inside so the tail still renders as code.
 */
import { isInsideCodeFence } from './split-point.js';

export interface DisplayTail {
  text: string;
  /** Whether anything was cut off the front. */
  cut: boolean;
}

export function displayTail(text: string, maxChars: number): DisplayTail {
  if (text.length <= maxChars) return { text, cut: false };
  const from = text.length - maxChars;
  const newline = text.indexOf('\n', from);
  let start: number;
  if (newline !== -1 && newline < text.length - 1) {
    start = newline + 1;
  } else {
    const space = text.slice(from).search(/\s/);
    start = space === -1 ? from : from + space + 1;
  }
  let tail = text.slice(start);
  if (isInsideCodeFence(text, start)) {
    const opener = lastFenceOpener(text.slice(0, start));
    tail = `${opener}\n${tail}`;
  }
  return { text: tail, cut: true };
}

function lastFenceOpener(before: string): string {
  const matches = [...before.matchAll(/^ {0,3}(`{3,}|~{3,})[^\n]*$/gm)];
  return matches.at(-1)?.[0].trim() ?? '```';
}
