import { describe, expect, it } from 'vitest';
import { displayTail } from './display-tail.js';

describe('displayTail', () => {
  it('leaves short text alone', () => {
    expect(displayTail('short', 100)).toEqual({ text: 'short', cut: false });
  });

  it('cuts at a line start so no line shows half', () => {
    const text = `${'a'.repeat(50)}\nsecond line\nthird line`;
    expect(displayTail(text, 25)).toEqual({ text: 'second line\nthird line', cut: true });
  });

  it('cuts one long paragraph at a word', () => {
    const tail = displayTail('alpha beta gamma delta epsilon', 12);
    expect(tail).toEqual({ text: 'epsilon', cut: true });
  });

  it('reopens the code fence the cut fell inside, with its language', () => {
    const code = Array.from({ length: 40 }, (_, index) => `const v${index} = ${index};`).join('\n');
    const tail = displayTail(`Intro\n\n\`\`\`ts\n${code}`, 60);
    expect(tail.text.startsWith('```ts\n')).toBe(true);
    expect(tail.text.endsWith('const v39 = 39;')).toBe(true);
  });
});
