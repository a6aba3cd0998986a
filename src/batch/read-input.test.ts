import { describe, expect, it } from 'vitest';
import { formatOf, splitCsvRow } from './read-input.js';

describe('splitCsvRow', () => {
  it('splits on commas outside quotes and undoubles quotes', () => {
    expect(splitCsvRow('1,"a, b","say ""hi"""')).toEqual(['1', 'a, b', 'say "hi"']);
    expect(splitCsvRow('a,,')).toEqual(['a', '', '']);
  });
  it('says a record is not finished while a quoted field is open', () => {
    expect(splitCsvRow('1,"two')).toBeUndefined();
    expect(splitCsvRow('1,"two\nlines"')).toEqual(['1', 'two\nlines']);
  });
});

describe('formatOf', () => {
  it('reads .csv as CSV and anything else as JSONL', () => {
    expect(formatOf('reviews.CSV')).toBe('csv');
    expect(formatOf('lines.jsonl')).toBe('jsonl');
    expect(formatOf('lines.txt')).toBe('jsonl');
  });
});
