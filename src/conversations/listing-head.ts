/**
 * The head of a verified listing: the newest conversations, saved beside the conversations
 * directory, so `conversations list` (the newest 50) reads one small file instead of listing the
 * directory and parsing the whole index, while nothing has changed.
 *
 * "Nothing has changed" is the directory's own word: every save, delete, pending mark, index write
 * and hand copy adds or renames an entry, which moves the directory's mtime. The head records that
 * mtime (and the index file's identity) as seen just before a full check found the index right.
 * Like git's racily clean entries, a change within the same timestamp tick as the recorded mtime
 * would not move it, so a head is written only by a check that began long enough after the
 * directory's last change (settleMs); until then every reader checks in full. The head lives outside the
 * directory because writing it inside would move the mtime it records. A missing, damaged or
 * stale head is a miss, never an error; a conversation file edited in place (not replaced) goes
 * unseen here as it does by the index itself (`llmo conversations reindex`).
 */
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeCheckpoint } from '../fs/atomic-write.js';
import type { IndexProblem } from './conversation-index.js';
import type { ConversationSummary } from './conversation-summary.js';

const HEAD_VERSION = 1;
/** How many of the newest a head keeps: `list` shows 50 unless told more. */
export const HEAD_SIZE = 200;

/** A file's identity as a string (size, mtime to the nanosecond, inode); a directory's without size. */
type Identity = string;

interface Head {
  v: number;
  directory: Identity;
  index: Identity;
  /** Epoch ms just before the directory was listed for the check this head records. */
  checkedAt: number;
  total: number;
  newest: ConversationSummary[];
  problems: IndexProblem[];
}

/** What a full check saw before it began listing: the directory's identity, and when. */
export interface CheckStart {
  directory: Identity | undefined;
  directoryMtimeMs: number;
  /** How long after the directory's last change a check must begin to be trusted (settleMs). */
  settleMs: number;
  at: number;
}

/**
 * A file system that keeps sub-second timestamps stamps a change with the kernel's coarse clock,
 * one tick (at most 10 ms) behind real time: a check that began 100 ms after the recorded mtime
 * saw every change of that tick. One that keeps whole seconds (an mtime on the second: ext3, FAT,
 * some network file systems) needs 2 s, as the configuration cache waits.
 */
function settleMs(mtimeNs: bigint): number {
  return mtimeNs % 1_000_000_000n === 0n ? 2000 : 100;
}

export function headFile(directory: string): string {
  return path.join(path.dirname(directory), `.${path.basename(directory)}.head.json`);
}

export function startCheck(directory: string): CheckStart {
  const stats = statOrUndefined(directory);
  return {
    directory: stats && identity(stats, false),
    directoryMtimeMs: stats ? Number(stats.mtimeNs / 1_000_000n) : 0,
    settleMs: stats ? settleMs(stats.mtimeNs) : 0,
    at: Date.now(),
  };
}

/** The index file's text and identity, read from one descriptor so they belong together. */
export function readIndexFile(file: string): { text: string; identity: Identity } {
  const descriptor = openSync(file, 'r');
  try {
    const stats = fstatSync(descriptor, { bigint: true });
    return { text: readFileSync(descriptor, 'utf8'), identity: identity(stats, true) };
  } finally {
    closeSync(descriptor);
  }
}

/** Remembers a check that found the index (of this identity) right, when it began late enough to be trusted. */
export async function writeHead(
  directory: string,
  start: CheckStart,
  index: Identity,
  sorted: readonly ConversationSummary[],
  problems: readonly IndexProblem[],
): Promise<void> {
  if (start.directory === undefined || start.at - start.directoryMtimeMs < start.settleMs) return;
  const head: Head = {
    v: HEAD_VERSION,
    directory: start.directory,
    index,
    checkedAt: start.at,
    total: sorted.length,
    newest: sorted.slice(0, HEAD_SIZE),
    problems: [...problems],
  };
  await writeCheckpoint(headFile(directory), Buffer.from(JSON.stringify(head))).catch(() => {});
}

/** The newest `limit` conversations, when a head answers for the directory as it is now. */
export function readHead(
  directory: string,
  indexFile: string,
  limit: number,
): { newest: ConversationSummary[]; total: number; problems: IndexProblem[] } | undefined {
  let head: Head;
  try {
    head = JSON.parse(readFileSync(headFile(directory), 'utf8')) as Head;
  } catch {
    return undefined;
  }
  if (head.v !== HEAD_VERSION || !Array.isArray(head.newest) || !Array.isArray(head.problems)) return undefined;
  if (limit > head.newest.length && head.total > head.newest.length) return undefined;
  const directoryNow = statOrUndefined(directory);
  const indexNow = statOrUndefined(indexFile);
  if (!directoryNow || !indexNow || identity(directoryNow, false) !== head.directory || identity(indexNow, true) !== head.index) {
    return undefined;
  }
  return { newest: head.newest.slice(0, limit), total: head.total, problems: head.problems };
}

/** A file's identity now (undefined when it is missing): what readIndexFile would report for it. */
export function fileIdentity(file: string): Identity | undefined {
  const stats = statOrUndefined(file);
  return stats && identity(stats, true);
}

function statOrUndefined(file: string) {
  try {
    return statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
}

function identity(stats: { size: bigint; mtimeNs: bigint; ino: bigint }, withSize: boolean): Identity {
  return `${withSize ? stats.size : ''}:${stats.mtimeNs}:${stats.ino}`;
}
