/**
 * Where `chain resume` picks a saved run up: the first top-level step that did not finish. The
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
  for (const step of plan.steps) {
    const saved = record.steps[step.index];
    const finished = saved?.name === step.name && saved.output !== null && (saved.status === 'ok' || saved.status === 'partial');
    if (!finished) break;
    outputs.set(step.name, savedOutput(saved));
    earlier.push(saved);
  }
  return { from: earlier.length, outputs, earlier };
}

/** {{steps.NAME.output|outputs|json}} of a saved step, as the run that made it saw them. */
function savedOutput(saved: StepJson): StepOutput {
  const output = saved.output ?? '';
  const labelled = saved.outputs.map((entry) => ({ label: entry.model, text: entry.text }));
  const outputs = saved.parallel || labelled.length !== 1 ? stepOutput(true, labelled).outputs : output;
  const json = saved.json ?? (saved.parallel ? undefined : saved.branches.find((branch) => branch.status === 'ok')?.data);
  return { output, outputs, ...(json === undefined ? {} : { json }) };
}
