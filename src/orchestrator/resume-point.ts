/**
 * Where `chain resume` picks a saved run up: the first top-level step that did not finish (the
 * record's `steps` are the top-level ones; a block's inner steps are inside them). The
 * steps before it are reused as they were saved — their outputs for the steps that read them,
 * their calls and costs in the record — so nothing already paid for is asked again.
 */
import type { RunRecord, StepJson } from './run-record.js';
import type { ResumePoint } from './run-chain.js';
import { stepOutput, type StepOutput } from './step-prompt.js';
import type { ChainPlan } from './validate-chain.js';

export interface SavedProgress extends ResumePoint {
  /** The saved steps reused, as the resumed record keeps them. */
  earlier: StepJson[];
}

export function savedProgress(record: RunRecord, plan: ChainPlan): SavedProgress {
  const outputs = new Map<string, StepOutput>();
  const earlier: StepJson[] = [];
  let previous = record.input;
  for (const [position, step] of plan.steps.entries()) {
    const saved = record.steps[position];
    if (saved?.name !== step.name || saved.output === null) break;
    // A step skipped by its `when:` (or its on_error) finished too: its output is "" and {{previous}} passes over it.
    if (saved.skipped) {
      outputs.set(step.name, { output: '', outputs: '', json: null });
    } else {
      if (saved.status !== 'ok' && saved.status !== 'partial') break;
      outputs.set(step.name, savedOutput(saved));
      previous = saved.output;
    }
    earlier.push(saved);
  }
  return { from: earlier.length, outputs, previous, earlier };
}

/** {{steps.NAME.output|outputs|json}} of a saved step, as the run that made it saw them. */
function savedOutput(saved: StepJson): StepOutput {
  const output = saved.output ?? '';
  const labelled = saved.outputs.map((entry) => ({ label: entry.model, text: entry.text }));
  // A block has no branches of its own: its outputs are its output.
  const outputs = labelled.length > 1 || (saved.parallel && labelled.length) ? stepOutput(true, labelled).outputs : output;
  const json = saved.json ?? (saved.parallel ? undefined : saved.branches.find((branch) => branch.status === 'ok')?.data);
  return { output, outputs, ...(json === undefined ? {} : { json }) };
}
