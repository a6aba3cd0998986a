import type { GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '../spec.js';

/**
 * Gemini's usageMetadata in llmo's terms. Every streamed chunk repeats the running totals, so
 * callers pass the last chunk's metadata rather than summing. Thinking tokens are billed as
 * output but Gemini counts them apart from candidatesTokenCount, so they are added back in.
 */
export function mapGeminiUsage(metadata: GenerateContentResponseUsageMetadata | undefined): Usage | undefined {
  if (metadata === undefined) return undefined;
  const thoughts = metadata.thoughtsTokenCount;
  const usage: Usage = {
    inputTokens: metadata.promptTokenCount ?? 0,
    outputTokens: (metadata.candidatesTokenCount ?? 0) + (thoughts ?? 0),
  };
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  if (metadata.cachedContentTokenCount !== undefined) usage.cachedInputTokens = metadata.cachedContentTokenCount;
  return usage;
}
