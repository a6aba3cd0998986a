import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineAndColumn } from './json-error-offset.js';

describe('jsonErrorOffset', () => {
  it('is undefined for valid JSON', () => {
    expect(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}}')).toBeUndefined();
  });

  it('points at the first mistake, where V8 names no position', () => {
    const text = '{\n  "a": 1,\n  "b": }\n';
    const offset = jsonErrorOffset(text)!;
    expect(lineAndColumn(text, offset)).toEqual({ line: 3, column: 8 });
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1')).toBe(7);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
  });
});
