/**
 * A long text cut into chunks that each fit a token limit (a foreach over `chunks:`): whole
 * paragraphs where they fit, else whole lines, else whole words, else (a single word longer than
 * the limit) plain slices. Tokens are the project's estimate (usage/estimate.ts), on the high
 * side, so a chunk that fits here fits the model.
 */
import { estimateTextTokens, textTokenWeight } from '../usage/estimate.js';

const LEVELS: ReadonlyArray<{ split: RegExp; join: string }> = [
  { split: /\n[ \t]*\n\s*/, join: '\n\n' },
  { split: /\n/, join: '\n' },
  { split: /[ \t]+/, join: ' ' },
];

export function splitChunks(text: string, maxTokens: number): string[] {
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1))
    throw new RangeError(`maxTokens must be a whole number from 1 up, got ${maxTokens}`);
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return pack(trimmed, maxTokens, 0);
}

function pack(text: string, maxTokens: number, level: number): string[] {
  if (estimateTextTokens(text) <= maxTokens) return [text];
  if (level === LEVELS.length) return slices(text, maxTokens);
  const { split, join } = LEVELS[level]!;
  const pieces = text.split(split).filter((piece) => piece !== '');
  // Weights add up (the estimate rounds only at the end), so a chunk's is the sum of its pieces'.
  const separator = textTokenWeight(join);
  const chunks: string[] = [];
  let current: string[] = [];
  let weight = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join(join));
    current = [];
    weight = 0;
  };
  for (const piece of pieces) {
    const size = textTokenWeight(piece);
    if (Math.ceil(size) > maxTokens) {
      // Too big on its own: cut it finer, each part a chunk of its own.
      flush();
      chunks.push(...pack(piece, maxTokens, level + 1));
      continue;
    }
    if (current.length && Math.ceil(weight + separator + size) > maxTokens) flush();
    weight += (current.length ? separator : 0) + size;
    current.push(piece);
  }
  flush();
  return chunks;
}

/** A text with no break to cut at: slices of at most maxTokens tokens, never splitting a surrogate pair. */
function slices(text: string, maxTokens: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxTokens);
    while (end < text.length && estimateTextTokens(text.slice(start, end + 1)) <= maxTokens) end += 1;
    while (end > start + 1 && estimateTextTokens(text.slice(start, end)) > maxTokens) end -= 1;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff && end < text.length && end > start + 1) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
