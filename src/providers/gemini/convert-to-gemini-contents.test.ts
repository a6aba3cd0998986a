import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
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

  it('sends user parts in order: text, image bytes as base64 inlineData, a PDF URL as fileData', () => {
    const { contents } = convertToGeminiContents([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', mediaType: 'image/png', source: { type: 'bytes', data: new Uint8Array([137, 80, 78, 71]) } },
          { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/a.pdf' } },
        ],
      },
    ]);
    expect(contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare these.' },
          { inlineData: { data: 'iVBORw==', mimeType: 'image/png' } },
          { fileData: { fileUri: 'https://example.com/a.pdf', mimeType: 'application/pdf' } },
        ],
      },
    ]);
  });

  it('sends parallel calls as one model turn with their signatures, and their results as one user turn, by encoded name', () => {
    const codec = createToolNameCodec(['fs.read', 'clock']);
    const { contents } = convertToGeminiContents(
      [
        { role: 'user', content: 'Go.' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'r-call-0', name: 'fs.read', arguments: { path: 'a' }, providerMetadata: { thoughtSignature: 'c2ln' } },
            { id: 'r-call-1', name: 'clock', arguments: {} },
          ],
        },
        {
          role: 'tool',
          results: [
            { toolCallId: 'r-call-0', name: 'fs.read', content: 'denied', isError: true },
            { toolCallId: 'r-call-1', name: 'clock', content: '12:00' },
          ],
        },
      ],
      codec,
    );
    expect(contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'fs__read', args: { path: 'a' } }, thoughtSignature: 'c2ln' },
          { functionCall: { name: 'clock', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'fs__read', response: { error: 'denied' } } },
          { functionResponse: { name: 'clock', response: { output: '12:00' } } },
        ],
      },
    ]);
  });
});
