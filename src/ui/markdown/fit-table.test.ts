import { describe, expect, it } from 'vitest';
import { fitColumns } from './fit-table.js';

describe('fitColumns', () => {
  it('leaves a table that fits alone', () => {
    expect(fitColumns([10, 20], 30)).toBeUndefined();
  });

  it('keeps narrow columns whole and shares the rest among the wide ones', () => {
    const widths = fitColumns([6, 40, 30], 50)!;
    expect(widths[0]).toBe(6);
    expect(widths.reduce((sum, width) => sum + width, 0)).toBe(50);
    expect(Math.abs(widths[1]! - widths[2]!)).toBeLessThanOrEqual(1);
  });

  it('gives up when the columns cannot get a readable width', () => {
    expect(fitColumns([30, 30, 30, 30], 16)).toBeUndefined();
  });
});
