/**
 * A `foreach:` block: its items (a JSON array's items, a text's non-empty lines, or a long text's
 * chunks) each run through the block's steps, at most `concurrency` at once. Each item has its
 * own copy of the outputs so far, so items never read each other's. The block's output is every
 * item's last output, labelled, in item order (like a parallel stage); its JSON, their JSON.
 * More items than max_items fail the step before any item runs: the worst case was counted with it.
 */
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { readPath } from './decide-condition.js';
import { evaluateExpression, textOf } from './expression/evaluate-expression.js';
import { mapConcurrent } from './map-concurrent.js';
import type { PlannedForeach } from './planned-chain.js';
import { blockRun, type BlockRun } from './run-blocks.js';
import type { RunContext } from './run-chain.js';
import { notRun, runSteps, type SequenceRun, type StepScope } from './run-steps.js';
import { splitChunks } from './split-chunks.js';
import { StepFailedError } from './step-failed-error.js';
import { stepOutput } from './step-prompt.js';
import type { PlannedStep } from './validate-chain.js';

/** One item's run: its inner steps, and its last step's output. */
interface ItemRun extends Omit<SequenceRun, 'previous'> {
  output: string;
  json: unknown;
}

export async function runForeach(step: PlannedStep, block: PlannedForeach, scope: StepScope, context: RunContext): Promise<BlockRun> {
  const started = Date.now();
  const base = blockRun(step, started);
  const expression = block.source.expression.source;
  const listed = itemsOf(
    block,
    evaluateExpression(block.source.expression.tree, (path) => readPath(path, scope, context)),
  );
  const fail = (message: string, exitCode: ExitCodeValue): BlockRun => {
    const run = { ...base, status: 'failed' as const, durationMs: Date.now() - started, error: new StepFailedError(message, exitCode) };
    return { run, stop: run };
  };
  if (typeof listed === 'string') return fail(`foreach "${step.name}": ${expression} ${listed}`, ExitCode.validation);
  if (listed.length > block.maxItems) {
    return fail(
      `foreach "${step.name}" has ${listed.length} items, over its max_items of ${block.maxItems} (the bound its worst case was counted with)`,
      ExitCode.budget,
    );
  }
  const concurrency = block.concurrency ?? context.options.concurrency;
  context.options.onEvent?.({
    type: 'decision',
    step,
    message: `${step.name}: ${listed.length} ${block.source.kind === 'chunks' ? 'chunk' : 'item'}${listed.length === 1 ? '' : 's'}, ${concurrency} at a time`,
  });
  let failed = false;
  const sequences = await mapConcurrent(
    listed,
    async (value, position): Promise<ItemRun> => {
      // After a failure, the items not started yet are not run: the block fails anyway.
      if (failed || context.options.signal?.aborted)
        return { steps: block.steps.map(notRun), stop: undefined, output: '', json: undefined };
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const own: RunContext = { ...context, outputs: new Map(context.outputs) };
      const sequence = await runSteps(block.steps, { ...scope, previous: text, item: { value, index: position + 1 } }, own);
      if (sequence.stop) failed = true;
      const last = block.steps.at(-1)!;
      const result = own.outputs.get(last.name);
      return { steps: sequence.steps, stop: sequence.stop, output: result?.output ?? '', json: result?.json };
    },
    { concurrency },
  );
  const items = sequences.map((sequence) => sequence.steps);
  const decision = { kind: 'foreach' as const, expression, items: listed.length };
  const done = { ...base, items, decision, durationMs: Date.now() - started };
  const stopped = sequences.findIndex((sequence) => sequence.stop);
  if (stopped >= 0 || context.options.signal?.aborted) {
    const stop = sequences[stopped]?.stop;
    if (!stop || stop.status === 'aborted') return { run: { ...done, status: 'aborted' }, stop: stop ?? { ...done, status: 'aborted' } };
    const cause = stop.error;
    const error = new StepFailedError(
      `foreach "${step.name}": item ${stopped + 1} of ${listed.length} failed: ${cause?.message ?? 'no output'}`,
      cause?.exitCode ?? ExitCode.provider,
      { ...(cause?.hint ? { hint: cause.hint } : {}), cause },
    );
    return { run: { ...done, status: 'failed', error }, stop };
  }
  const result = stepOutput(
    true,
    sequences.map((sequence, position) => ({
      label: `item ${position + 1}`,
      text: sequence.output,
      data: sequence.json,
    })),
  );
  return { run: { ...done, status: 'ok', output: result.output, result } };
}

/** The items to run, or why there are none to be had ("is not a JSON array, but …"). */
function itemsOf(block: PlannedForeach, value: unknown): unknown[] | string {
  switch (block.source.kind) {
    case 'items': {
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') {
        try {
          const parsed: unknown = JSON.parse(value);
          if (Array.isArray(parsed)) return parsed;
        } catch {
          // said below
        }
      }
      return `is not a JSON array (it is ${describe(value)})`;
    }
    case 'lines':
      return textOf(value)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
    case 'chunks':
      return splitChunks(textOf(value), block.chunkTokens);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
