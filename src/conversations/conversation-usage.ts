/** What the replies of a conversation cost: tokens and USD, in total and per model. */
import type { AssistantMessage, ConversationMessage } from './conversation.js';

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** Sum of the priced replies; undefined when none was priced. */
  costUsd: number | undefined;
  replies: number;
  /** Replies with usage but no cost: the model has no prices in models.yaml. */
  unpricedReplies: number;
  /** Replies the vendor reported no usage for (most often interrupted ones). */
  unreportedReplies: number;
}

/** Tokens and cost of a list of replies. */
export function totalUsage(messages: readonly ConversationMessage[]): UsageTotals {
  const totals: UsageTotals = { inputTokens: 0, outputTokens: 0, costUsd: undefined, replies: 0, unpricedReplies: 0, unreportedReplies: 0 };
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    totals.replies += 1;
    totals.inputTokens += message.usage?.input_tokens ?? 0;
    totals.outputTokens += message.usage?.output_tokens ?? 0;
    if (message.usage === null) totals.unreportedReplies += 1;
    else if (message.cost_usd === null) totals.unpricedReplies += 1;
    else totals.costUsd = roundUsd((totals.costUsd ?? 0) + message.cost_usd);
  }
  return totals;
}

/** Totals per `provider:model`, in the order models were first used. */
export function usageByModel(messages: readonly ConversationMessage[]): Map<string, UsageTotals> {
  const groups = new Map<string, AssistantMessage[]>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const key = `${message.provider}:${message.model}`;
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return new Map([...groups].map(([key, replies]) => [key, totalUsage(replies)]));
}

function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
