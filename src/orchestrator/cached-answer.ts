/**
 * callModel's side of the response cache: a hit becomes a CallResult (text handed to the caller
 * as if streamed, one usage record at cost 0 marked cached), and a finished answer is stored.
 * The cache can only ever lose an answer: any failure to read or write it is a miss or a warning.
 */
import { requestKey, type ResponseCache } from '../cache/response-cache.js';
import type { ModelRequest } from '../providers/spec.js';
import type { CallOptions, CallResult, ResolvedModel } from './call-model.js';

/** The request as sent (max_tokens filled in) names the entry, with the provider and model. */
export function cacheKeyOf(resolved: ResolvedModel, request: ModelRequest): string {
  return requestKey(resolved.provider, resolved.modelId, request);
}

export async function answerFromCache(options: CallOptions, cache: ResponseCache, key: string): Promise<CallResult | undefined> {
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
    ...(resolved.routed ? { routed: resolved.routed } : {}),
  };
  // No tokens were spent: the record says so (no token counts, cost 0), with cached: true.
  await options.accounting.record({
    time: new Date(started).toISOString(),
    provider: resolved.provider,
    model: resolved.modelId,
    usage: undefined,
    costUsd: 0,
    durationMs,
    ttftMs: durationMs,
    status: 'ok',
    cached: true,
    ...(resolved.routed ? { routed: resolved.routed } : {}),
    source: options.source,
  });
  return result;
}

/** Only whole answers are kept: a failure, an interruption or a content-filter stop is asked again. */
export async function storeInCache(options: CallOptions, cache: ResponseCache, key: string, result: CallResult): Promise<void> {
  if (result.status !== 'ok' || (result.finishReason !== 'stop' && result.finishReason !== 'length') || result.toolCalls.length > 0) return;
  try {
    await cache.put(key, result.provider, result.modelId, {
      text: result.text,
      reasoning: result.reasoning,
      finishReason: result.finishReason,
      usage: result.usage,
      responseModel: result.responseModel,
    });
  } catch (error) {
    options.onWarning?.(`could not write the response cache in ${cache.directory}: ${(error as Error).message}`);
  }
}
