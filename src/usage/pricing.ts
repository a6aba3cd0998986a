/**
 * What a call cost, from the usage the vendor reported and the model's prices (USD per 1M
 * tokens). A model without prices is "unpriced" (undefined), never $0.
 */
import type { Pricing } from '../config/catalog.js';
import type { Usage } from '../providers/spec.js';

/**
 * `usage.inputTokens` counts every prompt token; the cached (read) and cache-write tokens are
 * subsets of it, each charged at its own price (models.yaml `cached_input`, `cache_write`; where a
 * model has none, plain input), the rest at the input price. Reasoning tokens are already inside
 * `outputTokens` (each adapter folds them in), so they are not added again.
 */
export function costOf(usage: Usage | undefined, pricing: Pricing | undefined): number | undefined {
  if (!usage || !pricing) return undefined;
  const input = Math.max(0, usage.inputTokens);
  const cached = clamp(usage.cachedInputTokens ?? 0, input);
  const written = clamp(usage.cacheWriteTokens ?? 0, input - cached);
  const plain = input - cached - written;
  const micro =
    plain * pricing.input +
    cached * (pricing.cachedInput ?? pricing.input) +
    written * (pricing.cacheWrite ?? pricing.input) +
    Math.max(0, usage.outputTokens) * pricing.output;
  return roundUsd(micro / 1_000_000);
}

/**
 * What the vendor's prompt cache saved on this call: the cached prompt tokens at the input price
 * less what they cost at the cached-input price. Undefined when nothing was read from the cache or
 * the model has no cached-input price (then nothing says what was saved).
 */
export function promptCacheSavings(usage: Usage | undefined, pricing: Pricing | undefined): number | undefined {
  const cached = usage?.cachedInputTokens ?? 0;
  if (cached <= 0 || pricing?.cachedInput === undefined) return undefined;
  return roundUsd((cached * Math.max(0, pricing.input - pricing.cachedInput)) / 1_000_000);
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(0, value), max);
}

/** Rounds away float noise; sub-nano-dollar precision means nothing to anyone. */
export function roundUsd(dollars: number): number {
  return Math.round(dollars * 1e9) / 1e9;
}

export function formatUsd(cost: number | undefined): string {
  if (cost === undefined) return 'unpriced';
  if (cost === 0) return '$0';
  if (cost < 0.01) {
    const text = cost.toFixed(6).replace(/\.?0+$/, '');
    return text === '0' ? '<$0.000001' : `$${text}`;
  }
  return `$${cost.toFixed(cost < 1 ? 4 : 2)}`;
}

/** 1,234,567. Not toLocaleString: loading Intl costs 20 ms, a twentieth of the whole command. */
export function withCommas(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * What a vendor batch charges: `pricing.batch` from models.yaml, else half of the input, cached
 * input and output prices, the 50 % OpenAI, Anthropic, Gemini and Mistral all document.
 */
export function batchPricing(pricing: Pricing | undefined): Pricing | undefined {
  if (!pricing) return undefined;
  if (pricing.batch) return { input: pricing.batch.input, output: pricing.batch.output };
  return {
    input: pricing.input / 2,
    output: pricing.output / 2,
    ...(pricing.cachedInput !== undefined ? { cachedInput: pricing.cachedInput / 2 } : {}),
  };
}
