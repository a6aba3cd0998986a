import { describe, expect, it } from 'vitest';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';

describe('convertToOpenAIMessages', () => {
  it('keeps roles, contents and order, system messages included wherever they are', () => {
    expect(
      convertToOpenAIMessages([
        { role: 'system', content: 'You are a helpful assistant' },
        { role: 'user', content: 'What is 17 * 23?' },
        { role: 'assistant', content: '391' },
        { role: 'system', content: 'Answer in French from now on.' },
        { role: 'user', content: 'And 2 + 2?' },
      ]),
    ).toEqual([
      { role: 'system', content: 'You are a helpful assistant' },
      { role: 'user', content: 'What is 17 * 23?' },
      { role: 'assistant', content: '391' },
      { role: 'system', content: 'Answer in French from now on.' },
      { role: 'user', content: 'And 2 + 2?' },
    ]);
  });

  it('keeps empty contents (the server decides whether they are allowed)', () => {
    expect(convertToOpenAIMessages([{ role: 'user', content: '' }])).toEqual([{ role: 'user', content: '' }]);
  });
});
