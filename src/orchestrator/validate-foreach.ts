/**
 * A `foreach:` block checked before any call: its source expression where it is written (the
 * outer steps in scope), its inner steps with `{{item}}` and `{{item_index}}` in scope, and the
 * chunk size: `chunk_tokens`, lowered so that a chunk leaves room in every inner model's context
 * window (models.yaml context_window) for the reply (max_tokens) and the rest of the prompt.
 */
import type { LoadedSchema } from '../structured/load-schema.js';
import { estimateTextTokens } from '../usage/estimate.js';
import type { ChainStep, ForeachBlock } from './chain-definition.js';
import { DEFAULT_CHUNK_TOKENS, DEFAULT_MAX_ITEMS } from './parse-foreach.js';
import type { PlannedForeach, PlannedStep } from './planned-chain.js';
import { planCondition } from './validate-blocks.js';
import { failer, referenceScope, type SequenceScope, type ValidationContext } from './validation-context.js';

/** Room kept for the request's own overhead and the template around `{{item}}`. */
const PROMPT_ALLOWANCE_TOKENS = 200;

export function planForeach(context: ValidationContext, step: ChainStep, block: ForeachBlock, scope: SequenceScope): PlannedForeach {
  const { source } = block;
  const condition = planCondition(
    context,
    step,
    { kind: 'expression', source: source.expression, at: source.at },
    referenceScope(context, scope, step.name),
  );
  if (condition.kind !== 'expression') throw new Error('a foreach source is an expression');
  if (/\b(input|previous)\b/.test(source.expression) && scope.topLevel) context.readsInput = true;
  // Inner steps read the outer steps before the block and their earlier siblings; outside, only the block's result.
  const innerScope: SequenceScope = { available: new Map(scope.available), inRepeat: scope.inRepeat, inForeach: true, topLevel: false };
  const steps = context.planSequence(block.steps, innerScope, `item of block ${step.name}`);
  return {
    kind: 'foreach',
    source: { kind: source.kind, expression: condition.expression },
    chunkTokens: source.kind === 'chunks' ? chunkTokens(context, step, block, steps) : 0,
    concurrency: block.concurrency,
    maxItems: block.maxItems ?? DEFAULT_MAX_ITEMS,
    steps,
  };
}

function chunkTokens(context: ValidationContext, step: ChainStep, block: ForeachBlock, steps: readonly PlannedStep[]): number {
  let limit = block.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
  for (const inner of everyStep(steps)) {
    const prompt = estimateTextTokens(inner.prompt);
    for (const branch of inner.branches) {
      for (const model of branch.models) {
        const window = model.info?.contextWindow;
        if (window === undefined) continue;
        const reply = branch.settings.maxTokens ?? model.info?.defaultMaxTokens ?? model.info?.maxTokens ?? 0;
        const room = window - reply - prompt - PROMPT_ALLOWANCE_TOKENS;
        if (room < 1) {
          failer(context.chain, step)(
            ['foreach', 'chunks'],
            `${model.provider.name}:${model.modelId} has a context window of ${window} tokens, which leaves no room for a chunk after its max_tokens (${reply}) and the prompt`,
            'lower max_tokens in the inner steps, or use a model with a larger context_window',
          );
        }
        limit = Math.min(limit, room);
      }
    }
  }
  return limit;
}

function everyStep(steps: readonly PlannedStep[]): PlannedStep[] {
  return steps.flatMap((step) => {
    const block = step.block;
    if (!block) return [step];
    const inner = block.kind === 'switch' ? [...block.cases.flatMap((item) => item.steps), ...(block.default ?? [])] : block.steps;
    return [step, ...everyStep(inner)];
  });
}

/** `{{steps.BLOCK.json…}}` of a foreach: the list of its items' last-step JSON, when that step has a schema. */
export function foreachSchema(planned: PlannedStep): LoadedSchema | undefined {
  if (planned.block?.kind !== 'foreach') return undefined;
  const last = planned.block.steps.at(-1)?.schema;
  if (!last) return undefined;
  return { ...last, schema: { type: 'array', items: last.schema } };
}
