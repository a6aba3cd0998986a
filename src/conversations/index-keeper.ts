/**
 * Keeps the conversation index (conversation-index.ts) in step with the files: a reader checks it
 * against a listing of the directory and repairs what it finds wrong; a writer updates a file and
 * its index entry as one step for other llmo processes, under the index lock.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { withFileLock } from '../fs/file-lock.js';
import {
  dropId,
  emptyIndex,
  INDEX_FILE,
  type IndexData,
  pendingMarkName,
  putConversation,
  putProblem,
  type IndexProblem,
  readIndex,
  readIndexAndIdentity,
  removeMark,
  serializeIndex,
  sortedSummaries,
} from './conversation-index.js';
import { type CheckStart, fileIdentity, readHead, startCheck, writeHead } from './listing-head.js';
import type { ConversationSummary } from './conversation-summary.js';
import { fileExists, listDirectory, readConversationFile } from './conversation-files.js';
import { summarize } from './conversation-summary.js';
import type { Conversation } from './conversation.js';

export interface IndexKeeper {
  /** The index, checked against the directory (and repaired on disk when it was wrong). */
  checked(): Promise<IndexData>;
  /** The newest `limit` conversations (newest first), how many there are, and the unreadable files. */
  newest(limit: number): Promise<{ newest: ConversationSummary[]; total: number; problems: IndexProblem[] }>;
  /** Runs `write` (which changes the file of `id`) and updates the index entry, under the lock. */
  writeAndIndex(id: string, write: () => Promise<void>): Promise<void>;
  /** Rebuilds the index from every file; returns it. */
  rebuild(): Promise<IndexData>;
}

/** A check that found the index right: when it began, and which index file it read. */
interface Verified {
  start: CheckStart;
  identity: string;
}

export function createIndexKeeper(directory: string): IndexKeeper {
  const lockFile = path.join(directory, '.index.lock');
  const indexFile = path.join(directory, INDEX_FILE);
  const underLock = async <T>(action: () => Promise<T>) => {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return withFileLock(lockFile, action, { what: 'the conversations index' });
  };

  /** Reads one file into the index: its summary, a problem, or nothing when it is gone. */
  async function refresh(index: IndexData, id: string): Promise<Conversation | undefined> {
    try {
      const conversation = await readConversationFile(directory, id);
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
  async function reconcile(): Promise<{
    index: IndexData;
    changed: boolean;
    marks: string[];
    present: number;
    /** When the check began, and the identity of the index file it read (if there was one). */
    start: CheckStart;
    identity?: string;
  }> {
    const start = startCheck(directory);
    const { ids: present, pending } = await listDirectory(directory);
    const read = readIndexAndIdentity(directory);
    const stored = read?.index;
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
    return {
      index,
      changed,
      marks: [...pending.values()].flat(),
      present: present.length,
      start,
      ...(read ? { identity: read.identity } : {}),
    };
  }

  // The index as last checked or written (a chat keeps its store for the whole session, so
  // every look checks again: other llmo processes save meanwhile).
  let current: IndexData | undefined;
  /** The identity of the index file `current` is a copy of, while it is one. */
  let currentFile: string | undefined;
  /** `current`, when the index file is still the one it was read from or written as: no need to parse it again. */
  const unchanged = () => (current && currentFile !== undefined && fileIdentity(indexFile) === currentFile ? current : undefined);

  async function checked(): Promise<IndexData> {
    return (await checkedAndVerified()).index;
  }

  /** The checked index, and the check that found it right, when it was. */
  async function checkedAndVerified(): Promise<{ index: IndexData; verified?: Verified }> {
    const seen = await reconcile();
    current = seen.index;
    currentFile = seen.changed ? undefined : seen.identity;
    // Nothing saved yet: looking must not create the directory or an empty index.
    if (seen.changed && seen.present > 0) await repairIndex();
    else if (seen.changed && (await fileExists(indexFile))) await repairIndex();
    // Right as it was, with no save under way: the check vouches for this index file.
    const identity = !seen.changed && seen.marks.length === 0 ? seen.identity : undefined;
    return { index: current, ...(identity !== undefined ? { verified: { start: seen.start, identity } } : {}) };
  }

  async function newest(limit: number): Promise<{ newest: ConversationSummary[]; total: number; problems: IndexProblem[] }> {
    const head = readHead(directory, indexFile, limit);
    if (head) return head;
    const { index, verified } = await checkedAndVerified();
    const sorted = sortedSummaries(index);
    const problems = [...index.problems.values()];
    // The index was right: the next `list` may read just the newest (listing-head.ts).
    if (verified) await writeHead(directory, verified.start, verified.identity, sorted, problems);
    return { newest: sorted.slice(0, limit), total: sorted.length, problems };
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
    await writeFileAtomic(indexFile, serializeIndex(index));
    currentFile = fileIdentity(indexFile);
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
      // Re-read under the lock: another process may have saved since this store looked (unless
      // the file is still the one this store last read or wrote: a continued conversation).
      const index = unchanged() ?? (await readIndex(directory)) ?? (await fullIndex());
      await refresh(index, id);
      await writeIndex(index);
      current = index;
      await removeMark(directory, mark);
    });
  }

  /** A full rebuild, for when the index is missing while the lock is already held. */
  async function fullIndex(): Promise<IndexData> {
    const index = emptyIndex();
    for (const id of (await listDirectory(directory)).ids) await refresh(index, id);
    return index;
  }

  async function rebuild(): Promise<IndexData> {
    return underLock(async () => {
      const index = await fullIndex();
      await writeIndex(index);
      current = index;
      const { pending } = await listDirectory(directory);
      for (const mark of [...pending.values()].flat()) await removeMark(directory, mark);
      return index;
    });
  }

  return { checked, newest, writeAndIndex, rebuild };
}
