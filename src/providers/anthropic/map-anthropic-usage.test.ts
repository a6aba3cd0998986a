import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { readRecordedStream, readRecording } from './anthropic-recordings.test-support.js';
import { type AnthropicUsage, mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

/** Folds every usage report of a recorded stream, as the model does. */
function recordedStreamUsage(file: string): AnthropicUsage | undefined {
  let usage: AnthropicUsage | undefined;
  for (const event of readRecordedStream(file)) {
    if (event.type === 'message_start') usage = mergeAnthropicUsage(usage, event.message.usage);
    if (event.type === 'message_delta') usage = mergeAnthropicUsage(usage, event.usage);
  }
  return usage;
}

describe('mapAnthropicUsage', () => {
  it('maps a non-streamed message', () => {
    const message = JSON.parse(readRecording('nonstream_text.json')) as Anthropic.Message;
    expect(mapAnthropicUsage(message.usage)).toEqual({
      inputTokens: 17,
      outputTokens: 15,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it("takes message_delta's cumulative output_tokens, not the sum with message_start's", () => {
    // stream_text: message_start says output_tokens 1, message_delta says 5 (the total).
    expect(mapAnthropicUsage(recordedStreamUsage('stream_text.sse'))).toEqual({
      inputTokens: 12,
      outputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
    // The prefill recording's message_start already counts the 3 prefilled tokens; the delta's 28 wins.
    expect(mapAnthropicUsage(recordedStreamUsage('stream_stop_sequence_prefill.sse'))?.outputTokens).toBe(28);
    expect(mapAnthropicUsage(recordedStreamUsage('stream_thinking_then_text.sse'))).toMatchObject({
      inputTokens: 45,
      outputTokens: 44,
    });
  });

  it('counts cache reads and writes into inputTokens, since the wire input_tokens excludes them', () => {
    const usage = { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 7 };
    expect(mapAnthropicUsage(usage)).toEqual({
      inputTokens: 105,
      outputTokens: 7,
      cachedInputTokens: 90,
      cacheWriteTokens: 5,
    });
  });

  it('reports thinking tokens as reasoning tokens when the API breaks them out', () => {
    const usage = { input_tokens: 3, output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } };
    expect(mapAnthropicUsage(usage)).toEqual({ inputTokens: 3, outputTokens: 50, reasoningTokens: 30 });
  });

  it('leaves out the cache counts a response did not report', () => {
    expect(mapAnthropicUsage({ input_tokens: 4, output_tokens: 2 })).toEqual({ inputTokens: 4, outputTokens: 2 });
    expect(mapAnthropicUsage({ input_tokens: 4, cache_read_input_tokens: null, output_tokens: 2 })).toEqual({
      inputTokens: 4,
      outputTokens: 2,
    });
  });

  it('is undefined when nothing was reported', () => {
    expect(mapAnthropicUsage(undefined)).toBeUndefined();
  });
});

describe('mergeAnthropicUsage', () => {
  it("keeps message_start's input side when message_delta carries only output_tokens (older API versions)", () => {
    const start = { input_tokens: 20, cache_read_input_tokens: 4, cache_creation_input_tokens: 0, output_tokens: 1 };
    expect(mergeAnthropicUsage(start, { output_tokens: 9 })).toEqual({ ...start, output_tokens: 9 });
  });

  it('ignores null fields and a missing report', () => {
    const start = { input_tokens: 20, output_tokens: 1 };
    expect(mergeAnthropicUsage(start, { input_tokens: null, output_tokens: 3 })).toEqual({ input_tokens: 20, output_tokens: 3 });
    expect(mergeAnthropicUsage(start, undefined)).toBe(start);
    expect(mergeAnthropicUsage(undefined, { output_tokens: 2 })).toMatchObject({ output_tokens: 2 });
  });
});
