/**
 * Blocks run their inner steps through runSteps: `repeat` again and again until its condition
 * holds, its output is stable or max_iterations is reached (the run then exits 10, keeping the
 * last output); `switch` the case its condition names, else its default, else nothing.
 */
import { PartialFailureError } from '../errors.js';
import type { StepDecision } from './step-decision.js';
import { decideCondition } from './decide-condition.js';
import { textOf } from './expression/evaluate-expression.js';
import type { PlannedRepeat, PlannedSwitch } from './planned-chain.js';
import type { RunContext, StepRun } from './run-chain.js';
import { runForeach } from './run-foreach.js';
import { runSteps, type StepScope } from './run-steps.js';
import type { PlannedStep } from './validate-chain.js';

export interface BlockRun {
  run: StepRun;
  stop?: StepRun | undefined;
}

export async function runBlock(step: PlannedStep, scope: StepScope, context: RunContext): Promise<BlockRun> {
  const block = step.block!;
  if (block.kind === 'repeat') return runRepeat(step, block, scope, context);
  if (block.kind === 'foreach') return runForeach(step, block, scope, context);
  return runSwitch(step, block, scope, context);
}

async function runRepeat(step: PlannedStep, block: PlannedRepeat, scope: StepScope, context: RunContext): Promise<BlockRun> {
  const started = Date.now();
  const iterations: StepRun[][] = [];
  const judges: NonNullable<StepRun['judges']> = [];
  // A step may read a later sibling (the review a draft answers): "" before it first runs.
  for (const inner of block.steps)
    if (!context.outputs.has(inner.name)) context.outputs.set(inner.name, { output: '', outputs: '', json: null });
  let loopPrevious = scope.previous;
  let result: string | undefined;
  let decision: StepDecision = { kind: 'until', stoppedBy: 'max_iterations' };
  const say = (message: string) => context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: ${message}` });
  for (let iteration = 1; iteration <= block.maxIterations; iteration += 1) {
    say(`iteration ${iteration} of ${block.maxIterations}`);
    const sequence = await runSteps(block.steps, { ...scope, loop: { iteration, previous: loopPrevious } }, context);
    iterations.push(sequence.steps);
    const base = { ...blockRun(step, started), iterations, judges };
    if (sequence.stop)
      return {
        run: { ...base, status: sequence.stop.status === 'aborted' ? 'aborted' : 'failed', error: sequence.stop.error },
        stop: sequence.stop,
      };
    const output = sequence.steps.at(-1)!.output ?? '';
    const stable = block.untilStable && result !== undefined && similar(output, result);
    result = output;
    if (block.until) {
      const decided = await decideCondition(
        block.until,
        step,
        { ...scope, previous: output, loop: { iteration, previous: loopPrevious } },
        context,
        'until',
      );
      judges.push(...decided.calls);
      if (decided.error)
        return {
          run: { ...base, status: 'failed', output: undefined, error: decided.error },
          stop: { ...base, status: 'failed', output: undefined, error: decided.error },
        };
      if (decided.decision.taken) {
        decision = { ...decided.decision, iterations: iteration, stoppedBy: 'until' };
        say(`stopped at iteration ${iteration} (${decided.why})`);
        break;
      }
      decision = { ...decided.decision, stoppedBy: 'max_iterations' };
    }
    if (stable) {
      decision = { kind: 'until', iterations: iteration, stoppedBy: 'stable' };
      say(`stopped at iteration ${iteration}: the output no longer changes`);
      break;
    }
    loopPrevious = output;
  }
  decision.iterations = iterations.length;
  if (decision.stoppedBy === 'max_iterations') {
    const why = block.until ? ' without its until: being true' : block.untilStable ? ' without its output becoming stable' : '';
    const message = `repeat "${step.name}" reached max_iterations (${block.maxIterations})${why}; the last output is kept`;
    context.partial.push(new PartialFailureError(message));
    say(`reached max_iterations (${block.maxIterations})`);
  }
  return {
    run: {
      ...blockRun(step, started),
      status: 'ok',
      output: result ?? '',
      decision,
      iterations,
      ...(judges.length ? { judges } : {}),
    },
  };
}

async function runSwitch(step: PlannedStep, block: PlannedSwitch, scope: StepScope, context: RunContext): Promise<BlockRun> {
  const started = Date.now();
  const names = block.cases.map((item) => item.name.toLowerCase());
  const decided = await decideCondition(block.on, step, scope, context, 'switch', names);
  const judges = decided.calls;
  const base = { ...blockRun(step, started), ...(judges.length ? { judges } : {}) };
  if (decided.error)
    return {
      run: { ...base, status: 'failed', decision: decided.decision, error: decided.error },
      stop: { ...base, status: 'failed', error: decided.error },
    };
  const key = textOf(decided.value).trim().toLowerCase();
  const chosen = block.cases.find((item) => item.name.toLowerCase() === key);
  const caseName = chosen ? chosen.name : block.default ? 'default' : undefined;
  // A switch records its case; "taken" belongs to when and until.
  const { taken: _taken, ...rest } = decided.decision;
  const decision: StepDecision = { ...rest, ...(caseName ? { case: caseName } : {}) };
  const said = decided.why;
  const steps = chosen?.steps ?? block.default;
  if (!steps) {
    context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: ${said}; no case and no default, skipped` });
    return { run: { ...base, status: 'ok', output: '', skipped: true, decision } };
  }
  context.options.onEvent?.({ type: 'decision', step, message: `${step.name}: ${said}${chosen ? '' : '; default case'}` });
  const sequence = await runSteps(steps, scope, context);
  const done = { ...base, decision, steps: sequence.steps, durationMs: Date.now() - started };
  if (sequence.stop)
    return {
      run: { ...done, status: sequence.stop.status === 'aborted' ? 'aborted' : 'failed', error: sequence.stop.error },
      stop: sequence.stop,
    };
  return { run: { ...done, status: 'ok', output: sequence.steps.at(-1)!.output ?? '' } };
}

/** A block's run before its outcome is known (each kind fills in status, output and what it decided). */
export function blockRun(step: PlannedStep, started: number): StepRun {
  return {
    index: step.index,
    name: step.name,
    parallel: false,
    status: 'ok',
    prompt: undefined,
    output: undefined,
    branches: [],
    durationMs: Date.now() - started,
    error: undefined,
  };
}

/**
 * Two outputs that say the same thing: identical once whitespace is collapsed and case folded,
 * or word sets overlapping by 95 % or more (Jaccard).
 */
export function similar(first: string, second: string): boolean {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
  const [a, b] = [normalise(first), normalise(second)];
  if (a === b) return true;
  const words = (text: string) => new Set(text.split(' ').filter(Boolean));
  const [setA, setB] = [words(a), words(b)];
  const shared = [...setA].filter((word) => setB.has(word)).length;
  const union = new Set([...setA, ...setB]).size;
  return union > 0 && shared / union >= 0.95;
}
