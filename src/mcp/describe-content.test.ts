import { describe, expect, it } from 'vitest';
import { toolResultText } from './describe-content.js';

describe('toolResultText', () => {
  it('joins text and describes what a model cannot read', () => {
    const text = toolResultText({
      content: [
        { type: 'text', text: 'first' },
        { type: 'image', data: 'A'.repeat(4000), mimeType: 'image/png' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource_link', uri: 'file:///a.txt', name: 'a', mimeType: 'text/plain' },
        { type: 'resource', resource: { uri: 'file:///b.txt', mimeType: 'text/plain', text: 'inside b' } },
        { type: 'resource', resource: { uri: 'file:///c.bin', blob: 'AAAAAAAA' } },
      ],
    });
    expect(text).toBe(
      [
        'first',
        '[image: image/png, 2.9 kB]',
        '[audio: audio/wav, 3 bytes]',
        '[resource link: file:///a.txt (text/plain)]',
        '[resource: file:///b.txt (text/plain)]\ninside b',
        '[resource: file:///c.bin, 6 bytes]',
      ].join('\n\n'),
    );
  });

  it('falls back to structured content, then to the old toolResult', () => {
    expect(toolResultText({ content: [], structuredContent: { sum: 5 } })).toBe('{"sum":5}');
    expect(toolResultText({ toolResult: 'old style' })).toBe('old style');
    expect(toolResultText({})).toBe('');
  });
});
