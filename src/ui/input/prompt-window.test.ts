import { describe, expect, it } from 'vitest';
import { promptWindow } from './prompt-window.js';

const lines = (count: number) => Array.from({ length: count }, (_, index) => `line ${index}`);

describe('promptWindow', () => {
  it('shows everything that fits', () => {
    expect(promptWindow(lines(5), 4, 0, 80, 5)).toEqual({ first: 0, end: 5, slice: undefined });
  });

  it('shows the lines around the cursor, leaving two rows to say what is hidden', () => {
    expect(promptWindow(lines(40), 39, 0, 80, 10)).toEqual({ first: 32, end: 40, slice: undefined });
    expect(promptWindow(lines(40), 0, 0, 80, 10)).toEqual({ first: 0, end: 8, slice: undefined });
    const middle = promptWindow(lines(40), 20, 0, 80, 10);
    expect(middle.first).toBeLessThanOrEqual(20);
    expect(middle.end).toBeGreaterThan(20);
    expect(middle.end - middle.first).toBe(8);
  });

  it('counts the rows a long line wraps to', () => {
    const wide = ['x '.repeat(100), 'short', 'last'];
    expect(promptWindow(wide, 2, 0, 20, 6)).toEqual({ first: 1, end: 3, slice: undefined });
  });

  it('shows the part of one very long line around the cursor', () => {
    const line = 'word '.repeat(2000);
    const view = promptWindow([line], 0, 5000, 50, 10);
    expect(view.first).toBe(0);
    expect(view.slice!.start).toBeLessThan(5000);
    expect(view.slice!.end).toBeGreaterThan(5000);
    expect(view.slice!.end - view.slice!.start).toBeLessThanOrEqual(8 * 50);
  });
});
