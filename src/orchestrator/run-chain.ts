/**
 * Runs a validated chain: resolves every model first (so a missing key stops it before any
 * call), checks the budget for the whole plan (loops at their max_iterations, the dearest case
 * of a switch), then runs the steps in order (run-steps.ts), each parallel stage's branches at
 * once, each block's inner steps as their own sequence. The chain stops at the first step that
 * produces no output (unless its on_error says otherwise) and keeps everything produced before
 * it. Outcome and exit code (docs/chains.md):
 *   ok          every step and branch answered (fallbacks included)                 → 0
 *   failed      the first step produced nothing                                      → its error's code (5 for providers)
 *   partial     a later step produced nothing, a parallel branch failed, a step was
 *               skipped by on_error, or a repeat reached max_iterations              → 10
 *   interrupted the signal was aborted                                               → 130
 */
import type { ResponseCache } from '../cache/response-cache.js';
import { BudgetError, type ExitCodeValue, type LlmoError } from '../errors.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';
import type { Accounting, UsageSource } from '../usage/accounting.js';
import { formatUsd } from '../usage/pricing.js';
import type { CallResult, ModelResolver, ResolvedModel } from './call-model.js';
import { chunksOverMaxItems, plannedCalls, worstCaseUsd } from './chain-budget.js';
import { chainOutcome } from './chain-outcome.js';
import type { StepDecision } from './step-decision.js';
import type { BranchRun, BranchTools } from './run-branch.js';
import { runSteps } from './run-steps.js';
import { conditionsOf } from './planned-chain.js';
import type { ToolLoopEvent } from './run-tool-loop.js';
import type { StepOutput } from './step-prompt.js';
import type { ChainPlan, PlannedStep } from './validate-chain.js';

export type StepStatus = 'ok' | 'partial' | 'failed' | 'aborted' | 'skipped';
export type ChainStatus = 'ok' | 'partial' | 'failed' | 'interrupted';

export interface StepRun {
  index: number;
  name: string;
  parallel: boolean;
  status: StepStatus;
  /** The rendered prompt (undefined for a skipped step or a block). */
  prompt: string | undefined;
  /** What later steps see as {{steps.NAME.output}} ("" for a step skipped by when: or on_error:). */
  output: string | undefined;
  branches: BranchRun[];
  durationMs: number;
  error: LlmoError | undefined;
  /** Why the step ran, was skipped, stopped looping or took a case. */
  decision?: StepDecision | undefined;
  /** Skipped by its `when:` (or by on_error: skip after failing). */
  skipped?: true | undefined;
  /** The judge calls made for this step's decisions (costed like any call). */
  judges?: BranchRun[] | undefined;
  /** What later steps see of it ({{steps.NAME.output|outputs|json}}), when it is not the plain one (a merged stage). */
  result?: StepOutput | undefined;
  /** A repeat block: each iteration's inner steps. */
  iterations?: StepRun[][] | undefined;
  /** A foreach block: each item's inner steps, in item order. */
  items?: StepRun[][] | undefined;
  /** A switch block: the inner steps of the case taken. */
  steps?: StepRun[] | undefined;
}

export interface ChainRun {
  status: ChainStatus;
  exitCode: ExitCodeValue;
  /** The top-level steps (a block's inner steps are inside its run). */
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
  /** A decision taken (a when, an iteration, a case): one line of progress. */
  | { type: 'decision'; step: PlannedStep; message: string }
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
  /** The position (in plan.steps) of the first top-level step to run. */
  from: number;
  /** The outputs of the steps before it, as the saved run has them. */
  outputs: ReadonlyMap<string, StepOutput>;
  /** What {{previous}} reads at that step. */
  previous: string;
}

/** The tool loop's settings for a chain run; each step brings its own tools and step limit. */
export type ChainTools = Omit<BranchTools, 'tools' | 'onEvent'>;

/** What every step of a run shares: the options, models and schemas, and the outputs so far. */
export interface RunContext {
  plan: ChainPlan;
  options: RunChainOptions;
  resolved: Map<string, ResolvedModel>;
  schemas: Map<string, PreparedSchema>;
  /** Every finished step's output by name (a repeat's inner steps: their latest iteration). */
  outputs: Map<string, StepOutput>;
  /** Why a run that finished still exits 10 (a step skipped by on_error, a loop at max_iterations). */
  partial: LlmoError[];
}

/** The models a plan can call: every branch's model and fallbacks, and every judge. */
export function plannedModels(plan: ChainPlan): string[] {
  const refs = new Set<string>();
  for (const step of plan.allSteps) {
    for (const branch of step.branches) for (const model of branch.models) refs.add(model.ref);
    for (const condition of conditionsOf(step)) if (condition.kind === 'judge') refs.add(condition.model.ref);
    if (step.merge?.model) refs.add(step.merge.model.ref);
  }
  return [...refs];
}

export async function prepareChain(
  options: Pick<RunChainOptions, 'plan' | 'input' | 'resolve' | 'accounting' | 'enforceBudget' | 'resume'>,
): Promise<Map<string, ResolvedModel>> {
  const { plan } = options;
  const resolved = new Map<string, ResolvedModel>();
  for (const ref of plannedModels(plan)) resolved.set(ref, await options.resolve(ref));
  const tooMany = chunksOverMaxItems(plan, options.input);
  if (tooMany) throw new BudgetError(tooMany, { hint: 'raise its max_items or chunk_tokens, or pass a shorter input' });
  const calls = plannedCalls(plan, options.input, options.resume?.from);
  await options.accounting.checkBudget(calls);
  const limit = plan.chain.budgetUsd;
  if (options.enforceBudget && limit !== undefined) {
    const worst = worstCaseUsd(calls);
    if (worst.usd > limit) {
      throw new BudgetError(
        `chain "${plan.chain.name}" could cost up to ${formatUsd(worst.usd)}, over its budget_usd of ${formatUsd(limit)}`,
        {
          hint: 'lower max_tokens or max_iterations in its steps, raise budget_usd, or pass --no-budget',
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
  const { resume } = options;
  const context: RunContext = { plan: options.plan, options, resolved, schemas, outputs: new Map(resume?.outputs), partial: [] };
  const steps = options.plan.steps.slice(resume?.from ?? 0);
  const sequence = await runSteps(steps, { input: options.input, previous: resume?.previous ?? options.input }, context);
  return chainOutcome(context, sequence, Boolean(options.signal?.aborted), Date.now() - started, resume?.from ?? 0);
}

/**
 * Every step's schema checked and compiled before the first call (Ajv loads only when a step has
 * one), so a broken schema stops the chain with nothing spent.
 */
async function prepareSchemas(plan: ChainPlan, cacheDir: string | undefined): Promise<Map<string, PreparedSchema>> {
  const schemas = new Map<string, PreparedSchema>();
  const steps = plan.allSteps.filter((step) => step.schema !== undefined);
  if (steps.length === 0) return schemas;
  const { prepareLoaded } = await import('../structured/prepare-schema.js');
  for (const step of steps) schemas.set(step.name, await prepareLoaded(step.schema!, cacheDir));
  return schemas;
}
