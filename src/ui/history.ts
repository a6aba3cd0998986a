/**
 * What the scrollback shows, as data: each item is printed once into <Static>. A long reply
 * becomes several `reply` items (one per completed markdown stretch); the first carries the
 * model's label.
 */
import { incompleteNote, type Conversation } from '../conversations/index.js';

export type HistoryItem =
  | { id: number; type: 'welcome'; text: string; detail?: string }
  | { id: number; type: 'user'; text: string }
  | { id: number; type: 'command'; text: string }
  | { id: number; type: 'reply'; text: string; label?: string }
  | { id: number; type: 'notice'; text: string }
  | { id: number; type: 'info'; text: string }
  | { id: number; type: 'error'; text: string; hint?: string };

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
    items.push({ type: 'reply', text: message.content, label: `${message.provider}:${message.model}` });
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
