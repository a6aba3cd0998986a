import { describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../usage/estimate.js';
import { splitChunks } from './split-chunks.js';

const paragraph = (words: number, seed: string) => Array.from({ length: words }, (_, index) => `${seed}${index}`).join(' ');

describe('splitChunks', () => {
  it('keeps a text that fits as one chunk, and gives none for blank text', () => {
    expect(splitChunks('  short text \n', 100)).toEqual(['short text']);
    expect(splitChunks(' \n\n ', 100)).toEqual([]);
  });

  it('packs whole paragraphs while they fit', () => {
    const paragraphs = [paragraph(20, 'a'), paragraph(20, 'b'), paragraph(20, 'c'), paragraph(20, 'd')];
    const limit = estimateTextTokens(`${paragraphs[0]}\n\n${paragraphs[1]}`);
    const chunks = splitChunks(paragraphs.join('\n\n'), limit);
    expect(chunks).toEqual([`${paragraphs[0]}\n\n${paragraphs[1]}`, `${paragraphs[2]}\n\n${paragraphs[3]}`]);
  });

  it('cuts a paragraph too long for one chunk at lines, then words, never over the limit and losing nothing', () => {
    const long = Array.from({ length: 30 }, (_, line) => paragraph(15, `w${line}-`)).join('\n');
    const text = `${paragraph(5, 'intro')}\n\n${long}\n\n${'x'.repeat(500)}`;
    const chunks = splitChunks(text, 40);
    for (const chunk of chunks) expect(estimateTextTokens(chunk)).toBeLessThanOrEqual(40);
    expect(chunks.join(' ').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(chunks[0]).toBe(paragraph(5, 'intro'));
  });

  it('never splits a surrogate pair', () => {
    const chunks = splitChunks('😀'.repeat(50), 5);
    for (const chunk of chunks) expect(chunk).toMatch(/^(?:😀)+$/u);
    expect(chunks.join('')).toBe('😀'.repeat(50));
  });
});
