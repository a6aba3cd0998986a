/** /clear, /save and /load: which conversation this is, and what it is called. */
import type { ConversationSummary } from '../../conversations/index.js';
import { errorResult } from './command-error.js';
import { failure, info, type SlashCommand } from './types.js';

export const clearCommand: SlashCommand = {
  name: 'clear',
  altNames: ['new'],
  description: 'start a new conversation (this one stays saved)',
  action: () => ({ type: 'new-conversation' }),
};

export const saveCommand: SlashCommand = {
  name: 'save',
  argumentHint: '[TITLE]',
  description: 'save now, optionally under a new title (every reply is saved anyway)',
  action(context, args) {
    if (context.session.conversation.messages.length === 0) {
      return info('Nothing to save yet: the conversation is saved after each reply.');
    }
    const title = args.trim().replace(/\s+/g, ' ');
    return title ? { type: 'save', title } : { type: 'save' };
  },
};

function pickLabel(summary: ConversationSummary): string {
  return `${summary.id}  ${summary.title || '(untitled)'}  · ${summary.messages} messages · ${summary.model}`;
}

export const loadCommand: SlashCommand = {
  name: 'load',
  altNames: ['resume'],
  argumentHint: '[ID]',
  description: 'continue a saved conversation; pick from a list when empty',
  async completion(context) {
    return (await context.store.list()).conversations.map((summary) => summary.id);
  },
  async action(context, args) {
    const id = args.trim();
    const load = async (wanted: string) => {
      try {
        return { type: 'load-conversation' as const, conversation: await context.store.load(wanted) };
      } catch (error) {
        return errorResult(error);
      }
    };
    if (id !== '') return load(id);
    const { conversations, problems } = await context.store.list();
    const others = conversations.filter((summary) => summary.id !== context.session.conversation.id);
    if (others.length === 0) {
      const skipped = problems.length ? ` (${problems.length} unreadable file${problems.length > 1 ? 's' : ''} skipped)` : '';
      return failure(`No other saved conversations${skipped}.`);
    }
    return {
      type: 'pick',
      title: `Load a conversation (${others.length}; ↑↓ Enter, Esc cancels)`,
      items: others.map((summary) => ({ label: pickLabel(summary), value: summary.id })),
      pick: load,
    };
  },
};
