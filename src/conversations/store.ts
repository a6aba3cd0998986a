/**
 * The conversation store: one JSON file per conversation in the conversations directory.
 * A file that does not parse is reported by `list`, refused by `load`, and never written over:
 * a save that would replace it goes to a new id instead, so neither it nor the conversation
 * being saved is lost. The same goes for a file another llmo changed since this store loaded
 * or saved it (`llmo ask -c` while a chat is open on the same conversation, two chats).
 */
import { unlink } from 'node:fs/promises';
import { ConfigError, UsageError } from '../errors.js';
import { sweepTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { newestFirst, problemsOf, sortedSummaries } from './conversation-index.js';
import type { Conversation } from './conversation.js';
import { conversationFile, fileExists, listDirectory, readConversationFile, serialize } from './conversation-files.js';
import { baseConversationId, candidateId, isConversationId } from './conversation-id.js';
import type { ConversationSummary, StoreProblem } from './conversation-summary.js';
import { createIndexKeeper } from './index-keeper.js';
import { CorruptConversation } from './parse-conversation.js';

export type { ConversationSummary, StoreProblem } from './conversation-summary.js';
export { serialize } from './conversation-files.js';
export { summarize } from './conversation-summary.js';

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
  /** The newest `limit` of `list`, and how many there are in all; cheap while nothing changed (listing-head.ts). */
  newest(limit: number): Promise<{ conversations: ConversationSummary[]; total: number; problems: StoreProblem[] }>;
  /** By id, `id.json`, or an unambiguous prefix of an id. */
  load(idOrPrefix: string): Promise<Conversation>;
  /** The newest conversation that parses, if any: of `listed` (newest first, from `list`), or of the index. */
  latest(listed?: readonly ConversationSummary[]): Promise<Conversation | undefined>;
  save(conversation: Conversation): Promise<SaveResult>;
  /** Deletes by id or prefix (a corrupt file too); returns the id deleted. */
  remove(idOrPrefix: string): Promise<string>;
  /** Turns what the user typed into an existing id, or throws a UsageError. */
  resolveId(idOrPrefix: string): Promise<string>;
  /** Rebuilds the index from the files (reads every conversation once); returns how many it holds. */
  reindex(): Promise<{ conversations: number; problems: number }>;
}

export function createConversationStore(directory: string, options: { now?: () => Date } = {}): ConversationStore {
  const now = options.now ?? (() => new Date());
  const fileOf = (id: string) => conversationFile(directory, id);
  const read = (id: string) => readConversationFile(directory, id);
  const ids = async () => (await listDirectory(directory)).ids;
  const keeper = createIndexKeeper(directory);
  const writeAndIndex = keeper.writeAndIndex;
  // The updated_at of each conversation as this store last loaded or wrote it: a file that
  // says otherwise was saved by someone else meanwhile. (`list` does not count: it only looks.)
  const known = new Map<string, string>();
  const remember = (conversation: Conversation) => {
    if (conversation.id) known.set(conversation.id, conversation.updated_at);
    return conversation;
  };

  async function resolveId(input: string): Promise<string> {
    const wanted = input.trim().replace(/\.json$/, '');
    // A whole id needs no listing of the directory: one stat says whether it is there.
    if (isConversationId(wanted) && (await fileExists(fileOf(wanted)))) return wanted;
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
        await writeAndIndex(id, () => writeFileAtomic(fileOf(id), serialize(saved), { exclusive: true }));
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
      const index = await keeper.checked();
      return { conversations: sortedSummaries(index), problems: problemsOf(index.problems.values(), fileOf) };
    },

    async newest(limit) {
      const { newest, total, problems } = await keeper.newest(limit);
      return { conversations: newest, total, problems: problemsOf(problems, fileOf) };
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

    async latest(listed) {
      // Only the newest file is read (the next one if it broke meanwhile).
      const readFirst = async (summaries: Iterable<ConversationSummary>) => {
        for (const summary of summaries) {
          try {
            return remember(await read(summary.id));
          } catch {
            // deleted or damaged since the index was checked: the next newest
          }
        }
        return undefined;
      };
      if (listed) return readFirst(listed);
      const index = await keeper.checked();
      // One pass finds the newest: sorting 10,000 summaries for the first is a tenth of `ask -c`.
      let first: ConversationSummary | undefined;
      for (const summary of index.conversations.values()) if (!first || newestFirst(summary, first) < 0) first = summary;
      return (first && (await readFirst([first]))) ?? readFirst(sortedSummaries(index));
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
      const id = conversation.id;
      await writeAndIndex(id, () => writeFileAtomic(fileOf(id), serialize(conversation)));
      remember(conversation);
      return { conversation, file: fileOf(conversation.id) };
    },

    async remove(idOrPrefix) {
      const id = await resolveId(idOrPrefix);
      await writeAndIndex(id, () => unlink(fileOf(id)));
      return id;
    },

    resolveId,

    async reindex() {
      const index = await keeper.rebuild();
      return { conversations: index.conversations.size, problems: index.problems.size };
    },
  };
}
