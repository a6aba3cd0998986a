/**
 * One step that calls models: its branches at once (one for a single step), each with its
 * fallbacks, through the tool loop when it has tools and checked against its schema when it has one.
 */
import { ExitCode, type LlmoError } from '../errors.js';
import { labelled, withProvider } from './describe-error.js';
import { loadInTurn } from './load-in-turn.js';
import { mapConcurrent } from './map-concurrent.js';
import { runBranch, type BranchRun, type BranchTools } from './run-branch.js';
import type { RunChainOptions, RunContext, StepRun } from './run-chain.js';
import type { ToolLoopEvent } from './run-tool-loop.js';
import { describeMerge, goodBranches, mergeBranches } from './merge-branches.js';
import { branchRequest } from './step-prompt.js';
import { StepFailedError } from './step-failed-error.js';
import { selectTools } from './tool-patterns.js';
import type { PlannedStep } from './validate-chain.js';

export async function runModelStep(step: PlannedStep, prompt: string, context: RunContext): Promise<StepRun> {
  const { options, resolved } = context;
  const schema = context.schemas.get(step.name);
  const started = Date.now();
  const tools = await stepTools(step, options);
  const cached = (branch: PlannedStep['branches'][number]) => Boolean((branch.settings.cache ?? options.cacheByDefault) && options.cache);
  // A parallel stage loads its vendors' SDKs in turn, as `llmo parallel` does; a branch that may be
  // answered from the response cache loads its own SDK only if it has to call.
  const loaded = step.parallel
    ? loadInTurn(step.branches.map((branch) => (cached(branch) ? undefined : resolved.get(branch.models[0]!.ref)?.model)))
    : [];
  const branches = await mapConcurrent(
    step.branches,
    async (branch, index) => {
      await loaded[index];
      return runBranch({
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
        cache: cached(branch) ? options.cache : undefined,
        ...(tools
          ? { tools: { ...tools, onEvent: (event: ToolLoopEvent) => options.onEvent?.({ type: 'tool', step, branch: index, event }) } }
          : {}),
      });
    },
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
  const decided = {
    ...base,
    durationMs: Date.now() - started,
    ...(merged.decision ? { decision: merged.decision } : {}),
    ...(merged.judge ? { judges: [merged.judge] } : {}),
  };
  if (merged.decision) {
    const message = describeMerge(step.name, merged.decision);
    if (message) options.onEvent?.({ type: 'decision', step, message });
  }
  if (merged.output === undefined) return { ...decided, ...judgeFailure(step, merged.judge!) };
  // first_valid expects some branches to fail their schema: that is what it chooses among.
  const complete = good.length === branches.length || step.merge?.strategy === 'first_valid';
  return { ...decided, status: complete ? 'ok' : 'partial', output: merged.output.output, result: merged.output, error: undefined };
}

function judgeFailure(step: PlannedStep, judge: BranchRun): Pick<StepRun, 'status' | 'output' | 'error'> {
  if (judge.status === 'aborted') return { status: 'aborted', output: undefined, error: undefined };
  const error = new StepFailedError(
    `step "${step.name}": the merge judge failed: ${withProvider(judge.error)}`,
    judge.error?.exitCode ?? ExitCode.provider,
    { cause: judge.error },
  );
  return { status: 'failed', output: undefined, error };
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

export function goodOutputs(run: Pick<StepRun, 'branches'>): Array<{ label: string; text: string; data?: unknown }> {
  return run.branches
    .filter((branch) => branch.status === 'ok')
    .map((branch) => ({ label: `${branch.final!.provider}:${branch.final!.modelId}`, text: branch.text ?? '', data: branch.data }));
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

export function branchLabel(branch: BranchRun): string {
  return branch.final ? `${branch.final.provider}:${branch.final.modelId}` : '?';
}
