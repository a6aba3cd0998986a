/**
 * A chain as written, before validation: where it came from (config, a file, an inline string)
 * and its steps. A single step is a stage with one branch; a parallel stage has several, all
 * sent the same prompt at once.
 */
import type { FieldPath } from '../config/yaml-file.js';
import type { ConfigError } from '../errors.js';

export type { FieldPath };

/** What one call of a step is made with. */
export interface BranchSettings {
  model: string;
  role?: string | undefined;
  persona?: string | undefined;
  system?: string | undefined;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  /** Models tried in order when `model` fails after its retries. */
  fallback: string[];
  /** `cache: true|false`: answer from (and store in) the response cache, over the run's default. */
  cache?: boolean | undefined;
  /** Where each field was written, relative to the chain (for errors that point at it). */
  at: Partial<Record<'model' | 'role' | 'persona' | 'system' | 'fallback', FieldPath>>;
}

export interface ChainStep {
  name: string;
  /** `when:`: the step (or block) runs only when this holds; otherwise its output is "" and it is recorded as skipped. */
  when?: Condition | undefined;
  /** `on_error:` what a failed step does: stop the chain (default), skip (output "", exit 10), or try `fallback:` models then skip. */
  onError?: OnError | undefined;
  /**
   * A block (`repeat:`, `switch:`, …): a step with its own inner steps and no model; its
   * `branches` is empty and `prompt` undefined.
   */
  block?: ChainBlock | undefined;
  /** The prompt template; undefined means `{{previous}}` (the input, for the first step). */
  prompt: string | undefined;
  /** True for a `parallel:` stage, even one with a single branch. */
  parallel: boolean;
  branches: BranchSettings[];
  /** `tools: [fs, 'gh.search_*']`: the step's calls may use these tools (through the tool loop). */
  tools?: StepTools | undefined;
  /**
   * `schema:` as written (a file, a configured name, the concise form, inline JSON, or a mapping):
   * each branch's reply must be JSON matching it, repaired before the next step runs.
   */
  schema?: { value: unknown; at: FieldPath } | undefined;
  /** A parallel stage's `merge:` (absent: concat, every good output labelled). */
  merge?: MergeSpec | undefined;
  /** Where the step itself was written. */
  at: FieldPath;
}

/** How a parallel stage turns its branches' answers into one output (docs/chains.md, Merging). */
export type MergeStrategy = 'concat' | 'judge' | 'vote' | 'first_valid';

export interface MergeSpec {
  strategy: MergeStrategy;
  /** `merge_model`: the model that judges (required for judge). */
  model?: string | undefined;
  /** `merge_prompt`: the judge's instruction, over the default "pick the best". */
  prompt?: string | undefined;
  at: FieldPath;
}

export type OnError = 'stop' | 'skip' | 'fallback';

/** A condition: an expression over earlier results, or a judge (a model's one-word answer). */
export type Condition =
  | { kind: 'expression'; source: string; at: FieldPath }
  | {
      kind: 'judge';
      /** The judge's model reference. */
      model: string;
      question: string;
      /** What the judge reads (a template; `{{previous}}` when not given). */
      about: string | undefined;
      /** The one-word answers it may give (a switch); yes/no when undefined. */
      answers?: string[] | undefined;
      at: FieldPath;
    };

/** `repeat:` its steps again and again, until a condition holds, the output is stable, or max_iterations. */
export interface RepeatBlock {
  kind: 'repeat';
  maxIterations: number;
  until: Condition | undefined;
  untilStable: boolean;
  steps: ChainStep[];
  at: FieldPath;
}

/** `switch:` run the steps of the case the condition's value (or the judge's answer) names. */
export interface SwitchBlock {
  kind: 'switch';
  on: Condition;
  cases: Array<{ name: string; steps: ChainStep[] }>;
  default: ChainStep[] | undefined;
  at: FieldPath;
}

/** Every kind of block (chains-map adds ForeachBlock). */
export type ChainBlock = RepeatBlock | SwitchBlock | ForeachBlock;

/** `foreach:` run its steps once per item: a JSON array's items, a text's lines, or a long text's chunks. */
export interface ForeachBlock {
  kind: 'foreach';
  /** Where the items come from: an expression, read as a JSON array, as lines, or as a text to cut into chunks. */
  source: { kind: 'items' | 'lines' | 'chunks'; expression: string; at: FieldPath };
  /** chunks: the most tokens a chunk may have (the models' context windows may lower it). */
  chunkTokens: number | undefined;
  /** How many items run at once (default: parallel.concurrency). */
  concurrency: number | undefined;
  /** The most items it may run (default 100): the worst case when the count is only known at run time. */
  maxItems: number | undefined;
  steps: ChainStep[];
  at: FieldPath;
}

export interface StepTools {
  /** Server names or `server.tool` patterns, as `--tools` takes them. */
  selectors: string[];
  /** The step's own step limit (`max_steps`); undefined means tools.max_steps. */
  maxSteps: number | undefined;
}

/** Part of a string value: `length` characters from `offset` (string indices). */
export interface ValueRange {
  offset: number;
  length: number;
}

export interface ChainOrigin {
  kind: 'config' | 'file' | 'inline';
  /** The config file or chain file; the inline text itself for an inline chain. */
  where: string;
  /**
   * A configuration error about one field, pointing at where it was written; `within` narrows
   * it to part of the field's value (a `{{…}}` in a prompt), where the origin can show that.
   */
  error(fieldPath: FieldPath, message: string, hint?: string, within?: ValueRange): ConfigError;
}

export interface ChainDefinition {
  /** The chain's name in config, the file's base name, or `inline`. */
  name: string;
  description: string | undefined;
  /** Refuse to start when the worst case of the whole chain would cost more (USD). */
  budgetUsd: number | undefined;
  /** Defaults for {{vars.KEY}} (a YAML chain's `vars:`); --var overrides them. */
  vars: Record<string, string>;
  steps: ChainStep[];
  origin: ChainOrigin;
}

/** The prompt a step uses when it sets none. */
export const DEFAULT_PROMPT = '{{previous}}';

/** Step names are plain words so that `{{steps.NAME.output}}` stays readable and parseable. */
export const STEP_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The step lists inside a block, in the order they are written. */
export function innerSequences(block: ChainBlock): ChainStep[][] {
  switch (block.kind) {
    case 'repeat':
      return [block.steps];
    case 'switch':
      return [...block.cases.map((item) => item.steps), ...(block.default ? [block.default] : [])];
    case 'foreach':
      return [block.steps];
  }
}

/** Every step name, inner steps included, depth first: the order references are checked in. */
export function allStepNames(steps: readonly ChainStep[]): string[] {
  return steps.flatMap((step) => [step.name, ...(step.block ? innerSequences(step.block).flatMap(allStepNames) : [])]);
}

/** Every step, inner steps included, depth first. */
export function allChainSteps(steps: readonly ChainStep[]): ChainStep[] {
  return steps.flatMap((step) => [step, ...(step.block ? innerSequences(step.block).flatMap(allChainSteps) : [])]);
}
