/** The record of a `llmo parallel` run: one parallel step holding a branch per model (run-record.ts has the shape). */
import type { LlmoError } from '../errors.js';
import type { ParallelRun } from './run-parallel.js';
import {
  branchJson,
  errorJson,
  header,
  sumUsage,
  type AttemptJson,
  type BranchJson,
  type RecordContext,
  type RunRecord,
  type StepJson,
} from './run-record.js';

export function parallelRunRecord(context: RecordContext, run: ParallelRun): RunRecord {
  const branches = run.results.map((result) =>
    result.call
      ? branchJson({ attempts: result.calls ?? [result.call], final: result.call, error: result.error, data: result.data })
      : unresolvedJson(result.ref, result.error),
  );
  const good = run.results.filter((result) => result.status === 'ok');
  const step: StepJson = {
    name: 'parallel',
    parallel: true,
    status: good.length === run.results.length ? 'ok' : good.length ? 'partial' : run.status === 'interrupted' ? 'aborted' : 'failed',
    model: null,
    provider: null,
    prompt: context.input,
    output: null,
    outputs: good.map((result) => ({ model: result.label, text: result.text ?? '' })),
    ...sumUsage(branches),
    duration_ms: run.durationMs,
    error: null,
    branches,
  };
  return { ...header(context, 'parallel', run), chain: null, output: null, ...sumUsage([step]), steps: [step] };
}

function unresolvedJson(ref: string, error: LlmoError | undefined): BranchJson {
  const attempt: AttemptJson = {
    started_at: new Date().toISOString(),
    ref,
    provider: '',
    model: ref,
    status: 'error',
    text: '',
    finish_reason: null,
    usage: null,
    cost_usd: null,
    duration_ms: 0,
    ttft_ms: null,
    error: errorJson(error),
  };
  return { ...attempt, attempts: [] };
}
