/**
 * The conversation store: one JSON file per conversation in the conversations directory.
 * A file that does not parse is reported by `list`, refused by `load`, and never written over:
 * a save that would replace it goes to a new id instead, so neither it nor the conversation
 * being saved is lost. The same goes for a file another llmo changed since this store loaded
 * or saved it (`llmo ask -c` while a chat is open on the same conversation, two chats).
 */
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { isTempFile, sweepTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { withFileLock } from '../fs/file-lock.js';
import {
  dropId,
  emptyIndex,
  INDEX_FILE,
  idOfPendingMark,
  type IndexData,
  pendingMarkName,
  problemsOf,
  putConversation,
  putProblem,
  readIndex,
  removeMark,
  serializeIndex,
  sortedSummaries,
} from './conversation-index.js';
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
  /** Rebuilds the index from the files (reads every conversation once); returns how many it holds. */
  reindex(): Promise<{ conversations: number; problems: number }>;
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

  const lockFile = path.join(directory, '.index.lock');
  const underLock = async <T>(action: () => Promise<T>) => {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return withFileLock(lockFile, action, { what: 'the conversations index' });
  };

  /** The directory's names, once per call: conversation ids and the ids of pending saves. */
  async function listing(): Promise<{ ids: string[]; pending: Map<string, string[]> }> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ids: [], pending: new Map() };
      throw error;
    }
    const ids: string[] = [];
    const pending = new Map<string, string[]>();
    for (const name of names) {
      if (isTempFile(name)) continue;
      const id = idOfFileName(name);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      const marked = idOfPendingMark(name);
      if (marked !== undefined) pending.set(marked, [...(pending.get(marked) ?? []), name]);
    }
    return { ids, pending };
  }

  async function ids(): Promise<string[]> {
    return (await listing()).ids;
  }

  async function read(id: string): Promise<Conversation> {
    const conversation = parseConversation(await readFile(fileOf(id), 'utf8'));
    if (conversation.id !== id) throw new CorruptConversation(`its id ${conversation.id} does not match the file name`);
    return conversation;
  }

  /** Reads one file into the index: its summary, a problem, or nothing when it is gone. */
  async function refresh(index: IndexData, id: string): Promise<Conversation | undefined> {
    try {
      const conversation = await read(id);
      putConversation(index, summarize(conversation));
      return conversation;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') dropId(index, id);
      else putProblem(index, id, (error as Error).message);
      return undefined;
    }
  }

  /**
   * The stored index, made to agree with the directory. Reads only the files it has to: new,
   * marked pending, or unreadable last time; all of them when the index is missing or damaged.
   */
  async function reconcile(): Promise<{ index: IndexData; changed: boolean; marks: string[]; present: number }> {
    const { ids: present, pending } = await listing();
    const stored = await readIndex(directory);
    const index = stored ?? emptyIndex();
    let changed = stored === undefined;
    const presentSet = new Set(present);
    for (const id of [...index.conversations.keys(), ...index.problems.keys()]) {
      if (!presentSet.has(id)) {
        dropId(index, id);
        changed = true;
      }
    }
    for (const id of present) {
      if (index.conversations.has(id) && !pending.has(id)) continue;
      await refresh(index, id);
      changed = true;
    }
    return { index, changed, marks: [...pending.values()].flat(), present: present.length };
  }

  // The index as last checked or written (a chat keeps its store for the whole session, so
  // every look checks again: other llmo processes save meanwhile).
  let current: IndexData | undefined;

  async function checkedIndex(): Promise<IndexData> {
    const seen = await reconcile();
    current = seen.index;
    // Nothing saved yet: looking must not create the directory or an empty index.
    if (seen.changed && seen.present > 0) await repairIndex();
    else if (seen.changed && (await exists(path.join(directory, INDEX_FILE)))) await repairIndex();
    return current;
  }

  /**
   * Writes back what a reader had to fix, looking again under the lock (a save may have come in
   * meanwhile, and must not be undone). Under the lock no save is half done, so every pending mark
   * seen then belongs to a writer that died: its file was re-read, and the mark goes. A busy lock
   * or a read-only directory is no reason to fail a read: the next reader repairs it.
   */
  async function repairIndex(): Promise<void> {
    try {
      await underLock(async () => {
        const again = await reconcile();
        await writeIndex(again.index);
        current = again.index;
        for (const mark of again.marks) await removeMark(directory, mark);
      });
    } catch {
      // It stays right in memory for this command.
    }
  }

  async function writeIndex(index: IndexData): Promise<void> {
    await writeFileAtomic(path.join(directory, INDEX_FILE), serializeIndex(index));
  }

  /**
   * Writes a conversation file and its index entry as one step for other llmo processes: under
   * the index lock, with a pending mark that outlives a writer killed between the two.
   */
  async function writeAndIndex(id: string, write: () => Promise<void>): Promise<void> {
    await underLock(async () => {
      const mark = pendingMarkName(id);
      await writeFile(path.join(directory, mark), '', { mode: 0o600 });
      try {
        await write();
      } catch (error) {
        await removeMark(directory, mark);
        throw error;
      }
      // Re-read under the lock: another process may have saved since this store looked.
      const index = (await readIndex(directory)) ?? (await checkedIndexUnlocked());
      await refresh(index, id);
      await writeIndex(index);
      current = index;
      await removeMark(directory, mark);
    });
  }

  /** A full rebuild, for when the index is missing while the lock is already held. */
  async function checkedIndexUnlocked(): Promise<IndexData> {
    const index = emptyIndex();
    for (const id of await ids()) await refresh(index, id);
    return index;
  }

  async function resolveId(input: string): Promise<string> {
    const wanted = input.trim().replace(/\.json$/, '');
    // A whole id needs no listing of the directory: one stat says whether it is there.
    if (isConversationId(wanted) && (await exists(fileOf(wanted)))) return wanted;
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
      const index = await checkedIndex();
      return { conversations: sortedSummaries(index), problems: problemsOf(index, fileOf) };
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
      const index = await checkedIndex();
      // The index says which is newest; only that file is read (the next one if it broke meanwhile).
      for (const summary of sortedSummaries(index)) {
        try {
          return remember(await read(summary.id));
        } catch {
          // deleted or damaged since the index was checked: the next newest
        }
      }
      return undefined;
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
      return underLock(async () => {
        const index = await checkedIndexUnlocked();
        await writeIndex(index);
        current = index;
        const { pending } = await listing();
        for (const mark of [...pending.values()].flat()) await removeMark(directory, mark);
        return { conversations: index.conversations.size, problems: index.problems.size };
      });
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
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
