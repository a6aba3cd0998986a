/**
 * The usage log: JSON Lines, one file per UTC month (`usage/2026-11.jsonl`), one line per call.
 * See docs/usage-log.md for why: appends from several processes stay whole because each record is
 * a single O_APPEND write of well under 4 KiB; a crash can tear at most the last line, which
 * readers skip; and a query reads only the months it needs.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { openLogFile, readLogLines } from './read-log.js';
import { errorMessage } from '../errors.js';
import type { UsageEntry } from './accounting.js';
import { formatRecord, parseRecord, toRecord, type UsageRecord } from './usage-record.js';

const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl$/;

/** `2026-11` for an ISO UTC time. Records are filed by the UTC month of the time they started. */
export function monthOf(isoTime: string): string {
  return isoTime.slice(0, 7);
}

export function monthFile(usageDir: string, month: string): string {
  return path.join(usageDir, `${month}.jsonl`);
}

/**
 * Appends one record. The line goes out in one write(2) on a file opened O_APPEND, so the kernel
 * places it at the end even when other processes append at the same moment, and Linux does not
 * interleave the bytes of one write to a regular file with another's. If the file ends in a torn
 * line (a crash mid-write, a full disk) the record starts on a new line, so it is not glued to
 * the fragment and lost with it.
 *
 * Group commit: while one append to a month file is under way (from its scheduling to its
 * write, a tick at least, longer while a torn tail is looked at again), the records that arrive
 * for the same file wait and then go out together in the next single write. A batch at
 * concurrency 16 finished calls faster than open + stat + write + close per record allowed when
 * those went through the thread pool (measured: the largest cost of a local batch line after the
 * SDK's own), and nothing is traded for it: each promise still resolves only once its own line
 * is written, and a kill loses at most the lines of the one write under way, as before.
 */
export function appendRecord(usageDir: string, record: UsageRecord): Promise<void> {
  const file = monthFile(usageDir, monthOf(record.time));
  let group = waitingGroups.get(file);
  if (!group || group.lines.length >= GROUP_MOST) {
    const created: Group = { lines: [], written: Promise.resolve() };
    const previous = writesUnderWay.get(file) ?? Promise.resolve();
    created.written = previous.then(() => {
      if (waitingGroups.get(file) === created) waitingGroups.delete(file);
      return appendLines(usageDir, file, created.lines.join(''));
    });
    const settled = created.written.catch(() => undefined);
    writesUnderWay.set(file, settled);
    void settled.then(() => {
      if (writesUnderWay.get(file) === settled) writesUnderWay.delete(file);
    });
    waitingGroups.set(file, created);
    group = created;
  }
  group.lines.push(formatRecord(record));
  return group.written;
}

/**
 * Appends the record of a call; a log that cannot be written costs the record, never the answer:
 * `warn` is told where and why (the accounting and ask's direct answers both go through here).
 */
export async function appendEntryOrWarn(usageDir: string, entry: UsageEntry, warn: (message: string) => void): Promise<void> {
  try {
    await appendRecord(usageDir, toRecord(entry));
  } catch (error) {
    try {
      warn(`could not write the usage log in ${usageDir}: ${errorMessage(error)}; this call is not counted`);
    } catch {
      // Not even stderr: nothing left to tell.
    }
  }
}

/** Records per write at most, so one write stays a few pages long. */
const GROUP_MOST = 32;

interface Group {
  lines: string[];
  written: Promise<void>;
}

/** Records waiting for the write under way to their file to end, by file. */
const waitingGroups = new Map<string, Group>();
/** The write under way to each file (settled, never rejected). */
const writesUnderWay = new Map<string, Promise<unknown>>();
/** Usage directories this process has made sure exist. */
const madeDirectories = new Set<string>();

/**
 * One append, in synchronous calls: open, look at the last byte, write, close take microseconds
 * on a local file, where the same calls through the thread pool cost ~0.4 ms of CPU per record
 * (measured: the largest cost of a chain step after the SDK's own, with the checkpoint's).
 */
