import { describe, expect, it } from 'vitest';
import { findSafeSplitPoint, isInsideCodeFence } from './split-point.js';

describe('findSafeSplitPoint', () => {
  it('splits after the last blank line', () => {
    const text = 'para one\n\npara two\n\npara three';
    expect(text.slice(findSafeSplitPoint(text))).toBe('para three');
  });

  it('returns 0 when there is no blank line yet', () => {
    expect(findSafeSplitPoint('one paragraph still growing')).toBe(0);
    expect(findSafeSplitPoint('line\nline')).toBe(0);
  });

  it('never splits inside an open code fence: it splits before the fence instead', () => {
    const text = 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;';
    expect(text.slice(0, findSafeSplitPoint(text))).toBe('Intro\n\n');
    expect(isInsideCodeFence(text, text.length)).toBe(true);
  });

  it('splits after a closed code block', () => {
    const text = '```\ncode\n\nmore code\n```\n\nAfter';
    expect(text.slice(findSafeSplitPoint(text))).toBe('After');
  });

  it('does not split when the only blank lines are inside the first open fence', () => {
    expect(findSafeSplitPoint('```\na\n\nb')).toBe(0);
  });

  it('counts ~~~ fences and indented fences, not backticks inside a line', () => {
    expect(isInsideCodeFence('~~~\ncode\n', 9)).toBe(true);
    expect(isInsideCodeFence('use ```x``` inline\n', 18)).toBe(false);
  });
});
