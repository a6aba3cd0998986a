/**
 * One request of a chat exchange: through the tool loop when tools are on, else through the
 * fallback models; streaming, with retries reported to the UI. Throws only before the request
 * (a budget refusal, a tool server that cannot start) or for a bug.
 */
import { callModel, type CallResult, type ResolvedModel } from '../../orchestrator/call-model.js';
import { callWithFallback } from '../../orchestrator/call-with-fallback.js';
import { exchangeOf, loopResult, runToolLoop } from '../../orchestrator/run-tool-loop.js';
import { retryNotice, type RetryPolicy } from '../../providers/retry.js';
import type { Message } from '../../providers/spec.js';
import type { UsageSource } from '../../usage/accounting.js';
import type { RequestParameters } from '../commands/types.js';
import type { ExchangeHandlers, SessionServices } from './session-types.js';

/** How long the chat's handling of a streaming reply may hold the event loop before keys get a turn. */
const STREAM_TURN_MS = 15;

/** The tool steps and final reply of a tool loop. */
export type ToolExchange = ReturnType<typeof exchangeOf>;

export async function callForChat(options: {
  services: SessionServices;
  resolved: ResolvedModel;
  messages: Message[];
  parameters: RequestParameters;
  source: UsageSource;
  tools: boolean;
  handlers: ExchangeHandlers;
  signal: AbortSignal;
}): Promise<{ result: CallResult; exchange: ToolExchange | undefined }> {
  const { services, resolved, handlers } = options;
  const { retry } = services;
  const common = {
    resolved,
    request: { messages: options.messages, maxTokens: options.parameters.maxTokens, temperature: options.parameters.temperature },
    source: options.source,
    accounting: services.accounting,
    retry: {
      ...retry,
      onRetry: ({ attempt, delayMs, error }: Parameters<NonNullable<RetryPolicy['onRetry']>>[0]) =>
        handlers.onRetry?.(retryNotice({ attempt, delayMs, error }, retry.retries), { attempt, retries: retry.retries }),
    },
    stream: true,
    signal: options.signal,
    timeoutMs: services.timeoutMs,
    onText: handlers.onText,
    onReasoning: handlers.onReasoning,
    onWarning: handlers.onWarning,
    // Keys typed while a fast reply streams are read within a frame.
    yieldEveryMs: STREAM_TURN_MS,
  };
  if (options.tools && services.tools) {
    const run = await runToolLoop({
      ...common,
      ...(await services.tools.open()),
      confirm: handlers.confirm,
      onEvent: handlers.onToolEvent,
    });
    return { result: loopResult(run), exchange: exchangeOf(run) };
  }
  const result = await callWithFallback({
    first: resolved,
    fallbacks: services.fallback ?? [],
    resolve: services.resolveModel,
    call: (model) => callModel({ ...common, resolved: model, cache: services.cache }),
    ...(handlers.onWarning ? { onFallback: handlers.onWarning } : {}),
    ...(handlers.onModel ? { onFallbackModel: (model: ResolvedModel) => handlers.onModel?.(`${model.provider}:${model.modelId}`) } : {}),
  });
  return { result, exchange: undefined };
}
