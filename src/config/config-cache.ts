/**
 * Parsed configuration files, cached in the runtime directory. Parsing models.yaml and config.yaml
 * is the largest single cost of a short `llmo ask` (≈ 60 ms of a 350 ms run on a 2-core machine);
 * a run whose files did not change reads their parsed values back from one small JSON file instead.
 *
 * An entry is keyed by every source file's path and identity (size, mtime, ctime, inode, or
 * "missing"), so an edit, an atomic replace or a new ./.llmo.yaml all miss. The cache is a hint:
 * any problem reading or writing it means "parse the files", never an error.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

const FORMAT = 1;
const CACHE_FILE = 'config-cache.json';
/** Distinct file sets kept (a project's ./.llmo.yaml makes one set per working directory). */
const MAX_ENTRIES = 8;
/**
 * A file modified this recently is not cached: a second write within the file system's timestamp
 * granularity, of the same size, would otherwise go unnoticed (git's "racy" files).
 */
const SETTLE_MS = 2000;

export type Stamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number] | null;

interface Entry {
  files: string[];
  stamps: Stamp[];
  /** The parsed value of each file that exists, in `files` order (null for a missing file). */
  values: unknown[];
}

interface CacheFile {
  format: number;
  entries: Entry[];
}

export interface ConfigCache {
  /** The parsed values of `files` (undefined for a missing file), when nothing changed since they were stored. */
  values: (unknown | undefined)[] | undefined;
  /** Remembers the parsed values of `files` (undefined for a missing file) for the next run. */
  store(values: readonly (unknown | undefined)[]): void;
}

/**
 * Opens the cache for this set of files. Costs a few stat calls and one small read. `name`: the
 * cache file, so that other YAML (chain files) has its own and never pushes the configuration out.
 */
export function openConfigCache(runtimeDir: string, files: readonly string[], name = CACHE_FILE): ConfigCache {
  const cacheFile = path.join(runtimeDir, name);
  const stamps = files.map(stampOf);
  const stored = readCache(runtimeDir, cacheFile);
  const hit = stored?.entries.find((entry) => sameFiles(entry.files, files) && sameStamps(entry.stamps, stamps));
  return {
    values: hit ? hit.values.map((value, index) => (stamps[index] === null ? undefined : value)) : undefined,
    store(values) {
      if (hit) return;
      if (!settled(stamps)) return;
      const entry: Entry = { files: [...files], stamps, values: values.map((value) => value ?? null) };
      const others = (stored?.entries ?? []).filter((candidate) => !sameFiles(candidate.files, files));
      const text = serialise({ format: FORMAT, entries: [entry, ...others].slice(0, MAX_ENTRIES) });
      if (text !== undefined) writeCache(runtimeDir, cacheFile, text);
    },
  };
}

export function stampOf(file: string): Stamp {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino] : null;
  } catch {
    // Unreadable (EACCES, ENOTDIR…): let the parser report it, and never match a cached entry.
    return [-1, Number.NaN, Number.NaN, -1];
  }
}

/** Whether none of the files was modified so recently that a second same-size write could go unseen. */
export function settled(stamps: readonly Stamp[], now = Date.now()): boolean {
  return stamps.every((stamp) => stamp === null || now - stamp[1] >= SETTLE_MS);
}

function sameFiles(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((file, index) => file === right[index]);
}

function sameStamps(left: readonly Stamp[], right: readonly Stamp[]): boolean {
  return (
    left.length === right.length &&
    left.every((stamp, index) => {
      const other = right[index];
      if (stamp === null || other === null || other === undefined) return stamp === other;
      return stamp.length === other.length && stamp.every((field, position) => field === other[position]);
    })
  );
}

/** JSON of the cache, or undefined when JSON cannot hold the values faithfully (YAML's .inf and .nan). */
function serialise(content: CacheFile): string | undefined {
  let faithful = true;
  const text = JSON.stringify(content, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) faithful = false;
    return value;
  });
  return faithful ? text : undefined;
}

/**
 * The runtime directory must be ours and closed to others: a cache someone else could write
 * would let them redirect base URLs, and with them our API keys.
 */
function isPrivateDirectory(directory: string): boolean {
  const stats = lstatSync(directory, { throwIfNoEntry: false });
  if (!stats?.isDirectory()) return false;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return false;
  return process.platform === 'win32' || (stats.mode & 0o077) === 0;
}

function readCache(runtimeDir: string, cacheFile: string): CacheFile | undefined {
  try {
    if (!isPrivateDirectory(runtimeDir)) return undefined;
    const parsed = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheFile;
    return parsed.format === FORMAT && Array.isArray(parsed.entries) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole and renamed into place: a reader sees the old cache or the new one, never half. */
function writeCache(runtimeDir: string, cacheFile: string, text: string): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    if (!isPrivateDirectory(runtimeDir)) return;
    // No fsync: after a crash a torn file fails to parse, which is a miss, never a wrong hit.
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, text);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, cacheFile);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}
