import { describe, expect, it } from 'vitest';
import { firstWord } from './decide-condition.js';
import { similar } from './run-blocks.js';

describe('similar (until_stable)', () => {
  it('takes outputs that differ only in spacing and case as the same', () => {
    expect(similar('The settled  answer.', 'the settled answer.\n')).toBe(true);
  });

  it('takes outputs sharing 95 % of their words as the same, and less as different', () => {
    const words = Array.from({ length: 40 }, (_, index) => `w${index}`);
    expect(similar(words.join(' '), [...words, 'extra'].join(' '))).toBe(true); // 40 of 41
    expect(similar(words.join(' '), [...words.slice(0, 36), 'a', 'b', 'c', 'd'].join(' '))).toBe(false);
  });
});

describe('firstWord (a judge answer)', () => {
  it('keeps the first word, without punctuation, case folded', () => {
    expect(firstWord('Yes.')).toBe('yes');
    expect(firstWord('  **Bug** — it crashes')).toBe('bug');
    expect(firstWord('')).toBe('');
  });
});
