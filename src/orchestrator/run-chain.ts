/**
 * Runs a validated chain: resolves every model first (so a missing key stops it before any
 * call), checks the budget for the whole plan, then runs the steps in order, each parallel
 * stage's branches at once. The chain stops at the first step that produces no output and keeps
 * everything produced before it. Outcome and exit code (docs/chains.md):
 *   ok          every step and branch answered (fallbacks included)                 → 0
 *   failed      the first step produced nothing                                      → its error's code (5 for providers)
 *   partial     a later step produced nothing, or a parallel branch failed         → 10
 *   interrupted the signal was aborted                                               → 130
 */
import type { ResponseCache } from '../cache/response-cache.js';
import { BudgetError, ExitCode, InterruptedError, PartialFailureError, type ExitCodeValue, type LlmoError } from '../errors.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { Accounting, UsageSource } from '../usage/accounting.js';
import { formatUsd } from '../usage/pricing.js';
import type { CallResult, ModelResolver, ResolvedModel } from './call-model.js';
import { plannedCalls, worstCaseUsd } from './chain-budget.js';
import { labelled, withProvider } from './describe-error.js';
import { mapConcurrent } from './map-concurrent.js';
import { StepFailedError } from './step-failed-error.js';
import { runBranch, type BranchRun, type BranchTools } from './run-branch.js';
import type { ToolLoopEvent } from './run-tool-loop.js';
import { selectTools } from './tool-patterns.js';
import { branchRequest, renderStepPrompt, type StepOutput } from './step-prompt.js';
import type { ChainPlan, PlannedStep } from './validate-chain.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';
import { goodBranches, mergeBranches } from './merge-branches.js';
import type { StepDecision } from './step-decision.js';

export type StepStatus = 'ok' | 'partial' | 'failed' | 'aborted' | 'skipped';
export type ChainStatus = 'ok' | 'partial' | 'failed' | 'interrupted';

export interface StepRun {
  index: number;
  name: string;
  parallel: boolean;
  status: StepStatus;
  /** The rendered prompt (undefined for a skipped step). */
  prompt: string | undefined;
  /** What later steps see as {{steps.NAME.output}}. */
  output: string | undefined;
  branches: BranchRun[];
  durationMs: number;
  error: LlmoError | undefined;
  /** What later steps see of it ({{steps.NAME.output|outputs|json}}), when it produced output. */
  result?: StepOutput | undefined;
  /** Why it came out as it did (a merge's votes, a judge's answer…). */
  decision?: StepDecision | undefined;
  /** A `merge: judge` stage's extra call. */
  judge?: BranchRun | undefined;
}

export interface ChainRun {
  status: ChainStatus;
  exitCode: ExitCodeValue;
  steps: StepRun[];
  /** The last step's output, when the chain finished. */
  output: string | undefined;
  /** Why the run is not a plain success. */
  error: LlmoError | undefined;
  durationMs: number;
}

export type ChainEvent =
  | { type: 'step-start'; step: PlannedStep }
  | { type: 'attempt-start'; step: PlannedStep; branch: number; model: ResolvedModel; attempt: number }
  | { type: 'text'; step: PlannedStep; branch: number; delta: string }
  | { type: 'attempt-end'; step: PlannedStep; branch: number; result: CallResult; willFallback: boolean }
  | { type: 'step-end'; step: PlannedStep; run: StepRun }
  | { type: 'tool'; step: PlannedStep; branch: number; event: ToolLoopEvent }
  | { type: 'warning'; message: string };

