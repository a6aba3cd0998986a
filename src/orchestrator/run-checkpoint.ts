/**
 * A running chain's record as text, kept up to date step by step for the checkpoint saved after
 * each top-level step (what `chain resume` reads after a crash). Each finished step is turned
 * into JSON bytes once; a checkpoint puts the bytes so far under a fresh header. Building the whole
 * record again after every step (every step's JSON, and the chain's digest, each time) made a
 * chain's checkpoints cost O(n²): 155 ms of a 200-step chain's 1.5 s of CPU, measured.
 *
 * The text is the one serialiseRun writes for the same record, byte for byte: the steps are
 * indented as JSON.stringify indents them inside the record.
 */
import type { ChainDefinition } from './chain-definition.js';
import type { StepRun } from './run-chain.js';
import { type RecordContext, runningRecord, type StepJson, stepJson, sumUsage } from './run-record.js';
import { serialiseRun } from './run-store.js';

/** Where the steps go in the header's text: a line no string value can hold (JSON escapes newlines). */
const NO_STEPS = '\n  "steps": []';
/** A step's lines sit two levels deep: in the record, in its steps list. */
const STEP_INDENT = '    ';
const OPEN_STEPS = Buffer.from('\n  "steps": [\n');
const BETWEEN_STEPS = Buffer.from(',\n');
const CLOSE_STEPS = Buffer.from('\n  ]');

export class RunCheckpoint {
  readonly #context: RecordContext;
  /** The running record without steps: the chain's digest is computed once, here. */
  readonly #head;
  /** Each step saved, as JSON (for the usage totals) and as its bytes in the record. */
  readonly #steps: StepJson[] = [];
  readonly #bytes: Buffer[] = [];
  /** How many steps the record starts with (a resumed run's earlier ones). */
  readonly #earlier: number;

  constructor(context: RecordContext, chain: ChainDefinition) {
    this.#context = context;
    this.#head = runningRecord(context, 'chain', chain);
    const earlier = context.earlier ?? [];
    this.#earlier = earlier.length;
    for (const [index, step] of earlier.entries()) this.#put(index, step);
  }

  /** How many steps this run has finished (the earlier run's not counted). */
  get finished(): number {
    return this.#steps.length - this.#earlier;
  }

  /** Step `position` of this run (0: the first step it ran) has finished. */
  set(position: number, run: StepRun): void {
    this.#put(this.#earlier + position, stepJson(run));
  }

  /**
   * The record, `elapsedMs` into this run, as serialiseRun would write it. Only the header is
   * serialised; the steps' bytes are joined as they are (one copy, in Buffer.concat).
   */
  bytes(elapsedMs: number): Buffer {
    const record = {
      ...this.#head,
      duration_ms: (this.#context.priorMs ?? 0) + elapsedMs,
      ...sumUsage(this.#steps),
      steps: [],
    };
    const head = serialiseRun(record);
    if (this.#bytes.length === 0) return Buffer.from(head);
    const at = head.indexOf(NO_STEPS);
    const parts: Buffer[] = [Buffer.from(head.slice(0, at)), OPEN_STEPS];
    for (const [index, step] of this.#bytes.entries()) parts.push(...(index ? [BETWEEN_STEPS, step] : [step]));
    parts.push(CLOSE_STEPS, Buffer.from(head.slice(at + NO_STEPS.length)));
    return Buffer.concat(parts);
  }

  #put(index: number, step: StepJson): void {
    this.#steps[index] = step;
    this.#bytes[index] = Buffer.from(STEP_INDENT + JSON.stringify(step, null, 2).replaceAll('\n', `\n${STEP_INDENT}`));
  }
}
