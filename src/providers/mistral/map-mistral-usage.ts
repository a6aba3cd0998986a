import type { UsageInfo } from '@mistralai/mistralai/models/components/usageinfo.js';
import type { Usage } from '../spec.js';

/**
 * Mistral's usage (as the SDK parses it) → ours. Mistral reports no reasoning-token count: its
 * `completion_tokens` already include the thinking, so `outputTokens` does too.
 */
export function mapMistralUsage(usage: UsageInfo | null | undefined): Usage | undefined {
  if (usage == null) return undefined;
  const mapped: Usage = {
    inputTokens: usage.promptTokens ?? 0,
    outputTokens: usage.completionTokens ?? 0,
  };
  const cachedInputTokens = cachedTokens(usage);
  if (cachedInputTokens !== undefined) mapped.cachedInputTokens = cachedInputTokens;
  return mapped;
}

/**
 * The SDK's schema does not know `prompt_tokens_details`, so it passes through under its wire
 * name. Should a later SDK learn it, it would be renamed `promptTokensDetails.cachedTokens`;
 * reading both keeps the cache count from silently vanishing on an upgrade.
 */
function cachedTokens(usage: UsageInfo): number | undefined {
  const details = usage.prompt_tokens_details ?? usage.promptTokensDetails;
  if (typeof details !== 'object' || details === null) return undefined;
  const record = details as Record<string, unknown>;
  const value = record.cached_tokens ?? record.cachedTokens;
  return typeof value === 'number' ? value : undefined;
}
