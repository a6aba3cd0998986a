/**
 * Branches: a conversation cut at a turn becomes a new conversation that records where it came
 * from, so the old one stays as it was (/fork N, and /edit, which branches before the last prompt).
 * A turn is a prompt with every reply to it.
 */
import type { Conversation, ConversationMessage } from './conversation.js';

/** How many prompts the conversation holds. */
export function turnCount(conversation: Conversation): number {
  return conversation.messages.filter((message) => message.role === 'user').length;
}

/** The messages of the first `turns` turns. */
export function firstTurns(messages: readonly ConversationMessage[], turns: number): ConversationMessage[] {
  let seen = 0;
  for (let index = 0; index < messages.length; index += 1) {
    if (messages[index]!.role !== 'user') continue;
    seen += 1;
    if (seen > turns) return messages.slice(0, index);
  }
  return [...messages];
}

/**
 * A new, unsaved conversation holding the first `turns` turns of a saved one, with `parent`
 * pointing back at it. A compression of more messages than it keeps no longer applies.
 */
export function forkConversation(conversation: Conversation, turns: number, now = new Date()): Conversation {
  if (conversation.id === undefined) throw new Error('only a saved conversation can be forked');
  const messages = firstTurns(conversation.messages, turns);
  const { compressed, parent: _parent, ...rest } = conversation;
  const time = now.toISOString();
  return {
    ...rest,
    id: undefined,
    created_at: time,
    updated_at: time,
    messages,
    parent: { id: conversation.id, turn: turns },
    ...(compressed && compressed.messages <= messages.length ? { compressed } : {}),
  };
}
