/**
 * The JSON a chain or parallel run is saved as (and what `--json` prints): inputs, each step's
 * prompt and output(s), every call with its usage, cost, timing and status. snake_case, like
 * `ask --json`. Version 1; fields are only ever added.
 */
import type { LlmoError } from '../errors.js';
import type { Usage } from '../providers/spec.js';
import type { CallResult } from './call-model.js';
import type { ChainDefinition } from './chain-definition.js';
import { chainDigest } from './chain-digest.js';
import type { Attempt, BranchRun } from './run-branch.js';
import type { ChainRun, StepRun } from './run-chain.js';
import type { StepDecision } from './step-decision.js';

export interface UsageJson {
  input_tokens: number;
  output_tokens: number;
}

export interface ErrorJson {
  kind: string;
  message: string;
}

export interface AttemptJson {
  /** When the call started (ISO time). */
  started_at: string;
  ref: string;
  provider: string;
  model: string;
  status: CallResult['status'];
  text: string;
  finish_reason: string | null;
  usage: UsageJson | null;
  cost_usd: number | null;
  duration_ms: number;
  ttft_ms: number | null;
  error: ErrorJson | null;
}

export interface BranchJson extends AttemptJson {
  /** Every call made for this branch: the model, its repairs, then the fallbacks tried. */
  attempts: AttemptJson[];
  /** With a schema: the branch's valid JSON value. */
  data?: unknown;
}

export interface StepJson {
  name: string;
  parallel: boolean;
  status: StepRun['status'];
  /** `provider:model` that answered a single step (null for a parallel stage or a failed step). */
  model: string | null;
  provider: string | null;
  prompt: string | null;
  output: string | null;
  /** The good outputs of a parallel stage (one entry for a single step). */
  outputs: Array<{ model: string; text: string }>;
  usage: UsageJson | null;
  cost_usd: number | null;
  duration_ms: number;
  error: ErrorJson | null;
  branches: BranchJson[];
  /** Why the step ran, was skipped, stopped looping or took a case (CHAIN-FORMAT "Recorded decisions"). */
  decision?: StepDecision;
  /** Skipped by its when: (or by on_error: skip after failing); its output is "". */
  skipped?: true;
  /** The judge calls its decisions made. */
  judges?: BranchJson[];
  /** A repeat block: each iteration's inner steps. */
  iterations?: StepJson[][];
  /** A switch block: the inner steps of the case taken. */
  steps?: StepJson[];
  /** A foreach block: each item's inner steps, in item order. */
  items?: StepJson[][];
  /** {{steps.NAME.json}} as later steps saw it, for a step with a schema (what `chain resume` reuses). */
  json?: unknown;
}

export interface RunRecord {
  version: 1;
  id: string;
  kind: 'chain' | 'parallel';
  chain: {
    name: string;
    source: ChainDefinition['origin']['kind'];
    where: string;
    description: string | null;
    /** What the chain did when it ran (chain-digest.ts): `chain resume` refuses a chain that changed since. */
    digest?: string;
  } | null;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  /** While the run is going: the process running it (so `chain resume` does not continue a live run). */
  pid?: number;
  /** `running` until the run ends (or for ever, when the process was killed). */
  status: ChainRun['status'] | 'running';
  exit_code: number | null;
  error: ErrorJson | null;
  input: string;
  vars: Record<string, string>;
  /** The last step's output (chain), null when the chain did not finish or for parallel runs. */
  output: string | null;
  usage: UsageJson | null;
  cost_usd: number | null;
  steps: StepJson[];
}

export interface RecordContext {
  id: string;
  startedAt: Date;
  input: string;
  vars: Record<string, string>;
  /** A resumed run: the steps the earlier run finished, kept as they were saved (costs included). */
  earlier?: StepJson[] | undefined;
  /** A resumed run: how long the earlier attempts took. */
  priorMs?: number | undefined;
}

/** The record a run starts with, before any step has run. */
export function runningRecord(context: RecordContext, kind: RunRecord['kind'], chain: ChainDefinition | undefined): RunRecord {
  return {
    version: 1,
    id: context.id,
    kind,
    chain: chain ? chainJson(chain) : null,
    started_at: context.startedAt.toISOString(),
    finished_at: context.startedAt.toISOString(),
    duration_ms: 0,
    status: 'running',
    exit_code: null,
    error: null,
    input: context.input,
    vars: context.vars,
    output: null,
    usage: null,
    cost_usd: null,
    steps: [],
    pid: process.pid,
  };
}

function chainJson(chain: ChainDefinition): NonNullable<RunRecord['chain']> {
  return {
    name: chain.name,
    source: chain.origin.kind,
    where: chain.origin.where,
    description: chain.description ?? null,
    digest: chainDigest(chain),
  };
}

