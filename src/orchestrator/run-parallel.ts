/**
 * The same request to several models at once (`llmo parallel`). A model that cannot be resolved
 * (no key, say) or fails after its retries is reported in its own slot and never stops the others.
 * Outcome: every model answered → 0; some did → 10; none did → the shared exit code of their
 * errors (5 for provider failures) or 5 when they differ; interrupted → 130.
 */
import type { ResponseCache } from '../cache/response-cache.js';
import { ExitCode, InterruptedError, LlmoError, PartialFailureError, type ExitCodeValue } from '../errors.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { ModelRequest } from '../providers/spec.js';
import type { Accounting, UsageSource } from '../usage/accounting.js';
import { withMaxTokens, type ModelResolver, type ResolvedModel } from './call-model.js';
import { labelled } from './describe-error.js';
import { loadInTurn } from './load-in-turn.js';
import { mapConcurrent } from './map-concurrent.js';
import { runBranch, type Attempt, type BranchStatus } from './run-branch.js';
import { StepFailedError } from './step-failed-error.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';

export interface ParallelResult {
  /** The reference as given with -m. */
  ref: string;
  /** `provider:model`, or the reference when it could not be resolved. */
  label: string;
  status: BranchStatus;
  text: string | undefined;
  /** With a schema: the valid JSON value. */
  data?: unknown;
  /** The call that answered (the last one, with repairs), when one was made. */
  call: Attempt | undefined;
  /** Every call made for this model: more than one when an invalid reply was repaired. */
  calls?: Attempt[];
  error: LlmoError | undefined;
}

export interface ParallelRun {
  status: 'ok' | 'partial' | 'failed' | 'interrupted';
  exitCode: ExitCodeValue;
  results: ParallelResult[];
  error: LlmoError | undefined;
  durationMs: number;
}

export type ParallelEvent =
  | { type: 'start'; index: number; label: string }
  | { type: 'text'; index: number; delta: string }
  | { type: 'end'; index: number; result: ParallelResult };

export interface RunParallelOptions {
  refs: readonly string[];
  request: ModelRequest;
  resolve: ModelResolver;
  accounting: Accounting;
  retry: RetryPolicy;
  concurrency: number;
  source: UsageSource;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  onEvent?: (event: ParallelEvent) => void;
  onWarning?: (message: string) => void;
  /** Each model's reply must be JSON matching this schema (repaired up to `repairs` times). */
  structured?: { schema: PreparedSchema; repairs: number } | undefined;
  /** The response cache for every model's call (--cache, cache.enabled). */
  cache?: ResponseCache | undefined;
}

export async function runParallel(options: RunParallelOptions): Promise<ParallelRun> {
  const started = Date.now();
  const { refs } = options;
  const request = options.structured ? { ...options.request, responseFormat: options.structured.schema.responseFormat } : options.request;
  const resolved = await Promise.all(
    refs.map(async (ref) => {
      try {
        return await options.resolve(ref);
      } catch (error) {
        if (error instanceof LlmoError) return error;
        throw error;
      }
    }),
  );
  const ready = resolved.filter((entry): entry is ResolvedModel => !(entry instanceof LlmoError));
  await options.accounting.checkBudget(
    ready.map((model) => ({
      provider: model.provider,
      model: model.modelId,
      pricing: model.info?.pricing,
      request: withMaxTokens(request, model.requestMaxTokens),
      defaultMaxTokens: model.info?.maxTokens,
    })),
  );

  // Each vendor's SDK in turn, so that its requests leave as soon as it is ready. With the response
  // cache a hit needs no SDK at all: each model then loads its own when it has to call.
  const loaded = options.cache ? [] : loadInTurn(resolved.map((entry) => (entry instanceof LlmoError ? undefined : entry.model)));
  const results = await mapConcurrent(
    resolved,
    async (entry, index): Promise<ParallelResult> => {
      if (entry instanceof LlmoError) {
        const result: ParallelResult = {
          ref: refs[index]!,
          label: refs[index]!,
          status: 'error',
          text: undefined,
          call: undefined,
          error: entry,
        };
        options.onEvent?.({ type: 'end', index, result });
        return result;
      }
      const label = `${entry.provider}:${entry.modelId}`;
      options.onEvent?.({ type: 'start', index, label });
      await loaded[index];
      const run = await runBranch({
        models: [entry],
        request,
        source: { ...options.source, step: label },
        accounting: options.accounting,
        retry: options.retry,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        onText: (delta) => options.onEvent?.({ type: 'text', index, delta }),
        ...(options.onWarning ? { onWarning: (message: string) => options.onWarning!(`${label}: ${message}`) } : {}),
        structured: options.structured,
        cache: options.cache,
      });
      const result: ParallelResult = {
        ref: refs[index]!,
        label,
        status: run.status,
        text: run.text,
        ...(run.data === undefined ? {} : { data: run.data }),
        call: run.final,
        calls: run.attempts,
        error: run.error,
      };
      options.onEvent?.({ type: 'end', index, result });
      return result;
    },
    // Branches watch the signal themselves, so every model reports even when interrupted.
    { concurrency: options.concurrency },
  );
  return { ...outcome(results, Boolean(options.signal?.aborted)), results, durationMs: Date.now() - started };
}

function outcome(results: readonly ParallelResult[], interrupted: boolean): Pick<ParallelRun, 'status' | 'exitCode' | 'error'> {
  const failed = results.filter((result) => result.status !== 'ok');
  if (interrupted) {
    const answered = results.length - failed.length;
    return {
      status: 'interrupted',
      exitCode: ExitCode.interrupted,
      error: new InterruptedError(`interrupted; in-flight requests were cancelled${answered ? ` (${answered} answered before)` : ''}`),
    };
  }
  if (failed.length === 0) return { status: 'ok', exitCode: ExitCode.ok, error: undefined };
  const reasons = failed.map((result) => labelled(result.label, result.error, 'no answer')).join('; ');
  if (failed.length < results.length) {
    return {
      status: 'partial',
      exitCode: ExitCode.partial,
      error: new PartialFailureError(`${failed.length} of ${results.length} models failed: ${reasons}`),
    };
  }
  const codes = new Set(failed.map((result) => result.error?.exitCode ?? ExitCode.provider));
  const exitCode = codes.size === 1 ? [...codes][0]! : ExitCode.provider;
  const hint = failed.length === 1 ? failed[0]!.error?.hint : undefined;
  return { status: 'failed', exitCode, error: new StepFailedError(`no model answered: ${reasons}`, exitCode, hint ? { hint } : {}) };
}
