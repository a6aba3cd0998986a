/**
 * What a chain is about to spend, before it spends it: one planned call per step (per branch of
 * a parallel stage) for the accounting's budget check, and the worst case in USD for a chain's
 * own `budget_usd`. Prompts are the templates rendered with the input; outputs not produced yet
 * count only as their placeholders, so later prompts are estimated low and the output side high.
 */
import type { PlannedCall } from '../usage/accounting.js';
import { estimateCall } from '../usage/estimate.js';
import type { ModelRef } from '../config/resolve-model-ref.js';
import type { ModelRequest } from '../providers/spec.js';
import { withMaxTokens } from './call-model.js';
import { judgeRequest } from './merge-branches.js';
import { branchRequest, renderStepPrompt } from './step-prompt.js';
import type { ChainPlan } from './validate-chain.js';

/** The calls of the steps from `from` on (a resumed run pays only for what is left). */
export function plannedCalls(plan: ChainPlan, input: string | undefined, from = 0): PlannedCall[] {
  const outputs = new Map();
  return plan.steps.slice(from).flatMap((step) => {
    const prompt = renderStepPrompt(plan, step, { input, outputs });
    const calls = step.branches.map((branch) => plannedCall(branch.models[0]!, branchRequest(branch, prompt)));
    // A judge reads every answer: counted as the prompt plus a placeholder per branch.
    const judge = step.merge?.model;
    if (judge)
      calls.push(plannedCall(judge, judgeRequest(step, prompt, step.branches.map((_, index) => `‹answer ${index + 1}›`).join('\n'))));
    return calls;
  });
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
