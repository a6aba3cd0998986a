import { describe, expect, it } from 'vitest';
import { mapMistralUsage } from './map-mistral-usage.js';

describe('mapMistralUsage', () => {
  it('maps the usage of the recorded tool-call stream, cached tokens included', () => {
    // stream_tool_calls.sse, as the SDK parses it: known keys camel-cased, the rest passed through.
    const usage = {
      promptTokens: 159,
      totalTokens: 187,
      completionTokens: 28,
      prompt_tokens_details: { cached_tokens: 128 },
      serviceTier: 'standard',
    };
    expect(mapMistralUsage(usage)).toEqual({ inputTokens: 159, outputTokens: 28, cachedInputTokens: 128 });
  });

  it('keeps a reported zero cache count', () => {
    // stream_text.sse
    const usage = { promptTokens: 22, totalTokens: 30, completionTokens: 8, prompt_tokens_details: { cached_tokens: 0 } };
    expect(mapMistralUsage(usage)).toStrictEqual({ inputTokens: 22, outputTokens: 8, cachedInputTokens: 0 });
  });

  it('reads the cache count under the name a newer SDK would give it', () => {
    const usage = { promptTokens: 10, completionTokens: 2, promptTokensDetails: { cachedTokens: 4 } };
    expect(mapMistralUsage(usage)?.cachedInputTokens).toBe(4);
  });

  it('leaves the cache count out when Mistral did not report one', () => {
    expect(mapMistralUsage({ promptTokens: 5, completionTokens: 1, totalTokens: 6 })).toStrictEqual({
      inputTokens: 5,
      outputTokens: 1,
    });
  });

  it('returns undefined when there is no usage', () => {
    expect(mapMistralUsage(undefined)).toBeUndefined();
    expect(mapMistralUsage(null)).toBeUndefined();
  });
});
