/**
 * What a chain is about to spend, before it spends it: one planned call per step (per branch of
 * a parallel stage) for the accounting's budget check, and the worst case in USD for a chain's
 * own `budget_usd`. Prompts are the templates rendered with the input; outputs not produced yet
 * count only as their placeholders, so later prompts are estimated low and the output side high.
 * Blocks count at their worst: a repeat's steps × max_iterations, a switch's dearest case, a
 * foreach's steps per chunk of the input (each priced with its chunk) or × max_items, a `when:`
 * as taken, every judge call included.
 */
import type { ModelRef } from '../config/resolve-model-ref.js';
import type { ModelRequest } from '../providers/spec.js';
import type { PlannedCall } from '../usage/accounting.js';
import { estimateCall } from '../usage/estimate.js';
import { withMaxTokens } from './call-model.js';
import { JUDGE_MAX_TOKENS } from './decide-condition.js';
import { judgeRequest } from './merge-branches.js';
import type { PlannedCondition, PlannedForeach } from './planned-chain.js';
import { splitChunks } from './split-chunks.js';
import { branchRequest, renderStepPrompt, renderWith, type PromptValues } from './step-prompt.js';
import type { ChainPlan, PlannedStep } from './validate-chain.js';

/** The calls of the top-level steps from `from` on (a resumed run pays only for what is left). */
export function plannedCalls(plan: ChainPlan, input: string | undefined, from = 0): PlannedCall[] {
  return sequenceCalls(plan, plan.steps.slice(from), input);
}

/** Inside a foreach whose items are known before the run (chunks of the input): the item. */
type Item = PromptValues['item'];

function sequenceCalls(plan: ChainPlan, steps: readonly PlannedStep[], input: string | undefined, item?: Item): PlannedCall[] {
  return steps.flatMap((step) => stepCalls(plan, step, input, item));
}

/** The calls one step can make at most (a block: all of its inner steps' at their worst). */
export function stepCalls(plan: ChainPlan, step: PlannedStep, input: string | undefined, item?: Item): PlannedCall[] {
  const when = step.when ? conditionCalls(plan, step, step.when, input, item) : [];
  const block = step.block;
  if (!block) return [...when, ...modelCalls(plan, step, input, item)];
  if (block.kind === 'repeat') {
    const once = [
      ...sequenceCalls(plan, block.steps, input, item),
      ...(block.until ? conditionCalls(plan, step, block.until, input, item) : []),
    ];
    return [...when, ...Array.from({ length: block.maxIterations }, () => once).flat()];
  }
  if (block.kind === 'foreach') {
    const chunks = knownChunks(block, input);
    // Known chunks are priced as they will be sent; other items count as max_items placeholders.
    if (chunks)
      return [...when, ...chunks.flatMap((chunk, index) => sequenceCalls(plan, block.steps, input, { value: chunk, index: index + 1 }))];
    const once = sequenceCalls(plan, block.steps, input, item);
    return [...when, ...Array.from({ length: block.maxItems }, () => once).flat()];
  }
  const cases = [...block.cases.map((entry) => entry.steps), ...(block.default ? [block.default] : [])].map((steps) =>
    sequenceCalls(plan, steps, input, item),
  );
  const dearest = cases.reduce<PlannedCall[]>(
    (best, calls) => (worstCaseUsd(calls).usd > worstCaseUsd(best).usd || best.length === 0 ? calls : best),
    [],
  );
  return [...when, ...conditionCalls(plan, step, block.on, input, item), ...dearest];
}

/**
 * How many items a foreach runs at most: the chunks of the input, known before the run; else
 * max_items (default 100), which the run refuses to exceed.
 */
export function foreachBound(block: PlannedForeach, input: string | undefined): { items: number; known: boolean } {
  const chunks = knownChunks(block, input);
  return chunks ? { items: chunks.length, known: true } : { items: block.maxItems, known: false };
}

/** The chunks of the input a `chunks: "input"` foreach will run (at most max_items), known before the run. */
function knownChunks(block: PlannedForeach, input: string | undefined): string[] | undefined {
  return allKnownChunks(block, input)?.slice(0, block.maxItems);
}

function allKnownChunks(block: PlannedForeach, input: string | undefined): string[] | undefined {
  if (block.source.kind !== 'chunks' || block.source.expression.source.trim() !== 'input' || input === undefined) return undefined;
  return splitChunks(input, block.chunkTokens);
}

/** A foreach whose input already makes more chunks than its max_items: refused before any call rather than at that step. */
export function chunksOverMaxItems(plan: ChainPlan, input: string | undefined): string | undefined {
  for (const step of plan.allSteps) {
    if (step.block?.kind !== 'foreach') continue;
    const count = allKnownChunks(step.block, input)?.length ?? 0;
    if (count > step.block.maxItems)
      return `foreach "${step.name}": the input makes ${count} chunks of at most ${step.block.chunkTokens} tokens, over its max_items of ${step.block.maxItems}`;
  }
  return undefined;
}

function modelCalls(plan: ChainPlan, step: PlannedStep, input: string | undefined, item: Item): PlannedCall[] {
  const prompt = renderStepPrompt(plan, step, { input, outputs: new Map(), item });
  const calls = step.branches.map((branch) => plannedCall(branch.models[0]!, branchRequest(branch, prompt)));
  // A judge reads every answer: counted as the prompt plus a placeholder per branch.
  const judge = step.merge?.model;
  if (judge)
    calls.push(plannedCall(judge, judgeRequest(step, prompt, step.branches.map((_, index) => `‹answer ${index + 1}›`).join('\n'))));
  return calls;
}

function plannedCall(model: ModelRef, request: ModelRequest): PlannedCall {
  return {
    provider: model.provider.name,
    model: model.modelId,
    pricing: model.info?.pricing,
    request: withMaxTokens(request, model.info?.defaultMaxTokens),
    defaultMaxTokens: model.info?.maxTokens,
  };
}

function conditionCalls(
  plan: ChainPlan,
  step: PlannedStep,
  condition: PlannedCondition,
  input: string | undefined,
  item?: Item,
): PlannedCall[] {
  if (condition.kind !== 'judge') return [];
  const about = renderWith(plan, step, condition.about, { input, outputs: new Map(), item });
  const model = condition.model;
  return [
    {
      provider: model.provider.name,
      model: model.modelId,
      pricing: model.info?.pricing,
      request: { messages: [{ role: 'user', content: `${condition.question}\n\n${about}` }], maxTokens: JUDGE_MAX_TOKENS, temperature: 0 },
      defaultMaxTokens: model.info?.maxTokens,
    },
  ];
}

export interface WorstCase {
  usd: number;
  /** Calls whose model has no prices (they count as $0 in `usd`). */
  unpriced: number;
}

/** The same conservative estimate the budget check uses (src/usage/estimate.ts), summed. */
export function worstCaseUsd(calls: readonly PlannedCall[]): WorstCase {
  let usd = 0;
  let unpriced = 0;
  for (const call of calls) {
    const { costUsd } = estimateCall(call);
    if (costUsd === undefined) unpriced += 1;
    else usd += costUsd;
  }
  return { usd, unpriced };
}
