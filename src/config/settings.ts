/**
 * config.yaml: the shipped config/default.yaml (every setting, documented there), overridden
 * key by key by the user's config.yaml, then by the project's ./.llmo.yaml.
 */
import { readModes, type Mode } from './mode-settings.js';
import { readRoutingSettings, readSemanticCache, type RoutingSettings } from './routing-settings.js';
import { Reader } from './settings-reader.js';
import { readMcpServers, readToolSettings, type McpServerEntry, type ToolSettings } from './tool-settings.js';
import { fieldError, isRecord, type FieldPath, type YamlFile } from './yaml-file.js';

/**
 * Node's timers hold at most 2^31-1 ms (≈ 24.8 days): a longer one fires after 1 ms, so a huge
 * timeout would cut every request at once. A day is more than any call needs.
 */
export const MAX_TIMEOUT_SECONDS = 86_400;
const MAX_DELAY_MS = 3_600_000;

export interface Settings {
  mainLlm: { provider: string; model: string | undefined };
  /** main_llm.fallback: models tried in order when the main one fails after its retries (ask, chat). */
  fallback: readonly string[];
  /** The response cache (opt-in): see src/cache/. */
  cache: {
    enabled: boolean;
    ttlSeconds: number;
    maxMegabytes: number;
    /** `cache.semantic`: near-duplicate prompts answered too (off when undefined). */
    semantic: { embeddingModel: string; threshold: number } | undefined;
  };
  /** `-m auto`: which models it may choose and the rules that pin a choice (routing-settings.ts). */
  routing: RoutingSettings;
  request: {
    timeoutSeconds: number | undefined;
    /** What a request asks for at most unless --max-tokens or the model's default_max_tokens says otherwise. */
    maxTokens: number;
    retries: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
  };
  ask: { save: boolean };
  /** `compressModel`: the model that summarises older turns near the context window (unset: the chat's own). */
  chat: { markdown: boolean; compressModel: string | undefined };
  parallel: { timeoutSeconds: number | undefined; concurrency: number };
  /** `llmo batch run`: requests at once, and rate limits (undefined: none). */
  batch: { concurrency: number; rpm: number | undefined; tpm: number | undefined };
  budgets: {
    perCallUsd: number | undefined;
    dailyUsd: number | undefined;
    monthlyUsd: number | undefined;
    warnAt: number;
  };
  /** Chains by name, with the file they came from (for `file:line` errors). */
  chains: Map<string, { definition: unknown; source: YamlFile }>;
  /** Schemas by name (`--schema NAME`, a chain step's `schema: NAME`), with the file they came from. */
  schemas: Map<string, { definition: unknown; source: YamlFile }>;
  /** MCP servers by name, each with the file that defined it. */
  mcp: { servers: Map<string, McpServerEntry> };
  tools: ToolSettings;
  /** Presets by name (`--mode`, `/mode`), with what they inherit already filled in. */
  modes: Map<string, Mode>;
}

type Raw = Record<string, unknown>;

/** Deep merge of mappings; anything else (lists included) is replaced. `chains` merge by name. */
function merge(into: Raw, from: Raw): Raw {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    into[key] = isRecord(current) && isRecord(value) ? merge({ ...current }, value) : value;
  }
  return into;
}

export function buildSettings(sources: readonly YamlFile[]): Settings {
  const chains = new Map<string, { definition: unknown; source: YamlFile }>();
  const schemas = new Map<string, { definition: unknown; source: YamlFile }>();
  let merged: Raw = {};
  // The file each top-level section was last set in, so errors point at the right file.
  const owner = new Map<string, YamlFile>();
  for (const source of sources) {
    if (source.value === null || source.value === undefined) continue;
    if (!isRecord(source.value)) throw fieldError(source, [], 'expected a mapping of settings');
    // MCP servers, like chains, merge by name (read by readMcpServers, file by file).
    const { chains: rawChains, schemas: rawSchemas, mcp: _servers, ...rest } = source.value;
    if (rawChains !== undefined && rawChains !== null) {
      if (!isRecord(rawChains)) throw fieldError(source, ['chains'], 'expected a mapping of chain name → chain');
      for (const [name, definition] of Object.entries(rawChains)) chains.set(name, { definition, source });
    }
    // Schemas, like chains, replace each other whole by name: merging two schemas key by key
    // would make one nobody wrote.
    if (rawSchemas !== undefined && rawSchemas !== null) {
      if (!isRecord(rawSchemas)) throw fieldError(source, ['schemas'], 'expected a mapping of schema name → schema');
      for (const [name, definition] of Object.entries(rawSchemas)) {
        if (typeof definition !== 'string' && !isRecord(definition) && typeof definition !== 'boolean') {
          throw fieldError(source, ['schemas', name], 'expected a JSON Schema (a mapping) or the concise form ("title, year int")');
        }
        schemas.set(name, { definition, source });
      }
    }
    for (const key of Object.keys(rest)) owner.set(key, source);
    merged = merge(merged, normaliseMainLlm(source, rest));
  }
  const read = new Reader(merged, owner, sources[0]!);
  const settings = readSettings(read);
  read.rejectUnread();
  return { ...settings, chains, schemas, mcp: { servers: readMcpServers(sources) } };
}

