/**
 * The response cache: one JSON file per answered request, named by the hash of the canonical
 * request. Written atomically (a reader sees the old entry or the new, never half), so any number
 * of llmo processes can share it without a lock: two writers of one key write the same answer,
 * and the last rename wins. Expired entries are misses; past the size cap the least recently
 * used (by file mtime, touched on every hit) go first. A damaged entry is a miss, removed, and
 * replaced by the next answer: the cache can lose answers, never break a call.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { isTempFile, writeFileAtomic } from '../fs/atomic-write.js';
import type { ModelRequest } from '../providers/spec.js';
import {
  type CacheEntry,
  type CachedAnswer,
  DIRECT_FOLDER,
  ENTRY_VERSION,
  entryFile,
  parseEntry,
  readCacheEntry,
} from './cache-entry-file.js';
import type { SemanticSettings } from './semantic-index.js';

export type { CacheEntry, CachedAnswer } from './cache-entry-file.js';

export interface ResponseCacheOptions {
  directory: string;
  ttlMs: number;
  maxBytes: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

export interface CacheStats {
  directory: string;
  entries: number;
  bytes: number;
  expired: number;
  oldest: number | undefined;
  newest: number | undefined;
}

/**
 * The key: a hash of everything that shapes the answer (provider, model, messages with the system
 * prompt, parameters, tools, tool choice, response format, vendor options), in a canonical form so
 * that key order in objects does not matter.
 */
export function requestKey(provider: string, model: string, request: ModelRequest): string {
  const canonical = canonicalJson({ v: ENTRY_VERSION, provider, model, request });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted and undefined values left out, so equal requests hash equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export class ResponseCache {
  readonly #now: () => number;
  /** `cache.semantic`: near-duplicate single-turn prompts answered too (semantic-index.ts); off when undefined. */
  semantic: SemanticSettings | undefined;

  constructor(private readonly options: ResponseCacheOptions) {
    this.#now = options.now ?? Date.now;
  }

  get directory(): string {
    return this.options.directory;
  }

  /** The stored answer, or undefined (absent, expired or damaged: the last two are removed). */
  get(key: string): Promise<CacheEntry | undefined> {
    return readCacheEntry(this.options.directory, key, this.options.ttlMs, this.#now());
  }

  async put(key: string, provider: string, model: string, answer: CachedAnswer): Promise<void> {
    const entry: CacheEntry = { v: ENTRY_VERSION, key, created: this.#now(), provider, model, answer };
    const file = entryFile(this.options.directory, key);
    await writeFileAtomic(file, JSON.stringify(entry));
    const now = new Date(this.#now());
    await utimes(file, now, now).catch(() => {});
    await this.#evict(false);
  }

  /** Removes expired and damaged entries, then the least recently used past the size cap. */
  async prune(): Promise<{ removed: number; bytes: number }> {
    await this.#forgetDirectAnswers();
    return this.#evict(true);
  }

  async clear(): Promise<{ removed: number; bytes: number }> {
    await this.#forgetDirectAnswers();
    const files = await this.#list();
    let bytes = 0;
    for (const file of files) {
      bytes += file.size;
      await rm(file.path, { force: true });
    }
    return { removed: files.length, bytes };
  }

  /**
   * The direct-mode memos (src/cli/ask/direct-answer.ts) name entries; each is a small hint that
   * the next ordinary answer writes again, so they go whole rather than one by one.
   */
  async #forgetDirectAnswers(): Promise<void> {
    await rm(path.join(this.options.directory, DIRECT_FOLDER), { recursive: true, force: true });
  }

  async stats(): Promise<CacheStats> {
    const files = await this.#list();
    let expired = 0;
    for (const file of files) if (this.#expired(await this.#createdOf(file.path))) expired += 1;
    const times = files.map((file) => file.mtimeMs);
    return {
      directory: this.options.directory,
      entries: files.length,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      expired,
      oldest: times.length ? Math.min(...times) : undefined,
      newest: times.length ? Math.max(...times) : undefined,
    };
  }

  #expired(created: number): boolean {
    return this.#now() - created > this.options.ttlMs;
  }

  async #createdOf(file: string): Promise<number> {
    try {
      return parseEntry(await readFile(file, 'utf8'), path.basename(file, '.json'))?.created ?? 0;
    } catch {
      return 0;
    }
  }

  async #evict(thorough: boolean): Promise<{ removed: number; bytes: number }> {
    const files = await this.#list();
    let total = files.reduce((sum, file) => sum + file.size, 0);
    let removed = 0;
    let freed = 0;
    const remove = async (file: CacheFile) => {
      await unlink(file.path).catch(() => {});
      total -= file.size;
      freed += file.size;
      removed += 1;
    };
    let kept = files;
    if (thorough) {
      kept = [];
      for (const file of files) {
        const created = await this.#createdOf(file.path);
        if (created === 0 || this.#expired(created)) await remove(file);
        else kept.push(file);
      }
    }
    if (total > this.options.maxBytes) {
      kept.sort((a, b) => a.mtimeMs - b.mtimeMs);
      for (const file of kept) {
        if (total <= this.options.maxBytes) break;
        await remove(file);
      }
    }
    return { removed, bytes: freed };
  }

  async #list(): Promise<CacheFile[]> {
    let names: string[];
    try {
      names = await readdir(this.options.directory);
    } catch {
      return [];
    }
    const files: CacheFile[] = [];
    for (const name of names) {
      if (isTempFile(name) || !name.endsWith('.json')) continue;
      const file = path.join(this.options.directory, name);
      try {
        const info = await stat(file);
        files.push({ path: file, size: info.size, mtimeMs: info.mtimeMs });
      } catch {
        // Removed by another process between the listing and the stat.
      }
    }
    return files;
  }
}

interface CacheFile {
  path: string;
  size: number;
  mtimeMs: number;
}
