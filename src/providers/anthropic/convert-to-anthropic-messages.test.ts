import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
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

  it('sends tool calls as tool_use blocks after the text, and their results as one user turn of tool_result blocks', () => {
    const toolNames = createToolNameCodec(['fs.read_file']);
    const prompt = convertToAnthropicMessages(
      [
        { role: 'user', content: 'Read a.txt and b.txt' },
        {
          role: 'assistant',
          content: 'Reading both.',
          toolCalls: [
            { id: 'toolu_1', name: 'fs.read_file', arguments: { path: 'a.txt' } },
            { id: 'toolu_2', name: 'fs.read_file', arguments: { path: 'b.txt' } },
          ],
        },
        {
          role: 'tool',
          results: [
            { toolCallId: 'toolu_1', name: 'fs.read_file', content: 'alpha' },
            { toolCallId: 'toolu_2', name: 'fs.read_file', content: 'no such file', isError: true },
          ],
        },
        { role: 'user', content: 'Summarise.' },
      ],
      toolNames,
    );
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'Read a.txt and b.txt' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'fs__read_file', input: { path: 'a.txt' } },
          { type: 'tool_use', id: 'toolu_2', name: 'fs__read_file', input: { path: 'b.txt' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'alpha', is_error: false },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no such file', is_error: true },
          // A user message right after the results joins their turn, as the API wants turns to alternate.
          { type: 'text', text: 'Summarise.' },
        ],
      },
    ]);
  });

  it('sends an assistant turn of only tool calls without an empty text block', () => {
    const prompt = convertToAnthropicMessages([{ role: 'assistant', content: '', toolCalls: [{ id: 't', name: 'now', arguments: {} }] }]);
    expect(prompt.messages).toEqual([{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'now', input: {} }] }]);
  });

  it('sends images and PDFs as base64 or URL sources, in the order of the parts', () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
    const prompt = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare:' },
          { type: 'image', mediaType: 'image/png', source: { type: 'bytes', data: bytes } },
          { type: 'image', mediaType: 'image/jpeg', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'document', mediaType: 'application/pdf', source: { type: 'bytes', data: bytes.subarray(1) } },
        ],
      },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'JVBERg==' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('PDF').toString('base64') } },
        ],
      },
    ]);
  });
});
