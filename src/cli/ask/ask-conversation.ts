/**
 * How `llmo ask` keeps its exchanges: the history it continues (-c the latest conversation,
 * --resume a given one) and where it saves the new exchange (unless --no-save or
 * `ask.save: false`). A failed save is a warning: the answer is already on the screen.
 */
import {
  appendExchange,
  createConversation,
  createConversationStore,
  type ConversationStore,
  toModelMessages,
  type Conversation,
  type ConversationSystem,
  type ReplyInput,
  type ToolStepInput,
} from '../../conversations/index.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Message } from '../../providers/spec.js';
import { getConfig } from '../context.js';
import { note, warn } from '../output.js';

export interface AskConversation {
  id: string | undefined;
  /** The model the continued conversation used last (`provider:model`); undefined for a new one. */
  model: string | undefined;
  history: Message[];
  /**
   * Saves the exchange: the tool steps, when tools were used, then the reply (undefined when a
   * tool limit stopped the run before one came). Returns the conversation id.
   */
  save(exchange: {
    system: string | undefined;
    prompt: string;
    reply: ReplyInput | undefined;
    toolSteps: readonly ToolStepInput[];
  }): Promise<string | undefined>;
}

export interface AskConversationOptions {
  continue?: boolean;
  resume?: string;
  save: boolean;
  /** The flags that make up ask's own system prompt; when none is given, a continued conversation keeps its own. */
  system?: string;
  persona?: string;
  role?: string;
}

export async function openAskConversation(options: AskConversationOptions): Promise<AskConversation> {
  const config = getConfig();
  const store = createConversationStore(config.paths.conversationsDir);
  let conversation: Conversation | undefined;
  if (options.resume) {
    conversation = await store.load(options.resume);
  } else if (options.continue) {
    // One look at the index gives both the newest conversation and the files that cannot be read.
    const listing = await store.list();
    conversation = await store.latest(listing.conversations);
    const said = await sayWhenNewestIsUnreadable(store, conversation, listing);
    if (!conversation && !said) note('no saved conversation to continue; starting a new one');
  }
  const ownSystem = Boolean(options.system || options.persona || options.role);
  const saving = options.save && config.settings.ask.save;

  return {
    id: conversation?.id,
    model: conversation && conversation.messages.length > 0 ? conversation.model : undefined,
    history: conversation ? toModelMessages(conversation, { includeSystem: !ownSystem }) : [],
    async save({ system, prompt, reply, toolSteps }) {
      if (!saving) return undefined;
      const answered = reply ?? toolSteps.at(-1)?.reply;
      if (!answered) return undefined;
      const label = `${answered.provider}:${answered.modelId}`;
      const base = conversation ?? createConversation({ origin: 'ask', model: label });
      const withSystem: Conversation = ownSystem ? { ...base, system: systemOf(system, options) } : base;
      const updated = appendExchange(withSystem, { prompt, reply, toolSteps, modelRef: label });
      try {
        const saved = await store.save(updated);
        if (saved.forkedFrom) {
          const why = saved.forkReason === 'changed' ? 'was changed by another llmo since it was read' : 'could not be read';
          warn(`${saved.forkedFrom} ${why}, so this exchange was saved as ${saved.conversation.id}`);
        }
        conversation = saved.conversation;
        return saved.conversation.id;
      } catch (error) {
        warn(`could not save the conversation in ${store.directory}: ${(error as Error).message}`);
        return undefined;
      }
    },
  };
}

function systemOf(prompt: string | undefined, options: AskConversationOptions): ConversationSystem {
  return { prompt: prompt ?? null, persona: options.persona ?? null, role: options.role ?? null, text: options.system ?? null };
}

/**
 * `-c` continues the newest conversation that can be read. When a newer file cannot be (cut
 * short, edited by hand), the user is told which, and what is continued instead: carrying on
 * silently with an older conversation would answer in the wrong context.
 */
async function sayWhenNewestIsUnreadable(
  store: ConversationStore,
  continued: Conversation | undefined,
  { conversations, problems }: Awaited<ReturnType<ConversationStore['list']>>,
): Promise<boolean> {
  const since = continued ? Date.parse(continued.updated_at) : Number.NEGATIVE_INFINITY;
  const unreadable: Array<{ file: string; reason: string; changed: number }> = problems
    .map((problem) => ({ ...problem, changed: modifiedAt(problem.file) }))
    .filter((problem) => problem.changed > since);
  // The index still lists a file that broke after it was indexed; latest() passed over it.
  const newest = conversations[0];
  if (newest && newest.id !== continued?.id && Date.parse(newest.updated_at) > since) {
    const file = path.join(store.directory, `${newest.id}.json`);
    const reason = await store.load(newest.id).then(
      () => undefined,
      (error: Error) => error.message.replace(/^conversation \S+ cannot be read: /, ''),
    );
    if (reason !== undefined) unreadable.push({ file, reason, changed: modifiedAt(file) });
  }
  const newer = unreadable.sort((left, right) => right.changed - left.changed)[0];
  if (!newer) return false;
  const instead = continued ? `continuing ${continued.id}, the newest one that can` : 'not continuing it; starting a new conversation';
  warn(`the newest conversation file, ${newer.file}, cannot be read (${newer.reason}); ${instead}`);
  return true;
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}
