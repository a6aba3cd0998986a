import type { ContentChunk } from '@mistralai/mistralai/models/components/contentchunk.js';
import { describe, expect, it } from 'vitest';
import { extractMistralContent } from './extract-mistral-content.js';

describe('extractMistralContent', () => {
  it('turns string content into one text delta', () => {
    // stream_text.sse
    expect(extractMistralContent(', 2,')).toEqual([{ type: 'text-delta', text: ', 2,' }]);
  });

  it('drops empty and missing content', () => {
    // Every recorded stream opens with `{"role":"assistant","content":""}`.
    expect(extractMistralContent('')).toEqual([]);
    expect(extractMistralContent(null)).toEqual([]);
    expect(extractMistralContent(undefined)).toEqual([]);
  });

  it('turns a thinking part into a reasoning delta', () => {
    // stream_thinking_content_chunks.sse, third chunk.
    const content: ContentChunk[] = [{ type: 'thinking', thinking: [{ type: 'text', text: 'The' }] }];
    expect(extractMistralContent(content)).toEqual([{ type: 'reasoning-delta', text: 'The' }]);
  });

  it('keeps order when the last thinking part shares a chunk with the first text part', () => {
    // stream_thinking_content_chunks.sse: `[{thinking "4.", closed}, {text "1"}]`, then the string "44".
    const content: ContentChunk[] = [
      { type: 'thinking', thinking: [{ type: 'text', text: '4.' }], closed: true },
      { type: 'text', text: '1' },
    ];
    expect(extractMistralContent(content)).toEqual([
      { type: 'reasoning-delta', text: '4.' },
      { type: 'text-delta', text: '1' },
    ]);
    expect(extractMistralContent('44')).toEqual([{ type: 'text-delta', text: '44' }]);
  });

  it('skips references inside thinking and parts that carry no text', () => {
    const content: ContentChunk[] = [
      {
        type: 'thinking',
        thinking: [
          { type: 'reference', referenceIds: [1] },
          { type: 'text', text: 'why' },
        ],
      },
      { type: 'image_url', imageUrl: 'https://example.com/cat.png' },
      { type: 'text', text: '' },
    ];
    expect(extractMistralContent(content)).toEqual([{ type: 'reasoning-delta', text: 'why' }]);
  });
});
