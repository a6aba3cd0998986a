import { describe, expect, it } from 'vitest';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

describe('mapGeminiFinishReason', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content-filter'],
    ['RECITATION', 'content-filter'],
    ['BLOCKLIST', 'content-filter'],
    ['PROHIBITED_CONTENT', 'content-filter'],
    ['SPII', 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['LANGUAGE', 'other'],
    ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ])('maps %s to %s', (gemini, llmo) => {
    expect(mapGeminiFinishReason(gemini)).toBe(llmo);
  });

  it('maps STOP to tool-calls when the reply asked for tools, since Gemini has no reason of its own for that', () => {
    expect(mapGeminiFinishReason('STOP', true)).toBe('tool-calls');
    expect(mapGeminiFinishReason('MAX_TOKENS', true)).toBe('length');
  });

  it('maps a missing reason (every chunk but the last) to other', () => {
    expect(mapGeminiFinishReason(undefined)).toBe('other');
  });
});
