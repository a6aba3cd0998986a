/**
 * One response-cache entry on disk: `<key>.json`. Reading it needs nothing but the file system, so
 * the direct answer path (src/cli/ask/direct-answer.ts) shares it with ResponseCache without
 * loading hashing or writing code.
 */
import { readFile, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { FinishReason, Usage } from '../providers/spec.js';

export const ENTRY_VERSION = 1;
/** The folder, among the entries, of the direct-mode memos that point at them (src/cli/ask/direct-answer.ts). */
export const DIRECT_FOLDER = 'direct';

/** What a hit gives back: the answer as the model gave it. */
export interface CachedAnswer {
  text: string;
  reasoning: string;
  finishReason: FinishReason;
  usage: Usage | undefined;
  responseModel: string | undefined;
}

export interface CacheEntry {
  v: number;
  key: string;
  /** Epoch ms the answer was stored. */
  created: number;
  provider: string;
  model: string;
  answer: CachedAnswer;
}

/** Where the response cache keeps its entries, in llmo's cache directory. */
export function responsesDir(cacheDir: string): string {
  return path.join(cacheDir, 'responses');
}

export function entryFile(directory: string, key: string): string {
  return path.join(directory, `${key}.json`);
}

/**
 * The stored answer, or undefined (absent, expired or damaged: the last two are removed). A hit
 * touches the file: eviction goes by mtime, so it moves the entry to the back of the queue.
 */
export async function readCacheEntry(directory: string, key: string, ttlMs: number, now: number): Promise<CacheEntry | undefined> {
  const file = entryFile(directory, key);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const entry = parseEntry(text, key);
  if (!entry || now - entry.created > ttlMs) {
    await unlink(file).catch(() => {});
    return undefined;
  }
  const time = new Date(now);
  await utimes(file, time, time).catch(() => {});
  return entry;
}

export function parseEntry(text: string, key: string): CacheEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<CacheEntry>;
  const answer = entry.answer;
  const valid =
    entry.v === ENTRY_VERSION &&
    entry.key === key &&
    typeof entry.created === 'number' &&
    typeof entry.provider === 'string' &&
    typeof entry.model === 'string' &&
    typeof answer === 'object' &&
    answer !== null &&
    typeof answer.text === 'string' &&
    typeof answer.reasoning === 'string' &&
    typeof answer.finishReason === 'string';
  return valid ? (entry as CacheEntry) : undefined;
}