/**
 * `main_llm: openai` and `main_llm: openai:gpt-6-sol` are shorthands for the mapping; a file that
 * names a provider without a model means that provider's default model, not the model an earlier
 * file chose for another provider.
 */
function normaliseMainLlm(source: YamlFile, settings: Raw): Raw {
  const value = settings.main_llm;
  if (typeof value === 'string') {
    const colon = value.indexOf(':');
    const provider = colon < 0 ? value : value.slice(0, colon);
    const model = colon < 0 ? null : value.slice(colon + 1);
    if (provider === '' || model === '') {
      throw fieldError(
        source,
        ['main_llm'],
        `"${value}" names no ${provider === '' ? 'provider' : 'model'}`,
        'write main_llm: PROVIDER or main_llm: PROVIDER:MODEL',
      );
    }
    return { ...settings, main_llm: { provider, model } };
  }
  if (isRecord(value) && value.provider !== undefined && !('model' in value)) return { ...settings, main_llm: { ...value, model: null } };
  return settings;
}

function readSettings(read: Reader): Settings {
  return {
    mainLlm: {
      provider: read.string(['main_llm', 'provider']) ?? 'anthropic',
      model: read.string(['main_llm', 'model']),
    },
    fallback: readFallback(read),
    cache: {
      enabled: read.boolean(['cache', 'enabled']) ?? false,
      ttlSeconds: readDuration(read, ['cache', 'ttl']) ?? 7 * 86_400,
      maxMegabytes: read.number(['cache', 'max_mb'], { min: 0.001 }) ?? 100,
      semantic: readSemanticCache(read),
    },
    routing: readRoutingSettings(read),
    request: {
      timeoutSeconds: read.number(['request', 'timeout_seconds'], { min: 0.001, max: MAX_TIMEOUT_SECONDS }),
      maxTokens: read.number(['request', 'max_tokens'], { min: 1, integer: true }) ?? 4096,
      retries: read.number(['request', 'retries'], { min: 0, max: 10, integer: true }) ?? 3,
      retryBaseDelayMs: read.number(['request', 'retry_base_delay_ms'], { min: 0, max: MAX_DELAY_MS }) ?? 500,
      retryMaxDelayMs: read.number(['request', 'retry_max_delay_ms'], { min: 0, max: MAX_DELAY_MS }) ?? 30_000,
    },
    ask: { save: read.boolean(['ask', 'save']) ?? true },
    chat: { markdown: read.boolean(['chat', 'markdown']) ?? true, compressModel: read.string(['chat', 'compress_model']) },
    parallel: {
      timeoutSeconds: read.number(['parallel', 'timeout_seconds'], { min: 0.001, max: MAX_TIMEOUT_SECONDS }),
      concurrency: read.number(['parallel', 'concurrency'], { min: 1, integer: true }) ?? 32,
    },
    batch: {
      concurrency: read.number(['batch', 'concurrency'], { min: 1, integer: true }) ?? 8,
      rpm: read.number(['batch', 'rpm'], { min: 0.001 }),
      tpm: read.number(['batch', 'tpm'], { min: 1 }),
    },
    budgets: {
      perCallUsd: read.number(['budgets', 'per_call_usd'], { min: 0 }),
      dailyUsd: read.number(['budgets', 'daily_usd'], { min: 0 }),
      monthlyUsd: read.number(['budgets', 'monthly_usd'], { min: 0 }),
      warnAt: read.number(['budgets', 'warn_at'], { min: 0, max: 1 }) ?? 0.8,
    },
    chains: new Map(),
    schemas: new Map(),
    mcp: { servers: new Map() },
    tools: readToolSettings(read),
    modes: readModes(read),
  };
}

/** `main_llm.fallback`: a list of model references (a single one may be written without brackets). */
function readFallback(read: Reader): string[] {
  const fieldPath = ['main_llm', 'fallback'];
  const value = read.raw(fieldPath);
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const ref of list) {
    if (typeof ref !== 'string' || ref.trim() === '') {
      throw read.error(fieldPath, 'must be a list of model references, e.g. [openai:gpt-4o, mistral]');
    }
  }
  return list as string[];
}

/** A duration in seconds: a number, or a string like 90s, 30m, 12h, 7d. */
function readDuration(read: Reader, fieldPath: FieldPath): number | undefined {
  const value = read.raw(fieldPath);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim()) : null;
  if (!match || Number(match[1]) <= 0) throw read.error(fieldPath, 'must be a duration like 90s, 30m, 12h or 7d (or a number of seconds)');
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
