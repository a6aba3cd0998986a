/**
 * What a call cost, from the usage the vendor reported and the model's prices (USD per 1M
 * tokens). A model without prices is "unpriced" (undefined), never $0.
 */
import type { Pricing } from '../config/catalog.js';
import type { Usage } from '../providers/spec.js';

export function costOf(usage: Usage | undefined, pricing: Pricing | undefined): number | undefined {
  if (!usage || !pricing) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const cachedPrice = pricing.cachedInput ?? pricing.input;
  const dollars = ((usage.inputTokens - cached) * pricing.input + cached * cachedPrice + usage.outputTokens * pricing.output) / 1_000_000;
  // Round away float noise; sub-micro-dollar precision means nothing to anyone.
  return Math.round(dollars * 1e9) / 1e9;
}

export function formatUsd(cost: number | undefined): string {
  if (cost === undefined) return 'unpriced';
  if (cost === 0) return '$0';
  if (cost < 0.01) return `$${cost.toFixed(6).replace(/0+$/, '')}`;
  return `$${cost.toFixed(cost < 1 ? 4 : 2)}`;
}
