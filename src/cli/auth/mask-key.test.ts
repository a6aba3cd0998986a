import { describe, expect, it } from 'vitest';
import { maskKey } from './mask-key.js';

describe('maskKey', () => {
  it('keeps a short vendor prefix and the last four characters', () => {
    expect(maskKey('sk-proj-0123456789abcdefghijklmnopqrstuvwxyzabcd')).toBe('sk-…abcd');
    expect(maskKey('sk-ant-api03-0123456789abcdefghijklmnopqrstuvwxyz')).toBe('sk-…wxyz');
    expect(maskKey('AIzaSyA0123456789abcdefghijklmnopqrstu')).toBe('…rstu');
  });

  it('shows nothing of a key too short to spare four characters', () => {
    expect(maskKey('sk-short')).toBe('sk-…');
    expect(maskKey('0123456789')).toBe('…');
  });
});
