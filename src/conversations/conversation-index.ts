/**
 * The conversation index: `.index.json` in the conversations directory, one summary per
 * conversation, so `-c`, `--resume`, `conversations list` and Tab completion never read the
 * whole store. It is a cache of the files, never the truth:
 *
 * - every save and delete updates it under a lock, after writing the conversation file;
 * - a save marks its id with an empty `.<id>.<pid>.pending` file first and removes the mark only
 *   once the index holds the new summary, so a save killed in between leaves a mark that the
 *   next reader sees and re-reads that one file;
 * - a reader compares the index with a listing of the directory (names only, cheap): files
 *   added or deleted behind its back (an older llmo, a hand copy) are read or dropped;
 * - a missing, damaged or foreign index is rebuilt from the files, which reads the store once.
 *
 * Files that did not parse are kept as problems and re-read every time (they are few, and a
 * fixed file then shows up at once).
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Conversation } from './conversation.js';
import type { ConversationSummary, StoreProblem } from './conversation-summary.js';
import { readIndexFile } from './listing-head.js';

export const INDEX_FILE = '.index.json';
// 2: summaries carry `parent` (an index of version 1 is rebuilt, so branches show in the tree).
const INDEX_VERSION = 2;
/** Titles longer than this are cut in the index (list shows the start of a title anyway). */
const MAX_TITLE = 200;

export interface IndexProblem {
  id: string;
  reason: string;
}

export interface IndexData {
  conversations: Map<string, ConversationSummary>;
  problems: Map<string, IndexProblem>;
}

const PENDING = /^\.(chat_[0-9_]+)\.(\d+)\.pending$/;

/** `.chat_…​.<pid>.pending`: a save of that id is (or was, if its writer died) under way. */
export function pendingMarkName(id: string): string {
  return `.${id}.${process.pid}.pending`;
}

/** The id a pending mark names, if `fileName` is one. */
export function idOfPendingMark(fileName: string): string | undefined {
  return PENDING.exec(fileName)?.[1];
}

/** The index as stored, or undefined when it is missing, damaged or from another version. */
export async function readIndex(directory: string): Promise<IndexData | undefined> {
  return readIndexAndIdentity(directory)?.index;
}

/** The index and the identity of the file it was read from (listing-head.ts records it). */
export function readIndexAndIdentity(directory: string): { index: IndexData | undefined; identity: string } | undefined {
  let file: { text: string; identity: string };
  try {
    // One read: the promise API reads a large file in pieces and joins them (measured: a third
    // of `conversations list` with 10,000 conversations, in waits and garbage).
    file = readIndexFile(path.join(directory, INDEX_FILE));
  } catch {
    return undefined;
  }
  return { index: parseIndex(file.text), identity: file.identity };
}

function parseIndex(text: string): IndexData | undefined {
  try {
    const parsed = JSON.parse(text) as { v?: unknown; conversations?: unknown; problems?: unknown };
    if (parsed.v !== INDEX_VERSION || !Array.isArray(parsed.conversations) || !Array.isArray(parsed.problems)) return undefined;
    const conversations = new Map<string, ConversationSummary>();
    for (const entry of parsed.conversations as ConversationSummary[]) {
      if (!isSummary(entry)) return undefined;
      conversations.set(entry.id, entry);
    }
    const problems = new Map<string, IndexProblem>();
    for (const entry of parsed.problems as IndexProblem[]) {
      if (typeof entry?.id !== 'string' || typeof entry.reason !== 'string') return undefined;
      problems.set(entry.id, entry);
    }
    return { conversations, problems };
  } catch {
    return undefined;
  }
}

function isSummary(value: ConversationSummary | undefined): value is ConversationSummary {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.updated_at === 'string' &&
    typeof value.created_at === 'string' &&
    typeof value.model === 'string' &&
    typeof value.messages === 'number' &&
    (value.cost_usd === null || typeof value.cost_usd === 'number')
  );
}

export function serializeIndex(index: IndexData): string {
  return `${JSON.stringify({ v: INDEX_VERSION, conversations: [...index.conversations.values()], problems: [...index.problems.values()] })}\n`;
}

export function indexSummary(summary: ConversationSummary): ConversationSummary {
  return summary.title.length > MAX_TITLE ? { ...summary, title: summary.title.slice(0, MAX_TITLE) } : summary;
}

/** Newest first, as `list` has always shown them. */
export function sortedSummaries(index: IndexData): ConversationSummary[] {
  return [...index.conversations.values()].sort(newestFirst);
}

/**
 * ISO times and ids are ASCII, so plain comparison orders them (localeCompare, ten times slower,
 * was a third of listing 10,000 conversations).
 */
export function newestFirst(left: ConversationSummary, right: ConversationSummary): number {
  if (left.updated_at !== right.updated_at) return left.updated_at < right.updated_at ? 1 : -1;
  return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
}

/** The unreadable files, each named by its path. */
export function problemsOf(problems: Iterable<IndexProblem>, fileOf: (id: string) => string): StoreProblem[] {
  return [...problems].map((problem) => ({ file: fileOf(problem.id), reason: problem.reason }));
}

export function putConversation(index: IndexData, summary: ConversationSummary): void {
  index.problems.delete(summary.id);
  index.conversations.set(summary.id, indexSummary(summary));
}

export function putProblem(index: IndexData, id: string, reason: string): void {
  index.conversations.delete(id);
  index.problems.set(id, { id, reason });
}

export function dropId(index: IndexData, id: string): void {
  index.conversations.delete(id);
  index.problems.delete(id);
}

export function emptyIndex(): IndexData {
  return { conversations: new Map(), problems: new Map() };
}

export async function removeMark(directory: string, markName: string): Promise<void> {
  await unlink(path.join(directory, markName)).catch(() => {});
}

export type ConversationRead = { conversation: Conversation } | { reason: string } | { gone: true };