export function chainRunRecord(context: RecordContext, chain: ChainDefinition, run: ChainRun): RunRecord {
  const steps = [...(context.earlier ?? []), ...run.steps.map(stepJson)];
  const durationMs = (context.priorMs ?? 0) + run.durationMs;
  return {
    ...header(context, 'chain', { ...run, durationMs }),
    chain: chainJson(chain),
    output: run.output ?? null,
    ...sumUsage(steps),
    steps,
  };
}

/** The fields every record starts with. */
export function header(
  context: RecordContext,
  kind: RunRecord['kind'],
  run: { status: RunRecord['status']; exitCode: number; error: LlmoError | undefined; durationMs: number },
) {
  return {
    version: 1 as const,
    id: context.id,
    kind,
    started_at: context.startedAt.toISOString(),
    finished_at: new Date(context.startedAt.getTime() + run.durationMs).toISOString(),
    duration_ms: run.durationMs,
    status: run.status,
    exit_code: run.exitCode,
    error: errorJson(run.error),
    input: context.input,
    vars: context.vars,
  };
}

export function stepJson(step: StepRun): StepJson {
  const branches = step.branches.map(branchJson);
  const good = step.branches.filter((branch) => branch.status === 'ok');
  const answered = !step.parallel && good[0]?.final ? good[0].final : undefined;
  const judges = step.judges?.map(branchJson);
  const iterations = step.iterations?.map((iteration) => iteration.map(stepJson));
  const inner = step.steps?.map(stepJson);
  const items = step.items?.map((item) => item.map(stepJson));
  // A block's (and a judge's) calls count towards the step, so the run's total sums every call.
  const costed = [...branches, ...(judges ?? []), ...(iterations?.flat() ?? []), ...(items?.flat() ?? []), ...(inner ?? [])];
  return {
    name: step.name,
    parallel: step.parallel,
    status: step.status,
    model: answered ? `${answered.provider}:${answered.modelId}` : null,
    provider: answered?.provider ?? null,
    prompt: step.prompt ?? null,
    output: step.output ?? null,
    outputs: good.map((branch) => ({ model: `${branch.final!.provider}:${branch.final!.modelId}`, text: branch.text ?? '' })),
    ...sumUsage(costed),
    duration_ms: step.durationMs,
    error: errorJson(step.error),
    branches,
    ...(step.decision ? { decision: step.decision } : {}),
    ...(step.skipped ? { skipped: true as const } : {}),
    ...(judges?.length ? { judges } : {}),
    ...(iterations ? { iterations } : {}),
    ...(inner ? { steps: inner } : {}),
    ...(items ? { items } : {}),
    ...(hasJson(step.result?.json) ? { json: step.result!.json } : {}),
  };
}

/** A stage without a schema has no JSON: its value is a list of nothing. */
function hasJson(json: unknown): boolean {
  return json !== undefined && !(Array.isArray(json) && json.every((item) => item === undefined));
}

export function branchJson(branch: Pick<BranchRun, 'attempts' | 'final' | 'error' | 'data'>): BranchJson {
  const attempts = branch.attempts.map(attemptJson);
  const final = branch.final ? attemptJson(branch.final) : attempts.at(-1)!;
  const summed = sumUsage(attempts);
  return {
    ...final,
    ...summed,
    duration_ms: attempts.reduce((sum, attempt) => sum + attempt.duration_ms, 0),
    error: errorJson(branch.error) ?? final.error,
    attempts,
    ...(branch.data === undefined ? {} : { data: branch.data }),
  };
}

function attemptJson(call: Attempt): AttemptJson {
  return {
    started_at: new Date(call.startedAt).toISOString(),
    ref: call.ref,
    provider: call.provider,
    model: call.modelId,
    status: call.status,
    text: call.text,
    finish_reason: call.finishReason ?? null,
    usage: usageJson(call.usage),
    cost_usd: call.costUsd ?? null,
    duration_ms: call.durationMs,
    ttft_ms: call.ttftMs ?? null,
    error: errorJson(call.error),
  };
}

function usageJson(usage: Usage | undefined): UsageJson | null {
  return usage ? { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } : null;
}

export function errorJson(error: LlmoError | undefined): ErrorJson | null {
  return error ? { kind: error.name, message: error.message } : null;
}

/** Usage and cost summed over calls; null when none reported any. */
export function sumUsage(items: ReadonlyArray<{ usage: UsageJson | null; cost_usd: number | null }>): {
  usage: UsageJson | null;
  cost_usd: number | null;
} {
  const usages = items.map((item) => item.usage).filter((usage): usage is UsageJson => usage !== null);
  const costs = items.map((item) => item.cost_usd).filter((cost): cost is number => cost !== null);
  return {
    usage: usages.length
      ? {
          input_tokens: usages.reduce((sum, usage) => sum + usage.input_tokens, 0),
          output_tokens: usages.reduce((sum, usage) => sum + usage.output_tokens, 0),
        }
      : null,
    cost_usd: costs.length ? Math.round(costs.reduce((sum, cost) => sum + cost, 0) * 1e9) / 1e9 : null,
  };
}
