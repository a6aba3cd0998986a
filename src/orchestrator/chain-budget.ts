/**
 * What a chain is about to spend, before it spends it: one planned call per step (per branch of
 * a parallel stage) for the accounting's budget check, and the worst case in USD for a chain's
 * own `budget_usd`. Prompts are the templates rendered with the input; outputs not produced yet
 * count only as their placeholders, so later prompts are estimated low and the output side high.
 * Blocks count at their worst: a repeat's steps × max_iterations, a switch's dearest case, a
 * `when:` as taken, every judge call included.
 */
import type { PlannedCall } from '../usage/accounting.js';
import { estimateCall } from '../usage/estimate.js';
import { withMaxTokens } from './call-model.js';
import { JUDGE_MAX_TOKENS } from './decide-condition.js';
import type { PlannedCondition } from './planned-chain.js';
import { branchRequest, renderStepPrompt, renderWith } from './step-prompt.js';
import type { ChainPlan, PlannedStep } from './validate-chain.js';

export function plannedCalls(plan: ChainPlan, input: string | undefined): PlannedCall[] {
  return sequenceCalls(plan, plan.steps, input);
}

function sequenceCalls(plan: ChainPlan, steps: readonly PlannedStep[], input: string | undefined): PlannedCall[] {
  return steps.flatMap((step) => stepCalls(plan, step, input));
}

/** The calls one step can make at most (a block: all of its inner steps' at their worst). */
export function stepCalls(plan: ChainPlan, step: PlannedStep, input: string | undefined): PlannedCall[] {
  const when = step.when ? conditionCalls(plan, step, step.when, input) : [];
  const block = step.block;
  if (!block) return [...when, ...modelCalls(plan, step, input)];
  if (block.kind === 'repeat') {
    const once = [...sequenceCalls(plan, block.steps, input), ...(block.until ? conditionCalls(plan, step, block.until, input) : [])];
    return [...when, ...Array.from({ length: block.maxIterations }, () => once).flat()];
  }
  const cases = [...block.cases.map((item) => item.steps), ...(block.default ? [block.default] : [])].map((steps) =>
    sequenceCalls(plan, steps, input),
  );
  const dearest = cases.reduce<PlannedCall[]>(
    (best, calls) => (worstCaseUsd(calls).usd > worstCaseUsd(best).usd || best.length === 0 ? calls : best),
    [],
  );
  return [...when, ...conditionCalls(plan, step, block.on, input), ...dearest];
}

function modelCalls(plan: ChainPlan, step: PlannedStep, input: string | undefined): PlannedCall[] {
  const prompt = renderStepPrompt(plan, step, { input, outputs: new Map() });
  return step.branches.map((branch) => {
    const primary = branch.models[0]!;
    return {
      provider: primary.provider.name,
      model: primary.modelId,
      pricing: primary.info?.pricing,
      request: withMaxTokens(branchRequest(branch, prompt), primary.info?.defaultMaxTokens),
      defaultMaxTokens: primary.info?.maxTokens,
    };
  });
}

function conditionCalls(plan: ChainPlan, step: PlannedStep, condition: PlannedCondition, input: string | undefined): PlannedCall[] {
  if (condition.kind !== 'judge') return [];
  const about = renderWith(plan, step, condition.about, { input, outputs: new Map() });
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
