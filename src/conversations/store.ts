/**
 * The conversation store: one JSON file per conversation in the conversations directory.
 * A file that does not parse is reported by `list`, refused by `load`, and never written over:
 * a save that would replace it goes to a new id instead, so neither it nor the conversation
 * being saved is lost.
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { isTempFile, writeFileAtomic } from './atomic-write.js';
import { totalUsage, type Conversation, type ConversationOrigin } from './conversation.js';
import { baseConversationId, candidateId, fileNameOf, idOfFileName, isConversationId } from './conversation-id.js';
import { CorruptConversation, parseConversation } from './parse-conversation.js';

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  origin: ConversationOrigin;
  model: string;
  messages: number;
  cost_usd: number | null;
}

export interface StoreProblem {
  file: string;
  reason: string;
}

export interface SaveResult {
  /** The conversation as saved, with its id. */
  conversation: Conversation;
  file: string;
  /** Set when the file under the old id could not be parsed, so this was saved under a new id. */
  forkedFrom?: string;
}

export interface ConversationStore {
  readonly directory: string;
  /** Newest first (by updated_at). Files that do not parse are in `problems`, not thrown. */
  list(): Promise<{ conversations: ConversationSummary[]; problems: StoreProblem[] }>;
  /** By id, `id.json`, or an unambiguous prefix of an id. */
  load(idOrPrefix: string): Promise<Conversation>;
  /** The most recently updated conversation that parses, if any. */
  latest(): Promise<Conversation | undefined>;
  save(conversation: Conversation): Promise<SaveResult>;
  /** Deletes by id or prefix (a corrupt file too); returns the id deleted. */
  remove(idOrPrefix: string): Promise<string>;
  /** Turns what the user typed into an existing id, or throws a UsageError. */
  resolveId(idOrPrefix: string): Promise<string>;
}

export function createConversationStore(directory: string, options: { now?: () => Date } = {}): ConversationStore {
  const now = options.now ?? (() => new Date());
  const fileOf = (id: string) => path.join(directory, fileNameOf(id));

  async function ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((name) => !isTempFile(name)).map(idOfFileName).filter((id): id is string => id !== undefined);
  }

  async function read(id: string): Promise<Conversation> {
    const conversation = parseConversation(await readFile(fileOf(id), 'utf8'));
    if (conversation.id !== id) throw new CorruptConversation(`its id ${conversation.id} does not match the file name`);
    return conversation;
  }

  async function readAll(): Promise<{ conversations: Conversation[]; problems: StoreProblem[] }> {
    const conversations: Conversation[] = [];
    const problems: StoreProblem[] = [];
    for (const id of await ids()) {
      try {
        conversations.push(await read(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted meanwhile
        problems.push({ file: fileOf(id), reason: (error as Error).message });
      }
    }
    conversations.sort((left, right) => right.updated_at.localeCompare(left.updated_at) || (right.id ?? '').localeCompare(left.id ?? ''));
    return { conversations, problems };
  }

  async function resolveId(input: string): Promise<string> {
    const wanted = input.trim().replace(/\.json$/, '');
    const known = await ids();
    if (known.includes(wanted)) return wanted;
    const matches = wanted === '' ? [] : known.filter((id) => id.startsWith(wanted));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new UsageError(`"${input}" matches ${matches.length} conversations: ${matches.sort().slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}`, {
        hint: 'give more of the id',
      });
    }
    throw new UsageError(`no conversation "${input}"`, { hint: 'llmo conversations list shows their ids' });
  }

  /** Is there a file under this id that we must not replace? */
  async function isUnsafeToReplace(id: string): Promise<boolean> {
    try {
      await read(id);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  }

  async function saveUnderNewId(conversation: Conversation): Promise<SaveResult> {
    const base = baseConversationId(now());
    for (let attempt = 1; attempt < 10_000; attempt += 1) {
      const id = candidateId(base, attempt);
      const saved = { ...conversation, id };
      try {
        await writeFileAtomic(fileOf(id), serialize(saved), { exclusive: true });
        return { conversation: saved, file: fileOf(id) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`cannot find a free conversation id after ${base}`);
  }

  return {
    directory,

    async list() {
      const { conversations, problems } = await readAll();
      return { conversations: conversations.map(summarize), problems };
    },

    async load(idOrPrefix) {
      const id = await resolveId(idOrPrefix);
      try {
        return await read(id);
      } catch (error) {
        if (error instanceof CorruptConversation) {
          throw new ConfigError(`conversation ${id} cannot be read: ${error.message}`, {
            hint: `fix or delete ${fileOf(id)} (llmo conversations delete ${id})`,
          });
        }
        throw error;
      }
    },

    async latest() {
      return (await readAll()).conversations[0];
    },

    async save(conversation) {
      if (conversation.id === undefined) return saveUnderNewId(conversation);
      if (!isConversationId(conversation.id)) throw new Error(`not a conversation id: ${conversation.id}`);
      // A check then a rename is not atomic, but the race needs another writer corrupting this
      // very file between the two; we accept that rather than add a lock.
      if (await isUnsafeToReplace(conversation.id)) {
        const forked = await saveUnderNewId(conversation);
        return { ...forked, forkedFrom: conversation.id };
      }
      await writeFileAtomic(fileOf(conversation.id), serialize(conversation));
      return { conversation, file: fileOf(conversation.id) };
    },

    async remove(idOrPrefix) {
      const id = await resolveId(idOrPrefix);
      await unlink(fileOf(id));
      return id;
    },

    resolveId,
  };
}

function serialize(conversation: Conversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
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
  };
}
