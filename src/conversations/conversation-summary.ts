/** What `conversations list`, the index and Tab completion know of a conversation without reading it. */
import { totalUsage } from './conversation-usage.js';
import type { Conversation, ConversationOrigin, ConversationParent } from './conversation.js';

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  origin: ConversationOrigin;
  model: string;
  messages: number;
  cost_usd: number | null;
  /** The conversation this one branched from (`llmo conversations tree`). */
  parent?: ConversationParent;
}

export interface StoreProblem {
  file: string;
  reason: string;
}

/** What `list` shows of a conversation. */
export function summarize(conversation: Conversation): ConversationSummary {
  return {
    id: conversation.id!,
    title: conversation.title,
    created_at: conversation.created_at,
    updated_at: conversation.updated_at,
    origin: conversation.origin,
    model: conversation.model,
    messages: conversation.messages.length,
    cost_usd: totalUsage(conversation.messages).costUsd ?? null,
    ...(conversation.parent ? { parent: conversation.parent } : {}),
  };
}
