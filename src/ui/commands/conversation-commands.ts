/** /clear, /save and /load: which conversation this is, and what it is called. */
import { homedir } from 'node:os';
import path from 'node:path';
import { type Conversation, type ConversationSummary, serialize, writeFileAtomic } from '../../conversations/index.js';
import { errorResult } from './command-error.js';
import { type CommandResult, failure, info, type SlashCommand } from './types.js';

export const clearCommand: SlashCommand = {
  name: 'clear',
  altNames: ['new'],
  description: 'start a new conversation (this one stays saved)',
  action: () => ({ type: 'new-conversation' }),
};

export const saveCommand: SlashCommand = {
  name: 'save',
  argumentHint: '[TITLE]',
  description: 'save now, optionally under a new title (every reply is saved anyway), or to PATH.json',
  async action(context, args) {
    if (context.session.conversation.messages.length === 0) {
      return info('Nothing to save yet: the conversation is saved after each reply.');
    }
    const title = args.trim().replace(/\s+/g, ' ');
    if (looksLikePath(title)) return saveElsewhere(context.session.conversation, title);
    return title ? { type: 'save', title } : { type: 'save' };
  },
};

/** `/save ~/backup/talk.json`, `/save ./talk.json`: a path, not a title. */
function looksLikePath(text: string): boolean {
  return /^(~\/|\.{0,2}\/)/.test(text) || /\.json$/i.test(text);
}

async function saveElsewhere(conversation: Conversation, target: string): Promise<CommandResult> {
  const file = path.resolve(target.startsWith('~/') ? path.join(homedir(), target.slice(2)) : target);
  try {
    await writeFileAtomic(file, serialize(conversation), { exclusive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return failure(`${file} exists already; name a new file`);
    return errorResult(error);
  }
  return info(`Saved to ${file} (llmo conversations show accepts it once copied back into the conversations folder).`);
}

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