export interface RunChainOptions {
  plan: ChainPlan;
  input: string;
  resolve: ModelResolver;
  accounting: Accounting;
  retry: RetryPolicy;
  /** Parallel stages run at most this many branches at once. */
  concurrency: number;
  /** Usage source for every call; each call adds its step (and branch). */
  source: UsageSource;
  /** Enforce the chain's own budget_usd (false with --no-budget). */
  enforceBudget: boolean;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** How many times an invalid reply of a step with a schema is sent back for correction (default 2). */
  repairs?: number | undefined;
  /** Where checked schemas are cached as compiled validators (none: compile each run). */
  schemaCacheDir?: string | undefined;
  /** The response cache (absent with --no-cache); a step uses it when its `cache:` says so, else when `cacheByDefault`. */
  cache?: ResponseCache | undefined;
  cacheByDefault?: boolean | undefined;
  onEvent?: (event: ChainEvent) => void;
  /** For steps with `tools:`: one host for the whole run, and how the loop behaves. */
  tools?: ChainTools | undefined;
  /** `chain resume`: start at this top-level step, the earlier ones' outputs as saved (nothing paid for is asked again). */
  resume?: ResumePoint | undefined;
}

export interface ResumePoint {
  /** The index of the first step to run. */
  from: number;
  /** The outputs of the steps before it, as the saved run has them. */
  outputs: ReadonlyMap<string, StepOutput>;
}

/** The tool loop's settings for a chain run; each step brings its own tools and step limit. */
export type ChainTools = Omit<BranchTools, 'tools' | 'onEvent'>;

export async function prepareChain(
  options: Pick<RunChainOptions, 'plan' | 'input' | 'resolve' | 'accounting' | 'enforceBudget' | 'resume'>,
): Promise<Map<string, ResolvedModel>> {
  const { plan } = options;
  const from = options.resume?.from ?? 0;
  const resolved = new Map<string, ResolvedModel>();
  for (const step of plan.steps.slice(from)) {
    for (const branch of step.branches) {
      for (const model of branch.models) {
        if (!resolved.has(model.ref)) resolved.set(model.ref, await options.resolve(model.ref));
      }
    }
    const judge = step.merge?.model;
    if (judge && !resolved.has(judge.ref)) resolved.set(judge.ref, await options.resolve(judge.ref));
  }
  const calls = plannedCalls(plan, options.input, from);
  await options.accounting.checkBudget(calls);
  const limit = plan.chain.budgetUsd;
  if (options.enforceBudget && limit !== undefined) {
    const worst = worstCaseUsd(calls);
    if (worst.usd > limit) {
      throw new BudgetError(
        `chain "${plan.chain.name}" could cost up to ${formatUsd(worst.usd)}, over its budget_usd of ${formatUsd(limit)}`,
        {
          hint: 'lower max_tokens in its steps, raise budget_usd, or pass --no-budget',
        },
      );
    }
  }
  return resolved;
}

export async function runChain(options: RunChainOptions): Promise<ChainRun> {
  const started = Date.now();
  const resolved = await prepareChain(options);
  const schemas = await prepareSchemas(options.plan, options.schemaCacheDir);
  const { plan, signal } = options;
  const outputs = new Map<string, StepOutput>(options.resume?.outputs);
  const steps: StepRun[] = [];
  let stop: StepRun | undefined;

  for (const step of plan.steps.slice(options.resume?.from ?? 0)) {
    if (stop || signal?.aborted) {
      steps.push(skipped(step));
      continue;
    }
    options.onEvent?.({ type: 'step-start', step });
    const run = await runStep(
      step,
      renderStepPrompt(plan, step, { input: options.input, outputs }),
      resolved,
      schemas.get(step.name),
      options,
    );
    steps.push(run);
    options.onEvent?.({ type: 'step-end', step, run });
    if (run.result !== undefined) outputs.set(step.name, run.result);
    else stop = run;
  }
  return outcome(plan, steps, stop, Boolean(signal?.aborted), Date.now() - started, options.resume?.from ?? 0);
}

/**
 * Every step's schema checked and compiled before the first call (Ajv loads only when a step has
 * one), so a broken schema stops the chain with nothing spent.
 */
async function prepareSchemas(plan: ChainPlan, cacheDir: string | undefined): Promise<Map<string, PreparedSchema>> {
  const schemas = new Map<string, PreparedSchema>();
  const steps = plan.steps.filter((step) => step.schema !== undefined);
  if (steps.length === 0) return schemas;
  const { prepareLoaded } = await import('../structured/prepare-schema.js');
  for (const step of steps) schemas.set(step.name, await prepareLoaded(step.schema!, cacheDir));
  return schemas;
}

