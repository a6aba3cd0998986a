/**
 * Totals of a month's usage log kept beside it (`usage/2026-11.spend.json`), so a budget check or
 * `llmo usage` costs the same at 10 records and 10 million: the digest covers the log up to a byte
 * offset, and only the lines appended after it are read ("the tail").
 *
 * A digest is a cache, never the truth, and needs no lock: each one written is the exact total of
 * the log's first `offset` bytes, so when two processes write theirs at once either is right (the
 * older one only leaves a longer tail). It is trusted only while the log is the same file
 * (device and inode), at least `offset` bytes long, with the same bytes just before `offset`, and
 * not modified since when it has not grown; a log replaced, truncated or rewritten, or a digest
 * missing or damaged, means one streaming read of the whole month, after which the digest is
 * written again. (A hand edit of old lines that also appends is not noticed: delete the digest.)
 *
 * Records are totalled per UTC quarter hour: every time zone's offset is a whole number of
 * quarter hours, so each quarter falls within one local day wherever the user is, and days,
 * months and `--since` dates are summed from quarters exactly.
 */
import { type FileHandle, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { openLogFile, readLogLines } from './read-log.js';
import { monthFile } from './usage-log.js';
import type { UsageRecord } from './usage-record.js';

const DIGEST_VERSION = 1;
/** Bytes of log read past a digest before it is worth writing a new one (a few hundred records). */
const REWRITE_AFTER_BYTES = 64 << 10;
const FINGERPRINT_BYTES = 256;

export interface DigestKind<T> {
  /** `spend` → `2026-11.spend.json`. */
  name: string;
  empty(): T;
  add(data: T, record: UsageRecord): void;
  toJson(data: T): unknown;
  /** Undefined when the stored value is not one of these (damaged, another version). */
  fromJson(json: unknown): T | undefined;
}

export interface MonthDigest<T> {
  /** The log's bytes covered. */
  offset: number;
  identity: string;
  fingerprint: string;
  /** Damaged lines among them. */
  skipped: number;
  /** The log's mtime when the digest covered all of it (0: unknown): a later change with no growth is a rewrite. */
  mtimeMs: number;
  data: T;
  /** The offset of the digest as stored on disk (to know when writing a new one is worth it). */
  storedOffset: number;
  /** The log ends in part of a line, after `offset` (torn, or still arriving). Not stored. */
  unfinished: boolean;
}

export function digestFile(usageDir: string, month: string, kind: { name: string }): string {
  return path.join(usageDir, `${month}.${kind.name}.json`);
}

/**
 * The digest of a month's log as it is now: from `previous` (this process's last look) or the
 * stored digest, plus the tail. Undefined when the month has no log.
 */
export async function catchUpMonth<T>(
  usageDir: string,
  month: string,
  kind: DigestKind<T>,
  previous?: MonthDigest<T>,
): Promise<MonthDigest<T> | undefined> {
  const file = monthFile(usageDir, month);
  const handle = await openLogFile(file);
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    const identity = `${stat.dev}:${stat.ino}`;
    let digest = previous ?? (await readDigest(usageDir, month, kind));
    if (digest && !(await stillCovers(handle, digest, identity, stat))) digest = undefined;
    digest ??= { offset: 0, identity, fingerprint: '', skipped: 0, mtimeMs: 0, data: kind.empty(), storedOffset: -1, unfinished: false };
    digest.unfinished = false;
    if (stat.size > digest.offset) {
      const { end, skipped, unfinished } = await readLogLines(handle, digest.offset, (record) => kind.add(digest.data, record));
      digest.skipped += skipped;
      digest.unfinished = unfinished;
      if (end !== digest.offset) {
        digest.offset = end;
        digest.fingerprint = await fingerprintAt(handle, end);
      }
    }
    digest.mtimeMs = digest.offset === stat.size ? stat.mtimeMs : 0;
    if (digest.offset - Math.max(digest.storedOffset, 0) >= REWRITE_AFTER_BYTES) writeDigest(usageDir, month, kind, digest);
    return digest;
  } finally {
    await handle.close();
  }
}

async function readDigest<T>(usageDir: string, month: string, kind: DigestKind<T>): Promise<MonthDigest<T> | undefined> {
  try {
    const json = JSON.parse(await readFile(digestFile(usageDir, month, kind), 'utf8')) as Record<string, unknown>;
    if (json.v !== DIGEST_VERSION) return undefined;
    const { offset, identity, fingerprint, skipped, mtimeMs } = json;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
    if (typeof identity !== 'string' || typeof fingerprint !== 'string' || typeof skipped !== 'number') return undefined;
    if (typeof mtimeMs !== 'number') return undefined;
    const data = kind.fromJson(json.data);
    if (data === undefined) return undefined;
    return { offset, identity, fingerprint, skipped, mtimeMs, data, storedOffset: offset, unfinished: false };
  } catch {
    // Missing or damaged: rebuilt from the log.
    return undefined;
  }
}

/** A cache that cannot be written (a read-only directory) only costs the next reader time. */
function writeDigest<T>(usageDir: string, month: string, kind: DigestKind<T>, digest: MonthDigest<T>): void {
  const { offset, identity, fingerprint, skipped, mtimeMs } = digest;
  const json = { v: DIGEST_VERSION, offset, identity, fingerprint, skipped, mtimeMs, data: kind.toJson(digest.data) };
  try {
    writeFileAtomic(digestFile(usageDir, month, kind), Buffer.from(`${JSON.stringify(json)}\n`));
    digest.storedOffset = offset;
  } catch {
    // left for the next reader
  }
}

async function stillCovers(
  handle: FileHandle,
  digest: MonthDigest<unknown>,
  identity: string,
  stat: { size: number; mtimeMs: number },
): Promise<boolean> {
  if (digest.identity !== identity || stat.size < digest.offset) return false;
  // Not grown, yet changed since the digest read all of it: rewritten in place.
  if (stat.size === digest.offset && digest.mtimeMs !== 0 && stat.mtimeMs !== digest.mtimeMs) return false;
  return (await fingerprintAt(handle, digest.offset)) === digest.fingerprint;
}

/** The bytes just before `offset`: a log rewritten in place rarely keeps them. */
async function fingerprintAt(handle: FileHandle, offset: number): Promise<string> {
  const start = Math.max(0, offset - FINGERPRINT_BYTES);
  const bytes = Buffer.alloc(offset - start);
  if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, start);
  return bytes.toString('base64');
}

/** `2026-11-03T14:30` for a record at 14:37: the UTC quarter hour it falls in. */
export function quarterOf(isoTime: string): string {
  const minute = Number(isoTime.slice(14, 16));
  return `${isoTime.slice(0, 14)}${String(minute - (minute % 15)).padStart(2, '0')}`;
}

/** The start of a quarter as a Date. */
export function quarterStart(quarter: string): Date {
  return new Date(`${quarter}:00.000Z`);
}

/** Spend per quarter hour: all a budget check needs. */
export type SpendByQuarter = Map<string, number>;

export const spendDigest: DigestKind<SpendByQuarter> = {
  name: 'spend',
  empty: () => new Map(),
  add(data, record) {
    if (record.cost_usd === null) return;
    const quarter = quarterOf(record.time);
    data.set(quarter, (data.get(quarter) ?? 0) + record.cost_usd);
  },
  toJson: (data) => Object.fromEntries(data),
  fromJson(json) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const data: SpendByQuarter = new Map();
    for (const [quarter, usd] of Object.entries(json)) {
      if (typeof usd !== 'number' || !Number.isFinite(usd)) return undefined;
      data.set(quarter, usd);
    }
    return data;
  },
};
