import type { Usage } from '../spec.js';

/**
 * The usage object of a chat completion as OpenAI and the compatible servers send it. Every field
 * is optional because compatible servers send subsets (Ollama: only the three totals).
 */
export interface OpenAIWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's own cache fields; it also sends prompt_tokens_details.cached_tokens. */
  prompt_cache_hit_tokens?: number | null;
  prompt_cache_miss_tokens?: number | null;
}

function count(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Normalises a vendor usage object. Returns undefined when the server reported no usage at all,
 * so the caller can tell "not reported" from "zero". Cached and reasoning counts are set only
 * when reported (a reported 0 stays 0).
 */
export function mapOpenAIUsage(usage: OpenAIWireUsage | null | undefined): Usage | undefined {
  if (usage === null || usage === undefined || typeof usage !== 'object') return undefined;
  const hit = count(usage.prompt_cache_hit_tokens);
  const miss = count(usage.prompt_cache_miss_tokens);
  const promptTokens = count(usage.prompt_tokens) ?? (hit !== undefined && miss !== undefined ? hit + miss : undefined);
  const completionTokens = count(usage.completion_tokens);
  if (promptTokens === undefined && completionTokens === undefined) return undefined;

  const result: Usage = { inputTokens: promptTokens ?? 0, outputTokens: completionTokens ?? 0 };
  // DeepSeek's hit count is its native figure; prompt_tokens_details is its OpenAI look-alike.
  const cached = hit ?? count(usage.prompt_tokens_details?.cached_tokens);
  if (cached !== undefined) result.cachedInputTokens = cached;
  const cacheWrites = count(usage.prompt_tokens_details?.cache_write_tokens);
  if (cacheWrites !== undefined) result.cacheWriteTokens = cacheWrites;
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
