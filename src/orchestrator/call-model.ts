/**
 * One model call, the way every command makes it: budget check first, then the request with
 * retries and a timeout, streaming text to the caller as it arrives, then one usage record.
 * A failure does not throw: the result says what happened and keeps the partial text, so chat
 * can show it, chains can keep earlier outputs and parallel can report each branch.
 */
import { InterruptedError, type LlmoError } from '../errors.js';
import type { ModelInfo } from '../config/catalog.js';
import { withRetry, type RetryPolicy } from '../providers/retry.js';
import {
  describeWarning,
  ProviderError,
  ProviderUnavailableError,
  type FinishReason,
  type LanguageModel,
  type ModelRequest,
  type ToolCall,
  type Usage,
} from '../providers/spec.js';
import type { Accounting, CallStatus, UsageSource } from '../usage/accounting.js';
import { estimatePromptTokens, estimateUsage } from '../usage/estimate.js';
import { costOf, promptCacheSavings } from '../usage/pricing.js';
import { withCacheHint } from './prompt-cache-hint.js';
import type { ResponseCache } from '../cache/response-cache.js';

/** A model ready to call, with what models.yaml knows about it. */
export interface ResolvedModel {
  /** What the user typed (`sonnet`, `openai:gpt-4o`). */
  ref: string;
  provider: string;
  modelId: string;
  info: ModelInfo | undefined;
  model: LanguageModel;
  /**
   * The max_tokens a request to this model carries unless it names its own (request.max_tokens in
   * config, or the model's default_max_tokens in models.yaml). Budgets estimate with the same number.
   */
  requestMaxTokens?: number | undefined;
  /** `-m auto…` chose this model: the mode and why it won, recorded with every call to it. */
  routed?: Routed | undefined;
}

/** How `-m auto…` chose a model. */
export interface Routed {
  mode: string;
  reason: string;
  /**
   * The next-ranked models, best first: what ask and chat fall back to when the chosen one fails
   * and no fallback is named (call-with-fallback.ts). They travel with the model routing chose, so
   * a model switched to later (chat's /model) does not inherit another choice's runners-up.
   */
  runnersUp?: readonly string[] | undefined;
}

/** The request as it will be sent: with the max_tokens the budget estimate assumes. */
export function withMaxTokens(request: ModelRequest, defaultMaxTokens: number | undefined): ModelRequest {
  const maxTokens = request.maxTokens ?? defaultMaxTokens;
  return maxTokens === request.maxTokens ? request : { ...request, maxTokens };
}

/** Turns a reference into a ready model (resolving, finding the key, loading the adapter). */
export type ModelResolver = (ref: string) => Promise<ResolvedModel>;

export interface CallOptions {
  resolved: ResolvedModel;
  request: ModelRequest;
  source: UsageSource;
  accounting: Accounting;
  retry: RetryPolicy;
  /** false: use the vendor's non-streaming endpoint. */
  stream?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Give up after this long without a word from the provider (first token, or the next one). */
  timeoutMs?: number | undefined;
  onText?: ((delta: string) => void) | undefined;
  onReasoning?: ((delta: string) => void) | undefined;
  onWarning?: ((message: string) => void) | undefined;
  /** Each finished tool call as it arrives (streaming only; the result lists them all either way). */
  onToolCall?: ((call: ToolCall) => void) | undefined;
  /** The response cache to answer from and store into (--cache, cache.enabled, a step's cache: true). */
  cache?: ResponseCache | undefined;
  /**
   * Give the event loop a turn at least this often while parts stream (the chat, which reads keys
   * meanwhile). A reply that arrives faster than it is handled is parsed from the socket's buffer
   * in microtasks alone, which starve timers and input: 260 ms without a key read, measured on a
   * 50,000-word reply from the fake provider.
   */
  yieldEveryMs?: number | undefined;
}

