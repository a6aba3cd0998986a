/**
 * The model catalog: providers, models, aliases, prices and system prompts, from the shipped
 * models.yaml merged with the user's. A user file adds providers (any OpenAI-compatible
 * endpoint) and models, or overrides fields; models merge by name.
 */
import { closeMatches } from './closest-match.js';
import { ConfigError } from '../errors.js';
import { fieldError, isRecord, rejectUnknownKeys, type FieldPath, type YamlFile } from './yaml-file.js';

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
  /** The `prices_as_of` date (YYYY-MM-DD) of the models.yaml that set `pricing`; absent: not known. */
  pricesAsOf?: string;
}

/**
 * What a model can do, and the request-shape quirks its endpoint needs. Adapters and the
 * orchestrator decide by these, never by a provider's name.
 */
export const CAPABILITIES = {
  tools: 'calls tools',
  vision: 'reads images',
  pdf: 'reads PDF documents',
  json_schema: 'answers in JSON that follows a given schema (native structured output)',
  json_object_only: 'answers in JSON only as `json_object`; the schema goes into the prompt (DeepSeek)',
  reasoning: 'reasons before answering (reasoning tokens)',
  embeddings: 'an embedding model (llmo embed), not a chat model',
  prompt_cache: 'reuses a cached prompt prefix at the cached_input price',
  batch: "has the vendor's batch API",
  max_completion_tokens: 'OpenAI protocol: takes max_completion_tokens instead of max_tokens',
  no_temperature: 'refuses any temperature but the default (OpenAI reasoning models; Anthropic since API 2026-10-21)',
  stop_sequences_max_4: 'OpenAI protocol: takes at most four stop sequences',
} as const;
export type Capability = keyof typeof CAPABILITIES;

/**
 * What a model of each adapter kind can do when models.yaml says nothing about it or its provider.
 * For the OpenAI protocol that is only what nearly every compatible server takes.
 */
export const DEFAULT_CAPABILITIES: Record<AdapterName, readonly Capability[]> = {
  anthropic: ['tools', 'vision', 'pdf', 'json_schema', 'reasoning', 'prompt_cache', 'batch', 'no_temperature'],
  openai: ['tools', 'json_schema'],
  gemini: ['tools', 'vision', 'pdf', 'json_schema', 'reasoning', 'prompt_cache', 'batch'],
  mistral: ['tools', 'json_schema'],
};

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

/** Every field a model entry may have; anything else is a typo to report. */
const MODEL_FIELDS = ['name', 'aliases', 'context_window', 'max_tokens', 'default_max_tokens', 'pricing', 'capabilities'];
const PRICING_FIELDS = ['input', 'output', 'cached_input', 'cache_write', 'batch'];

function parseModel(source: YamlFile, at: FieldPath, raw: unknown): ModelInfo {
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

function parseCapabilities(source: YamlFile, at: FieldPath, raw: unknown): string[] {
  const known = Object.keys(CAPABILITIES);
  if (!Array.isArray(raw)) throw fieldError(source, at, `expected a list of capabilities: ${known.join(', ')}`);
  raw.forEach((name, index) => {
    if (typeof name !== 'string' || !known.includes(name)) {
      const near = typeof name === 'string' ? closeMatches(name, known, 1)[0] : undefined;
      throw fieldError(
        source,
        [...at, index],
        `unknown capability ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ''} (known: ${known.join(', ')})`,
      );
    }
  });
  return [...new Set(raw as string[])];
}

/**
 * What a model can do: what models.yaml lists for the model; else its provider's `capabilities`;
 * else what another provider of the same adapter kind lists for a model of that name (so a provider
 * called `work` with `api: openai` asks `gpt-4o-mini` exactly as `openai` does); else the adapter
 * kind's defaults.
 */
export function capabilitiesOf(catalog: ModelCatalog, provider: ProviderInfo, modelId: string): ReadonlySet<string> {
  const own = provider.models.find((model) => model.name === modelId);
  if (own?.capabilities) return new Set(own.capabilities);
  if (provider.capabilities) return new Set(provider.capabilities);
  for (const other of catalog.providers.values()) {
    if (other === provider || other.api !== provider.api) continue;
    const same = other.models.find((model) => model.name === modelId);
    if (same?.capabilities) return new Set(same.capabilities);
    if (same && other.capabilities) return new Set(other.capabilities);
  }
  return new Set(DEFAULT_CAPABILITIES[provider.api]);
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
