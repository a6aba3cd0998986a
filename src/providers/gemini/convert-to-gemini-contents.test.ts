import { describe, expect, it } from 'vitest';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';

describe('convertToGeminiContents', () => {
  it('sends a lone user message as one user turn, as the recorded requests do', () => {
    expect(convertToGeminiContents([{ role: 'user', content: 'What is 4200 + 42?' }])).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'What is 4200 + 42?' }] }],
      systemInstruction: undefined,
    });
  });

  it('hoists system messages from anywhere into the system instruction, in order', () => {
    const prompt = convertToGeminiContents([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in French.' },
    ]);
    expect(prompt.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] });
    expect(prompt.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('calls the assistant "model"', () => {
    const { contents } = convertToGeminiContents([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'How are you?' },
    ]);
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
  });

  it('merges consecutive messages of one role into one turn, also across a hoisted system message', () => {
    const { contents } = convertToGeminiContents([
      { role: 'user', content: 'First' },
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Second' },
      { role: 'assistant', content: 'A' },
      { role: 'assistant', content: 'B' },
    ]);
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'First' }, { text: 'Second' }] },
      { role: 'model', parts: [{ text: 'A' }, { text: 'B' }] },
    ]);
  });

  it('returns no turns for no messages', () => {
    expect(convertToGeminiContents([])).toEqual({ contents: [], systemInstruction: undefined });
  });
});