async function appendLines(usageDir: string, file: string, text: string): Promise<void> {
  if (!madeDirectories.has(usageDir)) {
    mkdirSync(usageDir, { recursive: true, mode: 0o700 });
    madeDirectories.add(usageDir);
  }
  let descriptor: number;
  try {
    descriptor = openSync(file, 'a+', 0o600);
  } catch (error) {
    // The directory was removed since this process made it.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(usageDir, { recursive: true, mode: 0o700 });
    descriptor = openSync(file, 'a+', 0o600);
  }
  try {
    const prefix = (await endsInTornLine(descriptor)) ? '\n' : '';
    const bytes = Buffer.from(prefix + text);
    const bytesWritten = writeSync(descriptor, bytes);
    // A short write (a full disk, a quota) would leave a torn line and calls nobody counts.
    if (bytesWritten !== bytes.length) {
      throw Object.assign(new Error(`only ${bytesWritten} of ${bytes.length} bytes were written`), { code: 'ENOSPC' });
    }
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Whether the file ends in part of a line. Readers are not locked out while another process
 * writes, and a record that crosses a page boundary becomes visible page by page, so an
 * unfinished tail may just be someone else's append in flight: look again a moment later before
 * calling it torn. Getting it wrong either way costs only a blank line, which readers skip.
 */
async function endsInTornLine(descriptor: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  for (let attempt = 0; ; attempt++) {
    const { size } = fstatSync(descriptor);
    if (size === 0) return false;
    readSync(descriptor, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    if (attempt === 3) return true;
    await new Promise((resolve) => setTimeout(resolve, 1 + attempt * 2));
  }
}

/** The months that have a file, oldest first. */
export async function listMonths(usageDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(usageDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => MONTH_FILE.exec(name)?.[1])
    .filter((month): month is string => month !== undefined)
    .sort();
}

export interface ReadOptions {
  /** Only records at or after this time. */
  since?: Date;
  /** Only records before this time. */
  until?: Date;
}

/**
 * Visits the records in a time range, opening only the month files that can hold them. Records
 * are handed over one by one rather than collected, so 100,000 of them never sit in memory at
 * once (which, measured, is what made the garbage collector the second-largest cost).
 * Returns how many lines were damaged.
 */
export async function forEachRecord(
  usageDir: string,
  options: ReadOptions,
  visit: (record: UsageRecord) => void,
): Promise<{ skipped: number; damaged: string[] }> {
  const since = options.since?.toISOString();
  const until = options.until?.toISOString();
  let skipped = 0;
  const damaged: string[] = [];
  for (const month of await listMonths(usageDir)) {
    if (since !== undefined && month < monthOf(since)) continue;
    if (until !== undefined && month > monthOf(until)) continue;
    const file = monthFile(usageDir, month);
    // Read a chunk at a time (read-log.ts): a month file of any size fits in the same memory.
    const handle = await openLogFile(file);
    if (!handle) continue;
    try {
      const lines: number[] = [];
      const read = await readLogLines(
        handle,
        0,
        (record) => {
          // ISO UTC times compare correctly as text, which keeps 100,000 records cheap to filter.
          if (since !== undefined && record.time < since) return;
          if (until !== undefined && record.time >= until) return;
          visit(record);
        },
        lines,
      );
      damaged.push(...lines.map((line) => `${file}:${line}`));
      // Read to its end, a log that ends in part of a line ends in damage (a write cut short).
      skipped += read.skipped + (read.unfinished ? 1 : 0);
    } finally {
      await handle.close();
    }
  }
  return { skipped, damaged };
}

/** Every record in a chunk of the log; returns the damaged lines (blank lines are not damage). */
export function visitLines(text: string, visit: (record: UsageRecord) => void, damagedLines?: number[]): number {
  let skipped = 0;
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    lineNumber++;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const record = parseRecord(text.slice(start, end));
      if (record) visit(record);
      else {
        skipped++;
        damagedLines?.push(lineNumber);
      }
    }
    start = end + 1;
  }
  return skipped;
}

export interface ParsedLines {
  records: UsageRecord[];
  /** Lines that were not records (torn by a crash, edited by hand). */
  skipped: number;
}

/** The records in a time range, collected (tests and small ranges). */
export async function readRecords(usageDir: string, options: ReadOptions = {}): Promise<ParsedLines> {
  const records: UsageRecord[] = [];
  const { skipped } = await forEachRecord(usageDir, options, (record) => records.push(record));
  return { records, skipped };
}
