/**
 * The model catalog: providers, models, aliases, prices and system prompts, from the shipped
 * models.yaml merged with the user's. A user file adds providers (any OpenAI-compatible
 * endpoint) and models, or overrides fields; models merge by name.
 */
import { parseCapabilities } from './capabilities.js';
import { parseModel, type Tier } from './parse-model.js';
import { ConfigError } from '../errors.js';
import { fieldError, isRecord, rejectUnknownKeys, type FieldPath, type YamlFile } from './yaml-file.js';

export { CAPABILITIES, type Capability, capabilitiesOf, DEFAULT_CAPABILITIES } from './capabilities.js';

export { TIERS, type Tier } from './parse-model.js';

export const ADAPTERS = ['anthropic', 'openai', 'gemini', 'mistral'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** USD per one million tokens. */
export interface Pricing {
  input: number;
  output: number;
  cachedInput?: number;
  /** Prompt-cache writes (Anthropic bills them above the input price). */
  cacheWrite?: number;
  /** The vendor's batch prices (`pricing.batch` in models.yaml); absent: half of input and output. */
  batch?: { input: number; output: number };
}

export interface ModelInfo {
  name: string;
  aliases: string[];
  contextWindow?: number;
  maxTokens?: number;
  /** The max_tokens a request to this model carries by default (over request.max_tokens in config). */
  defaultMaxTokens?: number;
  pricing?: Pricing;
  /** As models.yaml lists them for this model; `capabilitiesOf` says what applies when it does not. */
  capabilities?: string[];
  /** Price class for `-m auto` (models.yaml `tier`). */
  tier?: Tier;
  /** How good its answers are, 0–10, for `-m auto` (models.yaml `quality`). */
  quality?: number;
  /** Typical time to the first token, used by `-m auto` until llmo has measured the model itself. */
  latencyMs?: number;
  /** The `prices_as_of` date (YYYY-MM-DD) of the models.yaml that set `pricing`; absent: not known. */
  pricesAsOf?: string;
}

export interface ProviderInfo {
  name: string;
  api: AdapterName;
  /** Environment variable holding the key; undefined for endpoints that need none (Ollama). */
  apiKeyName: string | undefined;
  baseURL: string | undefined;
  defaultModel: string | undefined;
  headers: Record<string, string>;
  /** What its models can do unless a model lists its own (models.yaml provider `capabilities`). */
  capabilities?: string[];
  models: ModelInfo[];
}

export interface SystemPrompts {
  roles: Record<string, string>;
  personas: Record<string, string>;
}

export interface ModelCatalog {
  providers: Map<string, ProviderInfo>;
  systemPrompts: SystemPrompts;
}

/** The environment variable that overrides a provider's base URL: `DEEPSEEK_BASE_URL`, … */
export function baseURLVariable(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_BASE_URL`;
}

export function buildCatalog(sources: readonly YamlFile[]): ModelCatalog {
  const providers = new Map<string, ProviderInfo>();
  const systemPrompts: SystemPrompts = { roles: {}, personas: {} };
  for (const source of sources) {
    if (!isRecord(source.value)) throw fieldError(source, [], 'expected a mapping of providers');
    const pricesAsOf = readPricesAsOf(source, source.value.prices_as_of);
    for (const [key, raw] of Object.entries(source.value)) {
      if (key === 'prices_as_of') continue;
      if (key === 'system_prompts') {
        mergeSystemPrompts(source, raw, systemPrompts);
        continue;
      }
      providers.set(key, mergeProvider(source, key, raw, providers.get(key), pricesAsOf));
    }
  }
  for (const provider of providers.values()) checkAliases(provider, providers, sources.at(-1));
  checkReferencesAreUnique(providers, sources);
  return { providers, systemPrompts };
}

/** `prices_as_of: 2026-11-01`: the day this file's prices were taken from the vendors' price lists. */
function readPricesAsOf(source: YamlFile, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = raw instanceof Date ? raw.toISOString().slice(0, 10) : raw;
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw fieldError(source, ['prices_as_of'], 'must be a date like 2026-11-01 (the day the prices were checked)');
  }
  return text;
}

function mergeSystemPrompts(source: YamlFile, raw: unknown, into: SystemPrompts): void {
  if (!isRecord(raw)) throw fieldError(source, ['system_prompts'], 'expected a mapping with roles and personas');
  for (const kind of ['roles', 'personas'] as const) {
    const entries = raw[kind];
    if (entries === undefined) continue;
    if (!isRecord(entries)) throw fieldError(source, ['system_prompts', kind], 'expected a mapping of name: prompt');
    for (const [name, prompt] of Object.entries(entries)) {
      if (typeof prompt !== 'string') throw fieldError(source, ['system_prompts', kind, name], 'expected a string');
      into[kind][name] = prompt.trim();
    }
  }
}

function mergeProvider(
  source: YamlFile,
  name: string,
  raw: unknown,
  base: ProviderInfo | undefined,
  pricesAsOf: string | undefined,
): ProviderInfo {
  const at = (...rest: (string | number)[]): FieldPath => [name, ...rest];
  if (!isRecord(raw)) throw fieldError(source, at(), 'expected a provider mapping (api, base_url, models, …)');
  rejectUnknownKeys(source, at(), raw, ['api', 'api_key_name', 'base_url', 'default_model', 'models', 'headers', 'capabilities']);
  const provider: ProviderInfo = base
    ? { ...base, headers: { ...base.headers }, models: base.models.map((model) => ({ ...model })) }
    : {
        name,
        // A provider named after an adapter uses it; anything else is most likely OpenAI-compatible.
        api: (ADAPTERS as readonly string[]).includes(name) ? (name as AdapterName) : 'openai',
        apiKeyName: undefined,
        baseURL: undefined,
        defaultModel: undefined,
        headers: {},
        models: [],
      };
  if (raw.api !== undefined) {
    if (typeof raw.api !== 'string' || !(ADAPTERS as readonly string[]).includes(raw.api)) {
      throw fieldError(source, at('api'), `must be one of ${ADAPTERS.join(', ')}`, 'use api: openai for any OpenAI-compatible endpoint');
    }
    provider.api = raw.api as AdapterName;
  }
  if (raw.api_key_name !== undefined) {
    if (raw.api_key_name !== null && (typeof raw.api_key_name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.api_key_name))) {
      throw fieldError(source, at('api_key_name'), 'must be an environment variable name like MY_API_KEY, or null for none');
    }
    provider.apiKeyName = raw.api_key_name ?? undefined;
  }
  if (raw.base_url !== undefined) {
    if (typeof raw.base_url !== 'string' || !/^https?:\/\//.test(raw.base_url)) {
      throw fieldError(source, at('base_url'), 'must be an http:// or https:// URL');
    }
    provider.baseURL = raw.base_url.replace(/\/+$/, '');
  }
  if (raw.default_model !== undefined) {
    if (typeof raw.default_model !== 'string') throw fieldError(source, at('default_model'), 'must be a model name');
    provider.defaultModel = raw.default_model;
  }
  if (raw.headers !== undefined) {
    if (!isRecord(raw.headers) || Object.values(raw.headers).some((value) => typeof value !== 'string')) {
      throw fieldError(source, at('headers'), 'must map header names to strings');
    }
    Object.assign(provider.headers, raw.headers);
  }
  if (raw.capabilities !== undefined) provider.capabilities = parseCapabilities(source, at('capabilities'), raw.capabilities);
  if (raw.models !== undefined) {
    if (!Array.isArray(raw.models)) throw fieldError(source, at('models'), 'expected a list of models');
    raw.models.forEach((entry, index) => {
      const model = parseModel(source, at('models', index), entry);
      if (model.pricing && pricesAsOf) model.pricesAsOf = pricesAsOf;
      const existing = provider.models.find((candidate) => candidate.name === model.name);
      // New prices without a date make the old date wrong.
      if (existing && model.pricing && !pricesAsOf) delete existing.pricesAsOf;
      if (existing) Object.assign(existing, withoutUndefined(model), { aliases: model.aliases.length ? model.aliases : existing.aliases });
      else provider.models.push(model);
    });
  }
  if (!provider.defaultModel && provider.models[0]) provider.defaultModel = provider.models[0].name;
  return provider;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function checkAliases(provider: ProviderInfo, providers: Map<string, ProviderInfo>, source: YamlFile | undefined): void {
  for (const model of provider.models) {
    for (const alias of model.aliases) {
      if (alias.includes(':')) {
        throw new Error(`models.yaml: alias "${alias}" of ${provider.name}:${model.name} must not contain ':'`);
      }
      if (providers.has(alias) && source) {
        throw fieldError(source, [provider.name], `alias "${alias}" of ${model.name} hides the provider of that name; rename the alias`);
      }
    }
  }
}

/**
 * An alias must mean one model: `-m sonnet` silently picking one of two providers' "sonnet" would
 * send the prompt (and the bill) somewhere the user did not choose. Reported in the last file that
 * declares either side, which is where the user added the clash. Two providers may list the same
 * model name (a company proxy serving gpt-4o-mini): `provider:model` reaches each, and a bare name
 * that means both is refused when it is used (resolveModelRef).
 */
function checkReferencesAreUnique(providers: Map<string, ProviderInfo>, sources: readonly YamlFile[]): void {
  const claimed = new Map<string, { provider: string; model: string }>();
  for (const provider of providers.values()) {
    for (const model of provider.models) {
      for (const reference of new Set([model.name, ...model.aliases])) {
        const earlier = claimed.get(reference);
        if (!earlier) {
          claimed.set(reference, { provider: provider.name, model: model.name });
          continue;
        }
        if (earlier.provider === provider.name && earlier.model === model.name) continue;
        if (reference === model.name && reference === earlier.model) continue;
        const kind = (name: string) => (reference === name ? 'model' : 'alias');
        const message = `${kind(model.name)} "${reference}" of ${provider.name}:${model.name} is also the ${kind(earlier.model)} of ${earlier.provider}:${earlier.model}`;
        const hint = `rename one, or reach the model by provider:model (${provider.name}:${model.name})`;
        const source = [...sources]
          .reverse()
          .find((file) => isRecord(file.value) && (provider.name in file.value || earlier.provider in file.value));
        if (!source) throw new ConfigError(`models.yaml: ${message}`, { hint });
        const declaring = isRecord(source.value) && provider.name in source.value ? provider.name : earlier.provider;
        throw fieldError(source, [declaring, 'models'], message, hint);
      }
    }
  }
}
