import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
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

describe('convertToMistralMessages with parts and tools', () => {
  it('sends images as image_url strings and PDFs as document_url, data URLs for bytes', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const [message] = convertToMistralMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these' },
          { type: 'image', mediaType: 'image/png', source: { type: 'bytes', data: bytes } },
          { type: 'image', mediaType: 'image/jpeg', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/a.pdf' }, name: 'a.pdf' },
          { type: 'document', mediaType: 'application/pdf', source: { type: 'bytes', data: bytes } },
        ],
      },
    ]);
    expect(message).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Compare these' },
        { type: 'image_url', imageUrl: 'data:image/png;base64,AQID' },
        { type: 'image_url', imageUrl: 'https://example.com/a.jpg' },
        { type: 'document_url', documentUrl: 'https://example.com/a.pdf', documentName: 'a.pdf' },
        { type: 'document_url', documentUrl: 'data:application/pdf;base64,AQID' },
      ],
    });
  });

  it('sends tool calls with JSON text arguments and one role-tool message per result, names encoded', () => {
    const converted = convertToMistralMessages(
      [
        { role: 'user', content: 'Read a and b' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'c1', name: 'fs.read_file', arguments: { path: 'a' } },
            { id: 'c2', name: 'fs.read_file', arguments: { path: 'b' } },
          ],
        },
        {
          role: 'tool',
          results: [
            { toolCallId: 'c1', name: 'fs.read_file', content: 'A' },
            { toolCallId: 'c2', name: 'fs.read_file', content: 'no such file', isError: true },
          ],
        },
      ],
      createToolNameCodec(['fs.read_file']),
    );
    expect(converted.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', type: 'function', function: { name: 'fs__read_file', arguments: '{"path":"a"}' }, index: 0 },
          { id: 'c2', type: 'function', function: { name: 'fs__read_file', arguments: '{"path":"b"}' }, index: 1 },
        ],
      },
      { role: 'tool', content: 'A', toolCallId: 'c1', name: 'fs__read_file' },
      { role: 'tool', content: 'no such file', toolCallId: 'c2', name: 'fs__read_file' },
    ]);
  });

  it('never marks a trailing turn of tool calls as a prefix', () => {
    const converted = convertToMistralMessages([
      { role: 'user', content: 'Go' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'run', arguments: {} }] },
    ]);
    expect(converted.at(-1)).not.toHaveProperty('prefix');
  });
});