async function runStep(
  step: PlannedStep,
  prompt: string,
  resolved: Map<string, ResolvedModel>,
  schema: PreparedSchema | undefined,
  options: RunChainOptions,
): Promise<StepRun> {
  const started = Date.now();
  const tools = await stepTools(step, options);
  const branches = await mapConcurrent(
    step.branches,
    (branch, index) =>
      runBranch({
        models: branch.models.map((model) => resolved.get(model.ref)!),
        request: branchRequest(branch, prompt),
        source: { ...options.source, step: step.parallel ? `${step.name}[${index + 1}]` : step.name },
        accounting: options.accounting,
        retry: options.retry,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        onAttemptStart: (model, attempt) => options.onEvent?.({ type: 'attempt-start', step, branch: index, model, attempt }),
        onText: (delta) => options.onEvent?.({ type: 'text', step, branch: index, delta }),
        onAttemptEnd: (result, willFallback) => options.onEvent?.({ type: 'attempt-end', step, branch: index, result, willFallback }),
        onWarning: (message) => options.onEvent?.({ type: 'warning', message: `step ${step.name}: ${message}` }),
        // first_valid keeps the first branch that answers right: another branch is the repair.
        structured: schema ? { schema, repairs: step.merge?.strategy === 'first_valid' ? 0 : (options.repairs ?? 2) } : undefined,
        cache: (branch.settings.cache ?? options.cacheByDefault) ? options.cache : undefined,
        ...(tools
          ? { tools: { ...tools, onEvent: (event: ToolLoopEvent) => options.onEvent?.({ type: 'tool', step, branch: index, event }) } }
          : {}),
      }),
    // Each branch watches the signal itself, so every branch reports, even when interrupted.
    { concurrency: options.concurrency },
  );
  const good = goodBranches(branches);
  // Interrupted during this step: it did not finish, even when some of its branches had
  // answered (their texts stay in the branches, and in the saved run).
  const aborted = branches.some((branch) => branch.status === 'aborted');
  const base = { index: step.index, name: step.name, parallel: step.parallel, prompt, branches, durationMs: Date.now() - started };
  if (good.length === 0 || aborted) {
    return { ...base, status: aborted ? 'aborted' : 'failed', output: undefined, error: aborted ? undefined : stepError(step, branches) };
  }
  const merged = await mergeBranches(step, prompt, good, (request) =>
    runBranch({
      models: [resolved.get(step.merge!.model!.ref)!],
      request,
      source: { ...options.source, step: `${step.name}[merge]` },
      accounting: options.accounting,
      retry: options.retry,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      onWarning: (message) => options.onEvent?.({ type: 'warning', message: `step ${step.name}, merge: ${message}` }),
      structured: schema ? { schema, repairs: options.repairs ?? 2 } : undefined,
    }),
  );
  const recorded = { ...base, durationMs: Date.now() - started, decision: merged.decision, judge: merged.judge };
  if (merged.output === undefined) {
    const judge = merged.judge!;
    const aborted = judge.status === 'aborted';
    const error = aborted
      ? undefined
      : new StepFailedError(
          `step "${step.name}": the merge judge failed: ${withProvider(judge.error)}`,
          judge.error?.exitCode ?? ExitCode.provider,
          {
            cause: judge.error,
          },
        );
    return { ...recorded, status: aborted ? 'aborted' : 'failed', output: undefined, error };
  }
  // first_valid expects some branches to fail their schema: that is what it chooses among.
  const complete = good.length === branches.length || step.merge?.strategy === 'first_valid';
  return { ...recorded, status: complete ? 'ok' : 'partial', output: merged.output.output, result: merged.output, error: undefined };
}

/** The tools a step offers its model: its `tools:` selection from the run's host. */
async function stepTools(step: PlannedStep, options: RunChainOptions): Promise<Omit<BranchTools, 'onEvent'> | undefined> {
  if (!step.tools) return undefined;
  if (!options.tools) throw new Error(`step "${step.name}" uses tools, but the run was given no tool host`);
  const hosted = await options.tools.host.listTools({ signal: options.signal });
  return {
    ...options.tools,
    tools: selectTools(hosted, step.tools.selectors),
    maxSteps: step.tools.maxSteps ?? options.tools.maxSteps,
  };
}

