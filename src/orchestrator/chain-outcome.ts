/** How a chain run ended, and its exit code, from its steps (see run-chain.ts for the table). */
import { ExitCode, InterruptedError, PartialFailureError } from '../errors.js';
import { labelled } from './describe-error.js';
import type { BranchRun } from './run-branch.js';
import type { ChainRun, RunContext, StepRun } from './run-chain.js';
import { branchLabel } from './run-model-step.js';
import type { SequenceRun } from './run-steps.js';

export function chainOutcome(
  context: RunContext,
  sequence: SequenceRun,
  interrupted: boolean,
  durationMs: number,
  /** Top-level steps a resumed run took from the run it continues. */
  reused = 0,
): ChainRun {
  const { steps, stop } = sequence;
  const everyRun = flatten(steps);
  const finished = reused + everyRun.filter((step) => step.output !== undefined && !step.skipped && step.status !== 'skipped').length;
  const base = { steps, durationMs };
  if (interrupted) {
    const at = stop ?? everyRun.find((step) => step.status === 'skipped' && !step.skipped);
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
    if (finished === 0) return { ...base, status: 'failed', exitCode: cause.exitCode, output: undefined, error: cause };
    return {
      ...base,
      status: 'partial',
      exitCode: ExitCode.partial,
      output: undefined,
      error: new PartialFailureError(
        `chain stopped at step ${stop.index + 1} of ${context.plan.allSteps.length}: ${cause.message}; the outputs of the ${finished} step${finished === 1 ? '' : 's'} before it are kept`,
        {
          ...(cause.hint ? { hint: cause.hint } : {}),
          cause,
        },
      ),
    };
  }
  // A last step skipped (by when: or on_error:) leaves the chain's answer to the step before it,
  // as it leaves {{previous}}.
  const output = steps.at(-1)!.skipped ? sequence.previous : steps.at(-1)!.output;
  // first_valid expects some branches to fail their schema: that is what it chooses among.
  const failedBranches = everyRun.flatMap((step) =>
    step.output !== undefined && !step.skipped && step.decision?.strategy !== 'first_valid'
      ? step.branches.filter((branch) => branch.status !== 'ok').map((branch) => ({ step, branch }))
      : [],
  );
  const reasons = [...context.partial.map((error) => error.message), ...(failedBranches.length ? [branchFailures(failedBranches)] : [])];
  if (reasons.length) {
    return { ...base, status: 'partial', exitCode: ExitCode.partial, output, error: new PartialFailureError(reasons.join('; ')) };
  }
  return { ...base, status: 'ok', exitCode: ExitCode.ok, output, error: undefined };
}

function branchFailures(failed: Array<{ step: StepRun; branch: BranchRun }>): string {
  const detail = failed.map(({ step, branch }) => `${step.name}: ${labelled(branchLabel(branch), branch.error)}`);
  return `the chain finished, but ${failed.length} parallel branch${failed.length === 1 ? '' : 'es'} failed: ${detail.join('; ')}`;
}

/** Every step run, a block's inner runs included. */
export function flatten(steps: readonly StepRun[]): StepRun[] {
  return steps.flatMap((step) => [
    step,
    ...flatten([...(step.iterations ?? []).flat(), ...(step.items ?? []).flat(), ...(step.steps ?? [])]),
  ]);
}
