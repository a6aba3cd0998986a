import { describe, expect, it } from 'vitest';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';
import { readRecordedChunks, readRecordedJson } from './openai-recordings.test-support.js';

function lastUsage(vendor: 'openai' | 'deepseek', file: string): OpenAIWireUsage {
  const withUsage = readRecordedChunks(vendor, file).filter((chunk) => chunk.usage);
  return withUsage.at(-1)?.usage as OpenAIWireUsage;
}

describe('mapOpenAIUsage', () => {
  it('reads OpenAI usage with cached and reasoning details (stream_text_include_usage)', () => {
    expect(mapOpenAIUsage(lastUsage('openai', 'stream_text_include_usage.sse'))).toEqual({
      inputTokens: 11,
      outputTokens: 139,
      cachedInputTokens: 0,
      reasoningTokens: 128,
    });
  });

  it('reads a non-streamed OpenAI body (nonstream_text)', () => {
    const body = readRecordedJson('openai', 'nonstream_text.json');
    expect(mapOpenAIUsage(body.usage as OpenAIWireUsage)).toEqual({
      inputTokens: 15,
      outputTokens: 11,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it("reads DeepSeek's usage on the finish chunk, reasoning included (stream_reasoning_content)", () => {
    expect(mapOpenAIUsage(lastUsage('deepseek', 'stream_reasoning_content.sse'))).toEqual({
      inputTokens: 17,
      outputTokens: 47,
      cachedInputTokens: 0,
      reasoningTokens: 34,
    });
  });

  it('reads DeepSeek usage sent without include_usage (stream_text_no_stream_options)', () => {
    expect(mapOpenAIUsage(lastUsage('deepseek', 'stream_text_no_stream_options.sse'))).toEqual({
      inputTokens: 12,
      outputTokens: 89,
      cachedInputTokens: 0,
    });
  });

  it("prefers DeepSeek's prompt_cache_hit_tokens over its prompt_tokens_details look-alike", () => {
    expect(
      mapOpenAIUsage({
        prompt_tokens: 100,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 0 },
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 5, cachedInputTokens: 64 });
  });

  it('reads OpenAI cache writes where reported', () => {
    expect(
      mapOpenAIUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4, cache_write_tokens: 6 } }),
    ).toEqual({ inputTokens: 10, outputTokens: 2, cachedInputTokens: 4, cacheWriteTokens: 6 });
  });

  it('accepts the bare totals a minimal compatible server sends', () => {
    expect(mapOpenAIUsage({ prompt_tokens: 26, completion_tokens: 9 })).toEqual({ inputTokens: 26, outputTokens: 9 });
  });

  it('returns undefined when no usage was reported', () => {
    expect(mapOpenAIUsage(undefined)).toBeUndefined();
    expect(mapOpenAIUsage(null)).toBeUndefined();
    expect(mapOpenAIUsage({})).toBeUndefined();
  });
});
