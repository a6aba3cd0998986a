/**
 * callModel's side of the response cache: a hit becomes a CallResult (text handed to the caller
 * as if streamed, one usage record at cost 0 marked cached), and a finished answer is stored.
 * The cache can only ever lose an answer: any failure to read or write it is a miss or a warning.
 */
import { requestKey, type ResponseCache } from '../cache/response-cache.js';
import { cacheHitUsage } from './cache-hit-usage.js';
import { semanticScope } from '../cache/semantic-index.js';
import type { ModelRequest } from '../providers/spec.js';
import type { CallOptions, CallResult, ResolvedModel } from './call-model.js';

/** The request as sent (max_tokens filled in) names the entry, with the provider and model. */
export function cacheKeyOf(resolved: ResolvedModel, request: ModelRequest): string {
  return requestKey(resolved.provider, resolved.modelId, request);
}

export async function answerFromCache(
  options: CallOptions,
  cache: ResponseCache,
  key: string,
  similarity?: number,
): Promise<CallResult | undefined> {
  const started = Date.now();
  const entry = await cache.get(key).catch(() => undefined);
  if (!entry) return undefined;
  const { resolved } = options;
  const { answer } = entry;
  if (answer.reasoning) options.onReasoning?.(answer.reasoning);
  options.onText?.(answer.text);
  const durationMs = Date.now() - started;
  const result: CallResult = {
    ref: resolved.ref,
    provider: resolved.provider,
    modelId: resolved.modelId,
    responseModel: answer.responseModel,
    text: answer.text,
    reasoning: answer.reasoning,
    finishReason: answer.finishReason,
    // Only answers without tool calls are stored (storeInCache).
    toolCalls: [],
    usage: answer.usage,
    costUsd: 0,
    durationMs,
    ttftMs: durationMs,
    requestId: undefined,
    status: 'ok',
    error: undefined,
    cached: true,
    // A semantic hit answers a different request: only an exact one names its own entry.
    ...(similarity === undefined ? { cacheKey: key } : {}),
    ...(resolved.routed ? { routed: resolved.routed } : {}),
  };
  await options.accounting.record(
    cacheHitUsage(
      { provider: resolved.provider, model: resolved.modelId, started, durationMs, source: options.source },
      { similarity, routed: resolved.routed },
    ),
  );
  return result;
}

/** Only whole answers are kept: a failure, an interruption or a content-filter stop is asked again. */
/** Returns whether the answer was stored. */
export async function storeInCache(options: CallOptions, cache: ResponseCache, key: string, result: CallResult): Promise<boolean> {
  if (result.status !== 'ok' || (result.finishReason !== 'stop' && result.finishReason !== 'length') || result.toolCalls.length > 0)
    return false;
  try {
    await cache.put(key, result.provider, result.modelId, {
      text: result.text,
      reasoning: result.reasoning,
      finishReason: result.finishReason,
      usage: result.usage,
      responseModel: result.responseModel,
    });
    return true;
  } catch (error) {
    options.onWarning?.(`could not write the response cache in ${cache.directory}: ${(error as Error).message}`);
    return false;
  }
}

/** What a semantic lookup left to do: nothing (a hit), or remember this prompt once its answer is stored. */
export interface SemanticLookup {
  hit?: CallResult;
  remember?: (key: string) => Promise<void>;
}

/**
 * The semantic cache (cache.semantic), asked after the exact cache missed: the prompt is embedded
 * (a paid call, recorded in the usage log) and compared with the single-turn prompts answered
 * before in the same scope. Any failure is a miss with a warning: the cache never breaks a call.
 */
export async function lookUpSemantic(options: CallOptions, cache: ResponseCache, request: ModelRequest): Promise<SemanticLookup> {
  const semantic = cache.semantic;
  const { resolved } = options;
  const scoped = semantic && semanticScope(resolved.provider, resolved.modelId, request);
  if (!semantic || !scoped) return {};
  try {
    const embedding = await semantic.embed(scoped.prompt);
    await options.accounting.record({
      time: new Date(Date.now() - embedding.durationMs).toISOString(),
      provider: embedding.provider,
      model: embedding.model,
      usage: embedding.inputTokens === undefined ? undefined : { inputTokens: embedding.inputTokens, outputTokens: 0 },
      costUsd: embedding.costUsd,
      durationMs: embedding.durationMs,
      ttftMs: undefined,
      status: 'ok',
      source: options.source,
    });
    const nearest = await semantic.index.nearest(scoped.scope, embedding.vector);
    if (nearest && nearest.similarity >= semantic.threshold) {
      const hit = await answerFromCache(options, cache, nearest.key, nearest.similarity);
      if (hit) return { hit };
    }
    return { remember: (key) => semantic.index.add(scoped.scope, key, embedding.vector).catch(() => {}) };
  } catch (error) {
    options.onWarning?.(`semantic cache skipped: ${(error as Error).message}`);
    return {};
  }
}
