/**
 * One model entry of models.yaml (`- name: …`), checked field by field: a typo or a wrong value
 * names the file, the line and the field.
 */
import { parseCapabilities } from './capabilities.js';
import type { ModelInfo } from './catalog.js';
import { fieldError, isRecord, rejectUnknownKeys, type FieldPath, type YamlFile } from './yaml-file.js';

/** Every field a model entry may have; anything else is a typo to report. */
const MODEL_FIELDS = [
  'name',
  'aliases',
  'context_window',
  'max_tokens',
  'default_max_tokens',
  'pricing',
  'capabilities',
  'tier',
  'quality',
  'latency_ms',
];

/** How `-m auto` weighs a model (README: Routing): its price class, its answers' quality, its typical time to the first token. */
export const TIERS = ['efficient', 'standard', 'premium'] as const;
export type Tier = (typeof TIERS)[number];
const PRICING_FIELDS = ['input', 'output', 'cached_input', 'cache_write', 'batch'];

export function parseModel(source: YamlFile, at: FieldPath, raw: unknown): ModelInfo {
  if (typeof raw === 'string') return { name: raw, aliases: [] };
  if (!isRecord(raw)) throw fieldError(source, at, 'expected a model mapping with at least a name');
  rejectUnknownKeys(source, at, raw, MODEL_FIELDS);
  if (typeof raw.name !== 'string' || raw.name === '') throw fieldError(source, [...at, 'name'], 'every model needs a name');
  const model: ModelInfo = { name: raw.name, aliases: [] };
  if (raw.aliases !== undefined) {
    if (!Array.isArray(raw.aliases) || raw.aliases.some((alias) => typeof alias !== 'string')) {
      throw fieldError(source, [...at, 'aliases'], 'expected a list of strings');
    }
    model.aliases = raw.aliases as string[];
  }
  for (const [key, field] of [
    ['context_window', 'contextWindow'],
    ['max_tokens', 'maxTokens'],
    ['default_max_tokens', 'defaultMaxTokens'],
  ] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) <= 0)
      throw fieldError(source, [...at, key], 'must be a positive whole number of tokens');
    model[field] = value as number;
  }
  readRoutingFields(source, at, raw, model);
  if (raw.capabilities !== undefined) model.capabilities = parseCapabilities(source, [...at, 'capabilities'], raw.capabilities);
  if (raw.pricing !== undefined && raw.pricing !== null) {
    const pricing = raw.pricing;
    if (!isRecord(pricing))
      throw fieldError(source, [...at, 'pricing'], 'expected { input, output[, cached_input, cache_write] } in USD per 1M tokens');
    rejectUnknownKeys(source, [...at, 'pricing'], pricing, PRICING_FIELDS);
    for (const key of ['input', 'output', 'cached_input', 'cache_write'] as const) {
      const value = pricing[key];
      if (value === undefined && (key === 'cached_input' || key === 'cache_write')) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw fieldError(source, [...at, 'pricing', key], 'must be a non-negative number (USD per 1M tokens)');
      }
    }
    model.pricing = { input: pricing.input as number, output: pricing.output as number };
    if (typeof pricing.cached_input === 'number') model.pricing.cachedInput = pricing.cached_input;
    if (typeof pricing.cache_write === 'number') model.pricing.cacheWrite = pricing.cache_write;
    if (pricing.batch !== undefined) model.pricing.batch = parseBatchPricing(source, [...at, 'pricing', 'batch'], pricing.batch);
  }
  return model;
}

function parseBatchPricing(source: YamlFile, at: FieldPath, raw: unknown): { input: number; output: number } {
  if (!isRecord(raw)) throw fieldError(source, at, 'expected { input, output } in USD per 1M tokens');
  rejectUnknownKeys(source, at, raw, ['input', 'output']);
  for (const key of ['input', 'output'] as const) {
    const value = raw[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw fieldError(source, [...at, key], 'must be a non-negative number (USD per 1M tokens)');
  }
  return { input: raw.input as number, output: raw.output as number };
}

/** `tier`, `quality` (0–10) and `latency_ms` (typical time to first token), read by `-m auto`. */
function readRoutingFields(source: YamlFile, at: FieldPath, raw: Record<string, unknown>, model: ModelInfo): void {
  if (raw.tier !== undefined) {
    if (typeof raw.tier !== 'string' || !(TIERS as readonly string[]).includes(raw.tier))
      throw fieldError(source, [...at, 'tier'], `must be one of ${TIERS.join(', ')}`);
    model.tier = raw.tier as Tier;
  }
  if (raw.quality !== undefined) {
    if (typeof raw.quality !== 'number' || !Number.isFinite(raw.quality) || raw.quality < 0 || raw.quality > 10)
      throw fieldError(source, [...at, 'quality'], 'must be a number from 0 to 10 (how good its answers are, for -m auto)');
    model.quality = raw.quality;
  }
  if (raw.latency_ms !== undefined) {
    if (!Number.isInteger(raw.latency_ms) || (raw.latency_ms as number) <= 0)
      throw fieldError(source, [...at, 'latency_ms'], 'must be a positive whole number of milliseconds (typical time to the first token)');
    model.latencyMs = raw.latency_ms as number;
  }
}
