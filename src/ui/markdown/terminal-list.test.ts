import { describe, expect, it } from 'vitest';
import { trimBlankLines, wrapLines } from './terminal-list.js';

describe('wrapLines', () => {
  it('wraps at words, not counting ANSI styles, and leaves short lines alone', () => {
    expect(wrapLines('short', 20)).toBe('short');
    expect(wrapLines('one two three four five six', 13)).toBe('one two three\nfour five six');
    expect(wrapLines('\u001b[1mbold\u001b[22m word again', 11)).toBe('\u001b[1mbold\u001b[22m word\nagain');
  });

  it('keeps a word longer than a row whole', () => {
    expect(wrapLines(`a ${'x'.repeat(30)} b`, 12)).toBe(`a\n${'x'.repeat(30)}\nb`);
  });
});

describe('trimBlankLines', () => {
  it('drops lines that show nothing at either end, keeping their styles on the text', () => {
    expect(trimBlankLines('\n\u001b[1mbold\n\u001b[22m\n')).toBe('\u001b[1mbold\u001b[22m');
    expect(trimBlankLines('  \n')).toBe('');
    expect(trimBlankLines('a\n\nb')).toBe('a\n\nb');
  });
});
