/**
 * `llmo models prices import`: prices from a LiteLLM-format price file
 * (model_prices_and_context_window.json, USD per token) turned into models.yaml pricing (USD per
 * 1M tokens), for the models llmo knows (or the user names), written as an overlay into the
 * user's models.yaml with the comments and everything else in it kept.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { ModelCatalog, Pricing } from './catalog.js';

export interface PriceChange {
  provider: string;
  model: string;
  /** The key of the entry in the price file. */
  entry: string;
  before: Pricing | undefined;
  after: Pricing;
}

interface LiteLLMEntry {
  litellm_provider?: unknown;
  mode?: unknown;
  input_cost_per_token?: unknown;
  output_cost_per_token?: unknown;
  cache_read_input_token_cost?: unknown;
  cache_creation_input_token_cost?: unknown;
}

/**
 * The price file's entry for each model: its bare name with the same provider
 * (`claude-haiku-4-5`), or `provider/name` (`deepseek/deepseek-chat`). Entries without both a
 * per-token input and output price (images, audio, search) are skipped, and so are entries whose
 * prices equal what llmo already has.
 */
export function pricesFromLiteLLM(
  data: unknown,
  catalog: ModelCatalog,
  named: readonly { provider: string; model: string }[] = [],
): PriceChange[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const entries = data as Record<string, LiteLLMEntry>;
  const wanted = new Map<string, { provider: string; model: string }>();
  for (const provider of catalog.providers.values()) {
    for (const model of provider.models) wanted.set(`${provider.name}:${model.name}`, { provider: provider.name, model: model.name });
  }
  for (const ref of named) wanted.set(`${ref.provider}:${ref.model}`, ref);
  const changes: PriceChange[] = [];
  for (const { provider, model } of wanted.values()) {
    const found = [`${provider}/${model}`, model]
      .map((key) => ({ key, entry: entries[key] }))
      .find(({ entry }) => typeof entry === 'object' && entry !== null && entry.litellm_provider === provider);
    if (!found?.entry) continue;
    const after = toPricing(found.entry);
    if (!after) continue;
    const before = catalog.providers.get(provider)?.models.find((candidate) => candidate.name === model)?.pricing;
    if (before && samePricing(before, after)) continue;
    changes.push({ provider, model, entry: found.key, before, after });
  }
  return changes;
}

function toPricing(entry: LiteLLMEntry): Pricing | undefined {
  const perMillion = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Number((value * 1_000_000).toPrecision(12)) : undefined;
  const input = perMillion(entry.input_cost_per_token);
  const output = perMillion(entry.output_cost_per_token);
  if (input === undefined || output === undefined) return undefined;
  const pricing: Pricing = { input, output };
  const cachedInput = perMillion(entry.cache_read_input_token_cost);
  if (cachedInput !== undefined) pricing.cachedInput = cachedInput;
  // A zero write price is how the file says "no separate price"; llmo then bills writes as input.
  const cacheWrite = perMillion(entry.cache_creation_input_token_cost);
  if (cacheWrite !== undefined && cacheWrite > 0) pricing.cacheWrite = cacheWrite;
  return pricing;
}

function samePricing(a: Pricing, b: Pricing): boolean {
  return a.input === b.input && a.output === b.output && a.cachedInput === b.cachedInput && a.cacheWrite === b.cacheWrite;
}

export function formatPricing(pricing: Pricing | undefined): string {
  if (!pricing) return 'unpriced';
  const parts = [`input: ${pricing.input}`, `output: ${pricing.output}`];
  if (pricing.cachedInput !== undefined) parts.push(`cached_input: ${pricing.cachedInput}`);
  if (pricing.cacheWrite !== undefined) parts.push(`cache_write: ${pricing.cacheWrite}`);
  return `{ ${parts.join(', ')} }`;
}

/** The changes as a diff a person can check before anything is written. */
export function describeChanges(changes: readonly PriceChange[]): string {
  return changes
    .map(
      (change) =>
        `${change.provider}:${change.model} (from "${change.entry}")\n- pricing: ${formatPricing(change.before)}\n+ pricing: ${formatPricing(change.after)}\n`,
    )
    .join('');
}

/**
 * The user's models.yaml with each change's pricing set (the model entry added when the file does
 * not list it) and `prices_as_of` set to `date`. Everything else in the file stays as it was.
 */
export function applyPriceOverlay(text: string, changes: readonly PriceChange[], date: string): string {
  const document = parseDocument(text === '' ? '{}' : text);
  for (const change of changes) {
    const models = document.getIn([change.provider, 'models'], true);
    const pricing = document.createNode(pricingFields(change.after));
    pricing.flow = true;
    if (isSeq(models)) {
      const index = models.items.findIndex((item) => isMap(item) && (item as YAMLMap).get('name') === change.model);
      if (index >= 0) document.setIn([change.provider, 'models', index, 'pricing'], pricing);
      else models.add(document.createNode({ name: change.model, pricing: pricingFields(change.after) }));
    } else {
      document.setIn([change.provider, 'models'], document.createNode([{ name: change.model, pricing: pricingFields(change.after) }]));
    }
  }
  document.set('prices_as_of', date);
  return document.toString();
}

function pricingFields(pricing: Pricing): Record<string, number> {
  return {
    input: pricing.input,
    output: pricing.output,
    ...(pricing.cachedInput !== undefined ? { cached_input: pricing.cachedInput } : {}),
    ...(pricing.cacheWrite !== undefined ? { cache_write: pricing.cacheWrite } : {}),
  };
}
