/**
 * A chain after validation: every model resolved, every template and expression parsed and
 * checked. What runs, what `--dry-run` shows and what the budget is estimated from.
 */
import type { ModelRef } from '../config/resolve-model-ref.js';
import type { LoadedSchema } from '../structured/load-schema.js';
import type { BranchSettings, ChainDefinition, MergeStrategy, OnError, StepTools } from './chain-definition.js';
import type { ParsedExpression } from './expression/expression-syntax.js';
import type { TemplatePart } from './template.js';

export interface PlannedBranch {
  settings: BranchSettings;
  /** The model, then its fallbacks in order. */
  models: ModelRef[];
  system: string | undefined;
}

export type PlannedCondition =
  | { kind: 'expression'; expression: ParsedExpression }
  | {
      kind: 'judge';
      model: ModelRef;
      question: string;
      /** What the judge reads, rendered like a prompt. */
      about: TemplatePart[];
      /** The answers it may give; yes/no when undefined. */
      answers: string[] | undefined;
    };

export interface PlannedRepeat {
  kind: 'repeat';
  maxIterations: number;
  until: PlannedCondition | undefined;
  untilStable: boolean;
  steps: PlannedStep[];
}

export interface PlannedSwitch {
  kind: 'switch';
  on: PlannedCondition;
  cases: Array<{ name: string; steps: PlannedStep[] }>;
  default: PlannedStep[] | undefined;
}

/** Every kind of planned block (chains-map adds PlannedForeach). */
export type PlannedBlock = PlannedRepeat | PlannedSwitch | PlannedForeach;

export interface PlannedForeach {
  kind: 'foreach';
  source: { kind: 'items' | 'lines' | 'chunks'; expression: ParsedExpression };
  /** chunks: the most tokens a chunk may have — chunk_tokens, lowered to fit every inner model's window. */
  chunkTokens: number;
  concurrency: number | undefined;
  maxItems: number;
  steps: PlannedStep[];
}

export interface PlannedStep {
  /** The step's position among all the chain's steps, inner steps included (depth first). */
  index: number;
  name: string;
  parallel: boolean;
  /** The template as written (or the default, `{{previous}}`); "" for a block. */
  prompt: string;
  template: TemplatePart[];
  /** Empty for a block. */
  branches: PlannedBranch[];
  /** The step's tools (it runs through the tool loop), when it set `tools:`. */
  tools: StepTools | undefined;
  /** Each branch's reply must be JSON matching this (`schema:`). */
  schema: LoadedSchema | undefined;
  /** `when:`: run only when it holds. */
  when?: PlannedCondition | undefined;
  /** What a failure does (default stop). */
  onError?: OnError | undefined;
  /** A block's own steps and how they run. */
  block?: PlannedBlock | undefined;
  /** What `{{previous}}` reads before the run, for placeholders: `input`, `output of step X`, `input of block X`. */
  previousLabel?: string | undefined;
  /** A parallel stage's merge strategy other than the default concat. */
  merge?: PlannedMerge | undefined;
}

export interface PlannedMerge {
  strategy: Exclude<MergeStrategy, 'concat'>;
  /** judge: the model that picks (or combines) the answers. */
  model?: ModelRef | undefined;
  /** judge: its instruction (merge_prompt), when the chain gives one. */
  prompt?: string | undefined;
}

export interface ChainPlan {
  chain: ChainDefinition;
  /** The chain's defaults overridden by --var. */
  vars: Record<string, string>;
  /** The top-level steps, in order. */
  steps: PlannedStep[];
  /** Every step, inner steps of blocks included, in `index` order. */
  allSteps: PlannedStep[];
  /** Whether any step reads the input ({{input}}, or {{previous}} in the first step). */
  readsInput: boolean;
}

/** The conditions a step decides: its `when:`, a repeat's `until:`, a switch's `on:`. */
export function conditionsOf(step: PlannedStep): PlannedCondition[] {
  const block = step.block;
  const own = block?.kind === 'repeat' ? block.until : block?.kind === 'switch' ? block.on : undefined;
  return [step.when, own].filter((condition): condition is PlannedCondition => condition !== undefined);
}
