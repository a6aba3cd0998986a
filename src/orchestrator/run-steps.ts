/**
 * A list of steps run in order in a scope: the chain's own steps, or a block's inner steps
 * (which blocks run through this same function). Each step's `when:` is decided first; a step
 * skipped by it has output "" and leaves `{{previous}}` as it was. A failed step stops the
 * sequence unless its `on_error:` says to skip it (output "", the run exits 10).
 */
import { PartialFailureError } from '../errors.js';
import { decideCondition } from './decide-condition.js';
import type { RunContext, StepRun } from './run-chain.js';
import { runBlock } from './run-blocks.js';
import { runModelStep } from './run-model-step.js';
import { renderStepPrompt, stepOutput, type PromptValues } from './step-prompt.js';
import { goodOutputs } from './run-model-step.js';
import type { PlannedStep } from './validate-chain.js';

/** What the steps of a sequence can read besides earlier outputs. */
export interface StepScope {
  input: string;
  /** What {{previous}} reads: the output of the last step that ran, or the sequence's input. */
  previous: string;
  loop?: PromptValues['loop'];
  item?: PromptValues['item'];
}

export interface SequenceRun {
  steps: StepRun[];
  /** The step that stopped the sequence (the deepest one, inside a block). */
  stop: StepRun | undefined;
  /** {{previous}} after the last step. */
  previous: string;
}

export async function runSteps(steps: readonly PlannedStep[], scope: StepScope, context: RunContext): Promise<SequenceRun> {
  const runs: StepRun[] = [];
  let previous = scope.previous;
  let stop: StepRun | undefined;
  for (const step of steps) {
    if (stop || context.options.signal?.aborted) {
      runs.push(notRun(step));
      continue;
    }
    const here: StepScope = { ...scope, previous };
    const ran = await runOne(step, here, context);
    runs.push(ran.run);
    if (ran.stop) {
      stop = ran.stop;
      continue;
    }
    const run = ran.run;
    if (run.skipped) {
      context.outputs.set(step.name, { output: '', outputs: '', json: null });
      continue;
    }
    context.outputs.set(
      step.name,
      run.result ?? (run.branches.length ? stepOutput(step.parallel, goodOutputs(run)) : { output: run.output!, outputs: run.output! }),
    );
    previous = run.output!;
  }
  return { steps: runs, stop, previous };
}

type StepResult = { run: StepRun; stop?: StepRun | undefined };

/** One step or block, framed by step-start and step-end (whatever happened: run, skipped or failed). */
async function runOne(step: PlannedStep, scope: StepScope, context: RunContext): Promise<StepResult> {
  context.options.onEvent?.({ type: 'step-start', step });
  const result = await decideAndRun(step, scope, context);
  context.options.onEvent?.({ type: 'step-end', step, run: result.run });
  return result;
}

async function decideAndRun(step: PlannedStep, scope: StepScope, context: RunContext): Promise<StepResult> {
  const started = Date.now();
  const judges: StepRun['judges'] = [];
  let whenDecision: StepRun['decision'];
  if (step.when) {
    const decided = await decideCondition(step.when, step, scope, context, 'when');
    judges.push(...decided.calls);
    if (decided.error) {
      const run = { ...notRun(step), status: 'failed' as const, durationMs: Date.now() - started, error: decided.error, judges };
      return onError(step, run, context);
    }
    whenDecision = decided.decision;
    if (!decided.decision.taken) {
      context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: skipped (${decided.why})` });
      return {
        run: {
          ...notRun(step),
          output: '',
          skipped: true,
          decision: decided.decision,
          durationMs: Date.now() - started,
          ...(judges.length ? { judges } : {}),
        },
      };
    }
    context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: runs (${decided.why})` });
  }
  if (step.block) {
    const ran = await runBlock(step, scope, context);
    if (judges.length) ran.run.judges = [...judges, ...(ran.run.judges ?? [])];
    if (!ran.run.decision && whenDecision) ran.run.decision = whenDecision;
    if (ran.stop && ran.run.status !== 'aborted') return onError(step, ran.run, context, ran.stop);
    return ran;
  }
  const values = { input: scope.input, outputs: context.outputs, previous: scope.previous, loop: scope.loop, item: scope.item };
  const run = await runModelStep(step, renderStepPrompt(context.plan, step, values), context);
  if (whenDecision) run.decision = whenDecision;
  if (judges.length) run.judges = judges;
  if (run.output !== undefined) return { run };
  if (run.status === 'aborted') return { run, stop: run };
  return onError(step, run, context);
}

/** A failed step (or block) with on_error: skip or fallback goes on with output ""; otherwise it stops the sequence. */
function onError(step: PlannedStep, run: StepRun, context: RunContext, stop: StepRun = run): StepResult {
  if (context.options.signal?.aborted || step.onError === undefined || step.onError === 'stop') return { run, stop };
  const cause = stop.error;
  context.partial.push(
    new PartialFailureError(`step "${step.name}" failed and was skipped (on_error: ${step.onError}): ${cause?.message ?? 'no output'}`),
  );
  context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: failed, skipped (on_error: ${step.onError})` });
  return { run: { ...run, output: '', skipped: true } };
}

/** A step that did not run because the sequence stopped before it. */
export function notRun(step: PlannedStep): StepRun {
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
