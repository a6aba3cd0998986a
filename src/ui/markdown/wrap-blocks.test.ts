import { describe, expect, it } from 'vitest';
import { wrapBlocks, wrapPlain } from './wrap-blocks.js';

describe('wrapBlocks', () => {
  it('wraps plain lines at spaces so no line is wider than the box, losing no word', () => {
    const words = Array.from({ length: 5000 }, (_, index) => `word${index}`);
    const blocks = wrapBlocks(words.join(' '), 50);
    const lines = blocks.flatMap((block) => block.split('\n'));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(50);
    expect(lines.join(' ').split(' ')).toEqual(words);
    // Cut into blocks of whole lines, so anything left to Ink is small.
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.every((block) => block.split('\n').length <= 40)).toBe(true);
  });

  it('breaks a word longer than the box, and keeps short and empty lines as they are', () => {
    expect(wrapPlain('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrapBlocks('one\n\ntwo', 20)).toEqual(['one\n\ntwo']);
    expect(wrapBlocks('', 20)).toEqual(['']);
  });

  it('leaves styled and wide text to Ink, unchanged', () => {
    const styled = `\u001b[1m${'bold words '.repeat(10)}\u001b[22m`;
    const wide = '漢字'.repeat(30);
    expect(wrapBlocks(`${styled}\n${wide}`, 40)).toEqual([`${styled}\n${wide}`]);
  });
});
