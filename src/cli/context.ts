/**
 * The composition root: builds, once per process and only when a command needs them, the
 * configuration, the model resolver (registry + keys + adapters), accounting and retry policy.
 */
import { responsesDir } from '../cache/cache-entry-file.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { loadConfig, type LlmoConfig } from '../config/load.js';
import { MAX_TIMEOUT_SECONDS } from '../config/settings.js';
import { UsageError } from '../errors.js';
import type { ModelResolver, ResolvedModel } from '../orchestrator/call-model.js';
import { createLanguageModel, endpointOf, resolveModelRef } from '../providers/registry.js';
import { retryNotice, type RetryPolicy } from '../providers/retry.js';
import type { Accounting } from '../usage/accounting.js';
import { lookupApiKey } from './keys/keys.js';
import { note, warn } from './output.js';
import { isAutoRef } from './route/is-auto-ref.js';

let config: LlmoConfig | undefined;

export function getConfig(): LlmoConfig {
  config ??= loadConfig();
  return config;
}

export interface ResolverOptions {
  interactive?: boolean;
  /** Print "unpriced" notes for models models.yaml does not list (default true). */
  quiet?: boolean;
  /** Load the adapter and its SDK at the first request (deferred-model.ts), not at resolution. */
  deferAdapter?: boolean;
}

export function createResolver(options: ResolverOptions = {}): ModelResolver {
  const current = getConfig();
  const noted = new Set<string>();
  return async (wanted: string): Promise<ResolvedModel> => {
    // `-m auto` where the prompt is not known yet (chain steps, parallel, batch): routed on the mode,
    // the keys, the measured speeds and the budget alone. ask routes itself, knowing the request.
    const route = isAutoRef(wanted) ? await (await import('./route/route-model.js')).routeModel(wanted) : undefined;
    const ref = route?.ref ?? wanted;
    const resolved = resolveModelRef(current.catalog, ref);
    if (!resolved.info && !options.quiet && !noted.has(ref)) {
      noted.add(ref);
      note(`${resolved.provider.name}:${resolved.modelId} is not listed in models.yaml; passing it through as is (unpriced)`);
    }
    // Where the requests would go is a configuration mistake to report before asking for a key.
    endpointOf(resolved.provider, current.env);
    const { key } = await lookupApiKey(resolved.provider, current, { interactive: options.interactive ?? Boolean(process.stdin.isTTY) });
    const create = () => createLanguageModel(resolved, { apiKey: key, env: current.env });
    const model = options.deferAdapter
      ? (await import('./deferred-model.js')).deferredModel(resolved.provider.name, resolved.modelId, create)
      : await create();
    const requestMaxTokens = resolved.info?.defaultMaxTokens ?? current.settings.request.maxTokens;
    return {
      ref,
      provider: resolved.provider.name,
      modelId: resolved.modelId,
      info: resolved.info,
      model,
      requestMaxTokens,
      ...(route ? { routed: route.routed } : {}),
    };
  };
}

/** The default model reference: main_llm from config. */
export function defaultModelRef(): string {
  const { mainLlm } = getConfig().settings;
  return mainLlm.model ? `${mainLlm.provider}:${mainLlm.model}` : mainLlm.provider;
}

export function retryPolicy(options: { quiet?: boolean } = {}): RetryPolicy {
  const { request } = getConfig().settings;
  return {
    retries: request.retries,
    baseDelayMs: request.retryBaseDelayMs,
    maxDelayMs: request.retryMaxDelayMs,
    onRetry: options.quiet ? undefined : ({ attempt, delayMs, error }) => warn(retryNotice({ attempt, delayMs, error }, request.retries)),
  };
}

/** Per-request timeout: the flag (seconds) wins over config. */
export function timeoutMs(flagSeconds: string | number | undefined): number | undefined {
  if (flagSeconds !== undefined) {
    const seconds = Number(flagSeconds);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--timeout must be a positive number of seconds, got "${flagSeconds}"`);
    if (seconds > MAX_TIMEOUT_SECONDS)
      throw new UsageError(`--timeout can be at most ${MAX_TIMEOUT_SECONDS} seconds (a day), got "${flagSeconds}"`);
    return seconds * 1000;
  }
  const configured = getConfig().settings.request.timeoutSeconds;
  return configured === undefined ? undefined : configured * 1000;
}

/**
 * The response cache for this run, or undefined when it is off: `--cache` / `--no-cache` (or a
 * chain step's `cache:`) win over cache.enabled in config.
 */
export async function responseCache(wanted: boolean | undefined): Promise<ResponseCache | undefined> {
  if (!(wanted ?? getConfig().settings.cache.enabled)) return undefined;
  return openResponseCache();
}

/** The response cache as configured (cache.ttl, cache.max_mb), whether or not it is enabled. */
export async function openResponseCache(): Promise<ResponseCache> {
  const { settings, paths } = getConfig();
  const { ResponseCache } = await import('../cache/response-cache.js');
  const cache = new ResponseCache({
    directory: responsesDir(paths.cacheDir),
    ttlMs: settings.cache.ttlSeconds * 1000,
    maxBytes: settings.cache.maxMegabytes * 1024 * 1024,
  });
  if (settings.cache.semantic) cache.semantic = await (await import('./semantic-cache.js')).semanticSettings();
  return cache;
}

export async function createAccounting(options: { noBudget?: boolean } = {}): Promise<Accounting> {
  const { createUsageAccounting } = await import('../usage/index.js');
  return createUsageAccounting(getConfig(), { ...options, warn, note });
}