export interface CallResult {
  ref: string;
  provider: string;
  modelId: string;
  /** The model the vendor says answered. */
  responseModel: string | undefined;
  text: string;
  reasoning: string;
  /** The tools the model asked to call, in order (the request's `tools` named them). */
  toolCalls: ToolCall[];
  finishReason: FinishReason | undefined;
  usage: Usage | undefined;
  /** True when the vendor sent no usage and `usage` is an estimate from the text. */
  usageEstimated?: boolean;
  costUsd: number | undefined;
  durationMs: number;
  ttftMs: number | undefined;
  requestId: string | undefined;
  status: CallStatus;
  /** Set when status is error or aborted. */
  error: LlmoError | undefined;
  /** true when the answer came from the response cache (no request was made). */
  cached?: boolean | undefined;
  /** The response-cache entry that holds exactly this request's answer: an exact hit, or an answer just stored. */
  cacheKey?: string | undefined;
  /** What the vendor's prompt cache saved on this call (cached prompt tokens priced at cached_input). */
  savedUsd?: number | undefined;
  /** `-m auto…` chose the model (ResolvedModel.routed). */
  routed?: { mode: string; reason: string } | undefined;
}

/** A result with nothing in it yet: the start of every call, or a call refused before it was sent. */
export function emptyResult(resolved: ResolvedModel, status: CallStatus, error: LlmoError | undefined): CallResult {
  return {
    ref: resolved.ref,
    provider: resolved.provider,
    modelId: resolved.modelId,
    responseModel: undefined,
    text: '',
    reasoning: '',
    toolCalls: [],
    finishReason: undefined,
    usage: undefined,
    usageEstimated: false,
    costUsd: undefined,
    durationMs: 0,
    ttftMs: undefined,
    requestId: undefined,
    status,
    error,
    ...(resolved.routed ? { routed: resolved.routed } : {}),
  };
}

