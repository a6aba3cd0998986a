import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses what people type', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('12h')).toBe(43_200_000);
  });

  it('refuses numbers without a unit and nonsense, as usage errors', () => {
    for (const text of ['15', 'abc', '', '1d', '0s', '5m junk']) {
      expect(() => parseDuration(text), text).toThrow(/--ttl must/);
    }
  });

  it('formats time left', () => {
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(899_000)).toBe('14m 59s');
    expect(formatDuration(43_200_000)).toBe('12h');
    expect(formatDuration(5_460_000)).toBe('1h 31m');
    expect(formatDuration(4_000)).toBe('4s');
  });
});
