import type { Usage } from '../spec.js';

/**
 * The usage fields Anthropic reports, in `message_start.message.usage`, in `message_delta.usage`
 * and in a non-streamed message. Everything is optional because `message_delta` may carry only
 * `output_tokens` (older API versions) and newer ones repeat the input fields there.
 */
export interface AnthropicUsage {
  input_tokens?: number | null | undefined;
  cache_creation_input_tokens?: number | null | undefined;
  cache_read_input_tokens?: number | null | undefined;
  output_tokens?: number | null | undefined;
  output_tokens_details?: { thinking_tokens?: number | null | undefined } | null | undefined;
}

/**
 * Folds a later usage report into an earlier one: a field the later one carries wins. In a stream
 * `message_start` has the input side and `output_tokens: 1`; `message_delta` has the cumulative
 * `output_tokens`, so the last report is the whole count (never add them up).
 */
export function mergeAnthropicUsage(
  previous: AnthropicUsage | undefined,
  update: AnthropicUsage | null | undefined,
): AnthropicUsage | undefined {
  if (!update) return previous;
  return {
    input_tokens: update.input_tokens ?? previous?.input_tokens,
    cache_creation_input_tokens: update.cache_creation_input_tokens ?? previous?.cache_creation_input_tokens,
    cache_read_input_tokens: update.cache_read_input_tokens ?? previous?.cache_read_input_tokens,
    output_tokens: update.output_tokens ?? previous?.output_tokens,
    output_tokens_details: update.output_tokens_details ?? previous?.output_tokens_details,
  };
}

/**
 * Anthropic's usage as the spec's. On the wire `input_tokens` excludes the prompt tokens read from
 * or written to the cache; the spec's `inputTokens` counts every prompt token, so they are added.
 */
export function mapAnthropicUsage(usage: AnthropicUsage | undefined): Usage | undefined {
  if (!usage) return undefined;
  const cacheRead = usage.cache_read_input_tokens;
  const cacheWrite = usage.cache_creation_input_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    inputTokens: (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage.output_tokens ?? 0,
    ...(typeof cacheRead === 'number' ? { cachedInputTokens: cacheRead } : {}),
    ...(typeof cacheWrite === 'number' ? { cacheWriteTokens: cacheWrite } : {}),
    ...(typeof thinking === 'number' ? { reasoningTokens: thinking } : {}),
  };
}