export async function callModel(options: CallOptions): Promise<CallResult> {
  const { resolved, accounting } = options;
  const request = withCacheHint(withMaxTokens(options.request, resolved.requestMaxTokens));
  const pricing = resolved.info?.pricing;
  // The cache's code loads only when a run asks for it; a hit costs nothing, so no budget can refuse it.
  const caching = options.cache ? await import('./cached-answer.js') : undefined;
  const cacheKey = caching?.cacheKeyOf(resolved, request);
  let semantic: { remember?: (key: string) => Promise<void> } = {};
  if (caching && options.cache && cacheKey) {
    const hit = await caching.answerFromCache(options, options.cache, cacheKey);
    if (hit) return hit;
    const lookup = await caching.lookUpSemantic(options, options.cache, request);
    if (lookup.hit) return lookup.hit;
    semantic = lookup;
  }
  await accounting.checkBudget([
    { provider: resolved.provider, model: resolved.modelId, pricing, request, defaultMaxTokens: resolved.info?.maxTokens },
  ]);

  const started = Date.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  const text: string[] = [];
  const reasoning: string[] = [];
  let ttftMs: number | undefined;
  const firstToken = () => {
    ttftMs ??= Date.now() - started;
  };
  const result = emptyResult(resolved, 'ok', undefined);

  // The one timeout (silence, not length) is the retry layer's: it runs only while an attempt waits
  // for the provider, never during the back-off between attempts.
  const model = withRetry(resolved.model, { ...options.retry, silenceTimeoutMs: options.timeoutMs });
  try {
    if (options.stream === false) {
      const generated = await model.generate(request, { signal: controller.signal });
      firstToken();
      text.push(generated.text);
      reasoning.push(generated.reasoning);
      result.toolCalls.push(...generated.toolCalls);
      if (generated.reasoning) options.onReasoning?.(generated.reasoning);
      options.onText?.(generated.text);
      for (const warning of generated.warnings) options.onWarning?.(describeWarning(warning));
      Object.assign(result, {
        finishReason: generated.finishReason,
        usage: generated.usage,
        responseModel: generated.responseModel,
        requestId: generated.requestId,
      });
    } else {
      let turnStarted = performance.now();
      for await (const part of model.stream(request, { signal: controller.signal })) {
        if (options.yieldEveryMs !== undefined && performance.now() - turnStarted >= options.yieldEveryMs) {
          await new Promise((resolve) => setImmediate(resolve));
          turnStarted = performance.now();
        }
        switch (part.type) {
          case 'text-delta':
            firstToken();
            text.push(part.text);
            options.onText?.(part.text);
            break;
          case 'reasoning-delta':
            firstToken();
            reasoning.push(part.text);
            options.onReasoning?.(part.text);
            break;
          case 'tool-call':
            firstToken();
            result.toolCalls.push(part.toolCall);
            options.onToolCall?.(part.toolCall);
            break;
          case 'warning':
            options.onWarning?.(describeWarning(part.warning));
            break;
          case 'error':
            throw part.error;
          case 'finish':
            Object.assign(result, {
              finishReason: part.finishReason,
              usage: part.usage,
              responseModel: part.responseModel,
              requestId: part.requestId,
            });
            break;
        }
      }
      if (result.finishReason === undefined) {
        throw new ProviderUnavailableError(`${resolved.provider}: the response ended without finishing`, { provider: resolved.provider });
      }
    }
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof ProviderError)) {
      result.status = 'aborted';
      result.error = new InterruptedError(`interrupted; the request to ${resolved.provider} was cancelled`);
    } else if (error instanceof ProviderError) {
      result.status = 'error';
      result.error = error;
    } else {
      throw error;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  result.text = text.join('');
  result.reasoning = reasoning.join('');
  result.durationMs = Date.now() - started;
  result.ttftMs = ttftMs;
  // A server that sends no usage (an OpenAI-compatible one ignoring include_usage) still bills
  // the call: estimate it, so budgets count it instead of taking it as free. A call that failed
  // before anything came back is not estimated: nothing says it was billed.
  if (result.usage === undefined && (result.status === 'ok' || result.text !== '' || result.reasoning !== '')) {
    result.usage = estimateUsage(request.messages, result.reasoning + result.text);
    result.usageEstimated = true;
  }
  result.costUsd = costOf(result.usage, pricing);
  result.savedUsd = promptCacheSavings(result.usage, pricing);
  // An interrupted call (Ctrl-C, SIGTERM, a timeout mid-reply) was billed for its prompt and for
  // what it had streamed, though the vendor never said how much: record llmo's estimate of it.
  const estimated =
    result.usage === undefined && (result.status === 'aborted' || (result.status === 'error' && ttftMs !== undefined))
      ? { inputTokens: estimatePromptTokens(request.messages), outputTokens: estimateReceivedTokens(result.text + result.reasoning) }
      : undefined;
  await accounting.record({
    time: new Date(started).toISOString(),
    provider: resolved.provider,
    model: resolved.modelId,
    usage: result.usage ?? estimated,
    costUsd: result.costUsd ?? costOf(estimated, pricing),
    ...(result.usageEstimated ? { estimated: 'no-usage' as const } : estimated ? { estimated: 'interrupted' as const } : {}),
    durationMs: result.durationMs,
    ttftMs,
    status: result.status,
    ...(result.error ? { errorKind: result.error.name } : {}),
    ...(cacheKey ? { cached: false } : {}),
    ...(result.savedUsd ? { savedUsd: result.savedUsd } : {}),
    ...(resolved.routed ? { routed: resolved.routed } : {}),
    source: options.source,
  });
  if (caching && options.cache && cacheKey && (await caching.storeInCache(options, options.cache, cacheKey, result))) {
    result.cacheKey = cacheKey;
    await semantic.remember?.(cacheKey);
  }
  return result;
}

/** Tokens of text already received, counted as generously as prompts are (one per 3 characters). */
function estimateReceivedTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
