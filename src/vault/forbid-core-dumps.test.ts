import { describe, expect, it } from 'vitest';
import { coreLimitIsZero } from './forbid-core-dumps.js';

const limits = (soft: string, hard: string) =>
  `Limit                     Soft Limit           Hard Limit           Units     \nMax file size             unlimited            unlimited            bytes     \nMax core file size        ${soft.padEnd(20)} ${hard.padEnd(20)} bytes     \n`;

describe('coreLimitIsZero', () => {
  it('is true when no core file can be written, whatever the hard limit', () => {
    expect(coreLimitIsZero(limits('0', '0'))).toBe(true);
    expect(coreLimitIsZero(limits('0', 'unlimited'))).toBe(true);
  });

  it('is false when a crash could write one, or the limits cannot be read', () => {
    expect(coreLimitIsZero(limits('unlimited', 'unlimited'))).toBe(false);
    expect(coreLimitIsZero(limits('1024', 'unlimited'))).toBe(false);
    expect(coreLimitIsZero('')).toBe(false);
  });
});
