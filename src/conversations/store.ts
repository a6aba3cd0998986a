/**
 * The conversation store: one JSON file per conversation in the conversations directory.
 * A file that does not parse is reported by `list`, refused by `load`, and never written over:
 * a save that would replace it goes to a new id instead, so neither it nor the conversation
 * being saved is lost. The same goes for a file another llmo changed since this store loaded
 * or saved it (`llmo ask -c` while a chat is open on the same conversation, two chats).
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { isTempFile, sweepTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
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
  /** Set when the file under the old id could not be replaced, so this was saved under a new id. */
  forkedFrom?: string;
  /** Why: the file could not be parsed, or another llmo changed it since this store read it. */
  forkReason?: 'unreadable' | 'changed';
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
  // The updated_at of each conversation as this store last loaded or wrote it: a file that
  // says otherwise was saved by someone else meanwhile. (`list` does not count: it only looks.)
  const known = new Map<string, string>();
  const remember = (conversation: Conversation) => {
    if (conversation.id) known.set(conversation.id, conversation.updated_at);
    return conversation;
  };

  async function ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => !isTempFile(name))
      .map(idOfFileName)
      .filter((id): id is string => id !== undefined);
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
      throw new UsageError(
        `"${input}" matches ${matches.length} conversations: ${matches.sort().slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}`,
        {
          hint: 'give more of the id',
        },
      );
    }
    throw new UsageError(`no conversation "${input}"`, { hint: 'llmo conversations list shows their ids' });
  }

  /** Why the file under this id must not be replaced, if it must not. */
  async function conflictWith(id: string): Promise<SaveResult['forkReason']> {
    let onDisk: Conversation;
    try {
      onDisk = await read(id);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'unreadable';
    }
    const seen = known.get(id);
    return seen !== undefined && onDisk.updated_at !== seen ? 'changed' : undefined;
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
        return remember(await read(id));
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
      const latest = (await readAll()).conversations[0];
      return latest && remember(latest);
    },

    async save(conversation) {
      // Temp files of writers that died (a SIGKILL mid-save) would otherwise stay for good.
      sweepTempFiles(directory);
      if (conversation.id === undefined) {
        const saved = await saveUnderNewId(conversation);
        remember(saved.conversation);
        return saved;
      }
      if (!isConversationId(conversation.id)) throw new Error(`not a conversation id: ${conversation.id}`);
      // A check then a rename is not atomic, but the race needs another writer saving this very
      // file between the two; we accept that rather than add a lock.
      const conflict = await conflictWith(conversation.id);
      if (conflict) {
        const forked = await saveUnderNewId(conversation);
        remember(forked.conversation);
        return { ...forked, forkedFrom: conversation.id, forkReason: conflict };
      }
      await writeFileAtomic(fileOf(conversation.id), serialize(conversation));
      remember(conversation);
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

/** A conversation as its file holds it (also what `/save PATH` writes). */
export function serialize(conversation: Conversation): string {
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
