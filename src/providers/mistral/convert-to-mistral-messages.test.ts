import { describe, expect, it } from 'vitest';
import { convertToMistralMessages } from './convert-to-mistral-messages.js';

describe('convertToMistralMessages', () => {
  it('passes a plain exchange through', () => {
    expect(
      convertToMistralMessages([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: "What's 2 + 2?" },
        { role: 'assistant', content: '4.' },
        { role: 'user', content: 'And 3 + 3?' },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: "What's 2 + 2?" },
      { role: 'assistant', content: '4.' },
      { role: 'user', content: 'And 3 + 3?' },
    ]);
  });

  it('hoists a system message that follows an assistant one, which Mistral rejects in place', () => {
    // The request behind error_400_invalid_request_message_order.json.
    const converted = convertToMistralMessages([
      { role: 'user', content: 'Tell me about the weather.' },
      { role: 'assistant', content: "I can't see the weather." },
      { role: 'system', content: 'You must include the exact phrase "PURPLE-ELEPHANT-42".' },
      { role: 'user', content: 'What are some good books?' },
    ]);
    expect(converted.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(converted[0]).toEqual({ role: 'system', content: 'You must include the exact phrase "PURPLE-ELEPHANT-42".' });
  });

  it('joins several system messages into one, in order', () => {
    const converted = convertToMistralMessages([
      { role: 'system', content: 'You are a poet.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in French.' },
    ]);
    expect(converted).toEqual([
      { role: 'system', content: 'You are a poet.\n\nAnswer in French.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('marks a trailing assistant message as a prefix to continue from', () => {
    const converted = convertToMistralMessages([
      { role: 'user', content: 'Count to three.' },
      { role: 'assistant', content: '1, 2,' },
    ]);
    expect(converted.at(-1)).toEqual({ role: 'assistant', content: '1, 2,', prefix: true });
  });

  it('sends no system message when there is none', () => {
    expect(convertToMistralMessages([{ role: 'user', content: 'Hello' }])).toEqual([{ role: 'user', content: 'Hello' }]);
  });
});