function stepError(step: PlannedStep, branches: readonly BranchRun[]): StepFailedError {
  const errors = branches.map((branch) => branch.error).filter((error): error is LlmoError => error !== undefined);
  const codes = new Set(errors.map((error) => error.exitCode));
  const exitCode = codes.size === 1 ? [...codes][0]! : ExitCode.provider;
  if (!step.parallel) {
    const branch = branches[0]!;
    const tried =
      branch.attempts.length > 1
        ? ` (tried ${branch.attempts.map((attempt) => `${attempt.provider}:${attempt.modelId}`).join(', then ')})`
        : '';
    const cause = branch.error;
    return new StepFailedError(`step "${step.name}" failed${tried}: ${withProvider(cause)}`, exitCode, {
      ...(cause?.hint ? { hint: cause.hint } : {}),
      cause,
    });
  }
  const reasons = branches.map((branch) => labelled(branchLabel(branch), branch.error));
  return new StepFailedError(`every branch of step "${step.name}" failed: ${reasons.join('; ')}`, exitCode, { cause: errors[0] });
}

function branchLabel(branch: BranchRun): string {
  return branch.final ? `${branch.final.provider}:${branch.final.modelId}` : '?';
}

function skipped(step: PlannedStep): StepRun {
  return {
    index: step.index,
    name: step.name,
    parallel: step.parallel,
    status: 'skipped',
    prompt: undefined,
    output: undefined,
    branches: [],
    durationMs: 0,
    error: undefined,
  };
}

function outcome(
  plan: ChainPlan,
  steps: StepRun[],
  stop: StepRun | undefined,
  interrupted: boolean,
  durationMs: number,
  /** Steps finished by the run this one resumes. */
  reused: number,
): ChainRun {
  const finished = reused + steps.filter((step) => step.output !== undefined).length;
  const base = { steps, durationMs };
  if (interrupted) {
    const at = stop ?? steps.find((step) => step.status === 'skipped');
    const kept = finished ? `; the outputs of ${finished} finished step${finished === 1 ? '' : 's'} are kept` : '';
    return {
      ...base,
      status: 'interrupted',
      exitCode: ExitCode.interrupted,
      output: undefined,
      error: new InterruptedError(`interrupted${at ? ` during step "${at.name}"` : ''}; in-flight requests were cancelled${kept}`),
    };
  }
  if (stop) {
    const cause = stop.error!;
    if (stop.index === 0) return { ...base, status: 'failed', exitCode: cause.exitCode, output: undefined, error: cause };
    return {
      ...base,
      status: 'partial',
      exitCode: ExitCode.partial,
      output: undefined,
      error: new PartialFailureError(
        `chain stopped at step ${stop.index + 1} of ${plan.steps.length}: ${cause.message}; the outputs of the ${finished} step${finished === 1 ? '' : 's'} before it are kept`,
        {
          ...(cause.hint ? { hint: cause.hint } : {}),
          cause,
        },
      ),
    };
  }
  const last = steps.at(-1)!;
  const failedBranches = steps.flatMap((step) =>
    step.decision?.strategy === 'first_valid'
      ? []
      : step.branches.filter((branch) => branch.status !== 'ok').map((branch) => ({ step, branch })),
  );
  if (failedBranches.length) {
    const detail = failedBranches.map(({ step, branch }) => `${step.name}: ${labelled(branchLabel(branch), branch.error)}`);
    return {
      ...base,
      status: 'partial',
      exitCode: ExitCode.partial,
      output: last.output,
      error: new PartialFailureError(
        `the chain finished, but ${failedBranches.length} parallel branch${failedBranches.length === 1 ? '' : 'es'} failed: ${detail.join('; ')}`,
      ),
    };
  }
  return { ...base, status: 'ok', exitCode: ExitCode.ok, output: last.output, error: undefined };
}
