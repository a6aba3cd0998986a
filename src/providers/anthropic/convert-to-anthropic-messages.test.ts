import { describe, expect, it } from 'vitest';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

describe('convertToAnthropicMessages', () => {
  it('passes alternating turns through as plain strings', () => {
    expect(
      convertToAnthropicMessages([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'What is 2 + 2?' },
      ]),
    ).toEqual({
      system: undefined,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'What is 2 + 2?' },
      ],
    });
  });

  it('hoists system messages, wherever they are, to the system parameter in order', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'assistant', content: 'Salut.' },
    ]);
    expect(prompt.system).toBe('You are terse.\n\nAnswer in French.');
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Salut.' },
    ]);
  });

  it('merges consecutive same-role messages into one turn, one text block each', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: 'Here is a file:' },
      { role: 'user', content: 'def f(): pass' },
      // A system message between two user messages must not keep them apart.
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Review it.' },
      { role: 'assistant', content: 'Looks fine.' },
      { role: 'assistant', content: 'Anything else?' },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here is a file:' },
          { type: 'text', text: 'def f(): pass' },
          { type: 'text', text: 'Review it.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looks fine.' },
          { type: 'text', text: 'Anything else?' },
        ],
      },
    ]);
  });

  it('keeps a trailing assistant message, which Anthropic continues (prefill)', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: 'Write a pelican function' },
      { role: 'assistant', content: '```python' },
    ]);
    expect(prompt.messages.at(-1)).toEqual({ role: 'assistant', content: '```python' });
  });

  it('handles a conversation of nothing but system messages, or nothing at all', () => {
    expect(convertToAnthropicMessages([{ role: 'system', content: 'S' }])).toEqual({ system: 'S', messages: [] });
    expect(convertToAnthropicMessages([])).toEqual({ system: undefined, messages: [] });
  });
});
