/**
 * Dollars from each vendor's usage shape: the wire usage goes through the adapter's own mapping
 * (so the test follows the adapters), then costOf applies models.yaml prices (USD per 1M tokens).
 * It spans two layers (vendor adapters and usage), so it lives in test/, where any layer may be imported.
 */
import { describe, expect, it } from 'vitest';
import { mapAnthropicUsage } from '../src/providers/anthropic/map-anthropic-usage.js';
import { mapGeminiUsage } from '../src/providers/gemini/map-gemini-usage.js';
import { mapMistralUsage } from '../src/providers/mistral/map-mistral-usage.js';
import { mapOpenAIUsage } from '../src/providers/openai/map-openai-usage.js';
import { costOf, formatUsd, withCommas } from '../src/usage/pricing.js';

// Prices as the shipped models.yaml lists them.
const claudeSonnet = { input: 3.0, output: 15.0, cachedInput: 0.3 };
const claudeHaiku = { input: 1.0, output: 5.0, cachedInput: 0.1 };
const gpt5Mini = { input: 0.25, output: 2.0, cachedInput: 0.025 };
const gemini25Flash = { input: 0.3, output: 2.5, cachedInput: 0.03 };
const mistralSmall = { input: 0.1, output: 0.3 };
const deepseekChat = { input: 0.28, output: 0.42, cachedInput: 0.028 };

describe('costOf, Anthropic usage (input, output, cache read, cache creation)', () => {
  it('prices the recorded stream_text usage', () => {
    // anthropic/stream_text.sse: message_start input 12, message_delta output 5, no cache.
    const usage = mapAnthropicUsage({ input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 });
    expect(costOf(usage, claudeHaiku)).toBeCloseTo((12 * 1 + 5 * 5) / 1e6, 12);
  });

  it('charges cache reads at the cached price and cache writes at the input price', () => {
    // On the wire input_tokens excludes cached tokens; the adapter adds them back in.
    const usage = mapAnthropicUsage({
      input_tokens: 1000,
      cache_read_input_tokens: 4000,
      cache_creation_input_tokens: 2000,
      output_tokens: 500,
    });
    expect(usage).toMatchObject({ inputTokens: 7000, cachedInputTokens: 4000, cacheWriteTokens: 2000 });
    // 1000 × $3 + 4000 × $0.30 + 2000 × $3 + 500 × $15, per million.
    expect(costOf(usage, claudeSonnet)).toBeCloseTo(0.0177, 12);
  });

  it('charges cache writes at their own price when one is given', () => {
    const usage = mapAnthropicUsage({
      input_tokens: 1000,
      cache_read_input_tokens: 4000,
      cache_creation_input_tokens: 2000,
      output_tokens: 500,
    });
    // Anthropic's 5-minute cache write price is 1.25 × input: $3.75.
    expect(costOf(usage, { ...claudeSonnet, cacheWrite: 3.75 })).toBeCloseTo(0.0192, 12);
  });
});

describe('costOf, OpenAI usage (prompt/completion with cached and reasoning tokens)', () => {
  it('prices the recorded stream_text_include_usage usage without counting reasoning twice', () => {
    // openai/stream_text_include_usage.sse: 139 completion tokens, 128 of them reasoning.
    const usage = mapOpenAIUsage({
      prompt_tokens: 11,
      completion_tokens: 139,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128 },
    });
    expect(costOf(usage, gpt5Mini)).toBeCloseTo((11 * 0.25 + 139 * 2) / 1e6, 12);
  });

  it('charges cached prompt tokens at the cached price', () => {
    const usage = mapOpenAIUsage({ prompt_tokens: 2000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1536 } });
    // 464 × $0.25 + 1536 × $0.025 + 300 × $2, per million.
    expect(costOf(usage, gpt5Mini)).toBeCloseTo(0.0007544, 12);
  });

  it("prices DeepSeek's cache hit/miss fields", () => {
    const usage = mapOpenAIUsage({
      prompt_tokens: 1500,
      completion_tokens: 200,
      prompt_cache_hit_tokens: 1000,
      prompt_cache_miss_tokens: 500,
    });
    // 500 × $0.28 + 1000 × $0.028 + 200 × $0.42, per million.
    expect(costOf(usage, deepseekChat)).toBeCloseTo(0.000252, 12);
  });
});

describe('costOf, Gemini usageMetadata (thoughts billed as output)', () => {
  it('prices the recorded thinking usage with thoughts as output tokens', () => {
    // gemini/sse_thinking_include_thoughts.sse, last chunk.
    const usage = mapGeminiUsage({ promptTokenCount: 9, candidatesTokenCount: 5, totalTokenCount: 76, thoughtsTokenCount: 62 });
    expect(usage?.outputTokens).toBe(67);
    expect(costOf(usage, gemini25Flash)).toBeCloseTo((9 * 0.3 + 67 * 2.5) / 1e6, 12);
  });

  it('charges cached content at the cached price', () => {
    const usage = mapGeminiUsage({
      promptTokenCount: 10_000,
      cachedContentTokenCount: 8000,
      candidatesTokenCount: 200,
      thoughtsTokenCount: 300,
    });
    // 2000 × $0.30 + 8000 × $0.03 + 500 × $2.50, per million.
    expect(costOf(usage, gemini25Flash)).toBeCloseTo(0.00209, 12);
  });
});

describe('costOf, Mistral usage', () => {
  it('prices the recorded nonstream_parallel_tool_calls usage', () => {
    const usage = mapMistralUsage({ promptTokens: 227, completionTokens: 36, totalTokens: 263 });
    expect(costOf(usage, mistralSmall)).toBeCloseTo((227 * 0.1 + 36 * 0.3) / 1e6, 12);
  });

  it('charges cached tokens at the input price when the model has no cached price', () => {
    const usage = mapMistralUsage({
      promptTokens: 1000,
      completionTokens: 100,
      totalTokens: 1100,
      prompt_tokens_details: { cached_tokens: 600 },
    } as never);
    expect(usage?.cachedInputTokens).toBe(600);
    expect(costOf(usage, mistralSmall)).toBeCloseTo((1000 * 0.1 + 100 * 0.3) / 1e6, 12);
  });
});

describe('costOf edge cases', () => {
  it('is undefined (unpriced), never $0, for a model without prices', () => {
    expect(costOf({ inputTokens: 1000, outputTokens: 1000 }, undefined)).toBeUndefined();
  });

  it('is undefined when no usage was reported', () => {
    expect(costOf(undefined, gpt5Mini)).toBeUndefined();
  });

  it('is $0 for a priced call that used no tokens', () => {
    expect(costOf({ inputTokens: 0, outputTokens: 0 }, gpt5Mini)).toBe(0);
  });

  it('never lets cache counts above the prompt total make a negative cost', () => {
    expect(costOf({ inputTokens: 10, outputTokens: 0, cachedInputTokens: 50, cacheWriteTokens: 50 }, claudeSonnet)).toBeCloseTo(
      (10 * 0.3) / 1e6,
      12,
    );
  });
});

describe('formatUsd', () => {
  it('shows unpriced, zero, tiny, cents and dollars readably', () => {
    expect(formatUsd(undefined)).toBe('unpriced');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.000435)).toBe('$0.000435');
    expect(formatUsd(0.0000001)).toBe('<$0.000001');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(12.345)).toBe('$12.35');
  });
});

describe('withCommas', () => {
  it('groups thousands', () => {
    expect([0, 999, 1000, 1_234_567].map(withCommas)).toEqual(['0', '999', '1,000', '1,234,567']);
  });
});
