import { describe, expect, it } from 'vitest';
import type { AskOptions } from './ask-command.js';
import { directEligible } from './remember-direct-answer.js';

/** What commander gives ask for `llmo ask --cache -m X "q"`. */
const plain: AskOptions = {
  stream: true,
  save: false,
  budget: true,
  fallback: [],
  attach: [],
  fragment: [],
  cache: true,
  model: 'openai:gpt-4o-mini',
};

describe('directEligible', () => {
  it('takes flags that leave a cached reply as it is', () => {
    expect(directEligible(plain)).toBe(true);
    expect(directEligible({ ...plain, system: 'be brief', temperature: '0', maxTokens: '100', raw: true, stream: false })).toBe(true);
  });

  it('refuses routing, and flags that read other files or print something else', () => {
    expect(directEligible({ ...plain, model: 'auto:cheap' })).toBe(false);
    for (const extra of [
      { json: true },
      { streamJson: true },
      { template: 'summary' },
      { mode: 'research' },
      { param: ['a', 'b'] },
      { attach: ['photo.png'] },
      { fragment: ['notes.md'] },
      { fallback: ['anthropic'] },
      { continue: true },
      { resume: 'chat_1' },
      { schema: 'name, age int' },
      { extract: true },
      { explain: true },
    ] as Partial<AskOptions>[]) {
      expect(directEligible({ ...plain, ...extra }), JSON.stringify(extra)).toBe(false);
    }
  });
});
