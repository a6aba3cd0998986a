import { describe, expect, it } from 'vitest';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';

describe('mapMistralFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['error', 'error'],
  ] as const)('maps %s to %s', (finishReason, expected) => {
    expect(mapMistralFinishReason(finishReason)).toBe(expected);
  });

  it('maps a reason the SDK does not know, or none, to other', () => {
    expect(mapMistralFinishReason('content_filter')).toBe('other');
    expect(mapMistralFinishReason(null)).toBe('other');
    expect(mapMistralFinishReason(undefined)).toBe('other');
  });
});
