import { describe, expect, it } from 'vitest';
import { clipToLastRows, rowsOf } from './clip-lines.js';

describe('rowsOf', () => {
  it('counts rows the way words wrap, ignoring ANSI codes', () => {
    expect(rowsOf('', 10)).toBe(1);
    expect(rowsOf('abc def', 7)).toBe(1);
    expect(rowsOf('abc defg', 7)).toBe(2);
    expect(rowsOf('x'.repeat(25), 10)).toBe(3);
    expect(rowsOf('\u001b[1mbold\u001b[22m text', 9)).toBe(1);
  });
});

describe('clipToLastRows', () => {
  it('returns short text unchanged', () => {
    expect(clipToLastRows('a\nb', 80, 5)).toEqual({ text: 'a\nb', hiddenRows: 0 });
  });

  it('keeps whole lines from the end and counts the rows dropped', () => {
    const text = ['one', 'two', 'three', 'x'.repeat(25)].join('\n');
    expect(clipToLastRows(text, 10, 4)).toEqual({ text: `three\n${'x'.repeat(25)}`, hiddenRows: 2 });
  });

  it('keeps the end of a single line that is taller than the room', () => {
    const line = Array.from({ length: 200 }, (_, index) => `w${index}`).join(' ');
    const clipped = clipToLastRows(line, 20, 3);
    expect(rowsOf(clipped.text, 20)).toBeLessThanOrEqual(3);
    expect(clipped.text.endsWith('w199')).toBe(true);
    expect(clipped.hiddenRows).toBeGreaterThan(0);
  });

  it('counts wide characters (CJK, emoji) as two columns', () => {
    expect(rowsOf('漢字漢字漢', 10)).toBe(1);
    expect(rowsOf('漢字漢字漢字', 10)).toBe(2);
    expect(rowsOf('🙂🙂🙂🙂🙂🙂', 10)).toBe(2);
  });
});
