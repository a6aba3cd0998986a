/**
 * What the scrollback shows, as data: each item is printed once into <Static>. A long reply
 * becomes several `reply` items (one per completed markdown stretch); the first carries the
 * model's label.
 */
import { incompleteNote, type Conversation, type StoredToolCall } from '../conversations/index.js';
import { excerpt } from '../orchestrator/run-tool-loop.js';

export type HistoryItem =
  | { id: number; type: 'welcome'; text: string; detail?: string }
  | { id: number; type: 'user'; text: string }
  | { id: number; type: 'command'; text: string }
  /** `continued`: goes on with the paragraph the previous item was cut in, with no space between. */
  | { id: number; type: 'reply'; text: string; label?: string; continued?: boolean }
  | { id: number; type: 'notice'; text: string }
  | { id: number; type: 'info'; text: string }
  | { id: number; type: 'error'; text: string; hint?: string }
  /** One tool call: what ran with which arguments, how long it took, and the start of its result. */
  | { id: number; type: 'tool'; name: string; arguments: string; status: string; durationMs: number; isError: boolean; result: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type NewHistoryItem = WithoutId<HistoryItem>;

/** The items that show a saved conversation: each prompt, each reply, and what was cut short. */
export function itemsForConversation(conversation: Conversation): NewHistoryItem[] {
  const items: NewHistoryItem[] = [];
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      items.push({ type: 'user', text: message.content });
      continue;
    }
    // A step that only called tools has no text to show, just its calls.
    if (message.content !== '' || !message.tool_calls?.length)
      items.push({ type: 'reply', text: message.content, label: `${message.provider}:${message.model}` });
    for (const call of message.tool_calls ?? []) items.push(storedToolItem(call));
    const note = incompleteNote(message);
    if (note) items.push({ type: 'notice', text: note });
  }
  return items;
}

/** The first line: which model, which conversation is continued, and where help is. */
export function welcomeItem(model: string, conversation: Conversation, resumed: boolean): NewHistoryItem {
  const continuing =
    resumed && conversation.id ? ` · continuing ${conversation.id}${conversation.title ? ` “${conversation.title}”` : ''}` : '';
  return { type: 'welcome', text: 'llmo chat', detail: `${model}${continuing} · /help lists commands · Ctrl-D quits` };
}

/** How much of a tool's arguments and result a tool block shows. */
const ARGUMENTS_SHOWN = 160;
const RESULT_SHOWN = 240;

/** A tool call as a history item (arguments and result cut to one readable line each). */
export function toolItem(call: {
  name: string;
  arguments: Record<string, unknown>;
  status: string;
  durationMs: number;
  isError: boolean;
  content: string;
}): NewHistoryItem {
  return {
    type: 'tool',
    name: call.name,
    arguments: excerpt(JSON.stringify(call.arguments), ARGUMENTS_SHOWN),
    status: call.status,
    durationMs: call.durationMs,
    isError: call.isError,
    result: excerpt(call.content, RESULT_SHOWN),
  };
}

function storedToolItem(call: StoredToolCall): NewHistoryItem {
  return toolItem({
    name: call.name,
    arguments: call.arguments,
    status: 'ran',
    durationMs: call.result.duration_ms ?? 0,
    isError: call.result.is_error,
    content: call.result.content,
  });
}
