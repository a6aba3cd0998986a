/**
 * One branch of a step: its model (with callModel's retries), then each fallback model in
 * order until one answers. Never throws for a failed call: the result says what happened and
 * keeps every attempt, so a chain can report it and a parallel stage can carry on without it.
 */
import { BudgetError, InterruptedError, ToolPolicyError, type LlmoError } from '../errors.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { ModelRequest } from '../providers/spec.js';
import type { Accounting, UsageSource } from '../usage/accounting.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';
import { callModel, emptyResult, type CallResult, type ResolvedModel } from './call-model.js';
import { callStructured } from './call-structured.js';
import { loopResult, runToolLoop, type ToolLoopOptions } from './run-tool-loop.js';

/** What a branch needs to run its calls through the tool loop (a chain step with `tools:`). */
export type BranchTools = Pick<ToolLoopOptions, 'host' | 'tools' | 'policy' | 'confirm' | 'maxSteps' | 'maxResultChars' | 'onEvent'>;

export type BranchStatus = 'ok' | 'error' | 'aborted';

/** One call of a branch, and when it started (epoch ms). */
export type Attempt = CallResult & { startedAt: number };

export interface BranchRun {
  status: BranchStatus;
  /** The answer, when status is ok (with a schema: its JSON, on one line). */
  text: string | undefined;
  /** With a schema: the valid JSON value, when status is ok. */
  data?: unknown;
  /** The call that answered (status ok), else the last one tried. */
  final: Attempt | undefined;
  /** Every call made, fallbacks included, in order. */
  attempts: Attempt[];
  error: LlmoError | undefined;
  durationMs: number;
}

export interface BranchOptions {
  /** The model, then its fallbacks. */
  models: readonly ResolvedModel[];
  request: ModelRequest;
  source: UsageSource;
  accounting: Accounting;
  retry: RetryPolicy;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  stream?: boolean;
  onAttemptStart?: (model: ResolvedModel, attempt: number) => void;
  onText?: (delta: string) => void;
  onAttemptEnd?: (result: CallResult, willFallback: boolean) => void;
  onWarning?: (message: string) => void;
  /** Run each call through the tool loop with these tools. */
  tools?: BranchTools | undefined;
  /** The reply must be JSON matching this schema; an invalid one is repaired, then fails the model. */
  structured?: { schema: PreparedSchema; repairs: number } | undefined;
  /** The response cache for this branch's calls. */
  cache?: ResponseCache | undefined;
}

export async function runBranch(options: BranchOptions): Promise<BranchRun> {
  const started = Date.now();
  const attempts: Attempt[] = [];
  let data: unknown;
  const done = (status: BranchStatus, error: LlmoError | undefined): BranchRun => ({
    status,
    text: status === 'ok' ? (options.structured ? JSON.stringify(data) : attempts.at(-1)!.text) : undefined,
    ...(status === 'ok' && options.structured ? { data } : {}),
    final: attempts.at(-1),
    attempts,
    error,
    durationMs: Date.now() - started,
  });

  for (const [attempt, model] of options.models.entries()) {
    if (options.signal?.aborted) {
      // Interrupted while waiting for its turn (a parallel stage runs at most `concurrency`
      // branches at once): say so as a call that was never sent, as a budget refusal does,
      // so every branch names its model and reports like the others.
      if (attempts.length === 0)
        attempts.push({
          ...emptyResult(model, 'aborted', new InterruptedError('interrupted before the request was sent')),
          startedAt: Date.now(),
        });
      return done('aborted', attempts.at(-1)?.error);
    }
    options.onAttemptStart?.(model, attempt);
    const startedAt = Date.now();
    const outcome = await callOnce(model, options);
    data = outcome.data;
    // Repairs are calls of their own: each is kept, and the last one says how the model did.
    for (const call of outcome.calls) attempts.push({ ...call, startedAt });
    const result = attempts.at(-1)!;
    // A tool stop (policy, step limit, a loop) is about what the step asked for, not about the
    // model: another model would be stopped the same way.
    const toolStop = result.error instanceof ToolPolicyError;
    const willFallback = result.status === 'error' && !toolStop && attempt + 1 < options.models.length && !options.signal?.aborted;
    options.onAttemptEnd?.(result, willFallback);
    if (result.status === 'ok') return done('ok', undefined);
    if (result.status === 'aborted' || options.signal?.aborted) return done('aborted', result.error);
    if (toolStop) return done('error', result.error);
  }
  return done('error', attempts.at(-1)?.error);
}

async function callOnce(model: ResolvedModel, options: BranchOptions): Promise<{ calls: CallResult[]; data?: unknown }> {
  try {
    const call = {
      resolved: model,
      request: options.request,
      source: options.source,
      accounting: options.accounting,
      retry: options.retry,
      stream: options.stream,
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs,
      ...(options.onText ? { onText: options.onText } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
    };
    // A step with tools runs the loop; its answer is not checked against a schema.
    if (options.tools) return { calls: [loopResult(await runToolLoop({ ...options.tools, ...call }))] };
    if (!options.structured) return { calls: [await callModel(call)] };
    const structured = await callStructured({ ...call, schema: options.structured.schema, repairs: options.structured.repairs });
    if (structured.valid) return { calls: structured.calls, data: structured.data };
    // The last call answered, but not with valid JSON: that is this model's failure.
    const calls = structured.calls.map((result, index) =>
      index === structured.calls.length - 1 && result.status === 'ok'
        ? { ...result, status: 'error' as const, error: structured.error }
        : result,
    );
    return { calls };
  } catch (error) {
    // A budget refusal is that model's failure: nothing was sent, and a cheaper fallback may fit.
    if (!(error instanceof BudgetError)) throw error;
    return { calls: [emptyResult(model, 'error', error)] };
  }
}
