/**
 * The semantic cache's index, on top of the response cache: for each scope (one model, one system
 * prompt, one temperature and the other settings that shape an answer), the embedding of each
 * cached single-turn prompt and the response-cache key of its answer. A new prompt whose embedding
 * is close enough to a stored one (cosine similarity ≥ the threshold) gets that answer. One file
 * per scope, written atomically: concurrent writers can lose an index entry, never break a call.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { ModelRequest } from '../providers/spec.js';
import { canonicalJson } from './response-cache.js';

const INDEX_VERSION = 1;
/** Past this many prompts in one scope the oldest go first: a linear scan stays quick. */
const MAX_ENTRIES_PER_SCOPE = 1000;

/** What the embedding model gave for a prompt, and what asking it cost (recorded in the usage log). */
export interface Embedding {
  vector: number[];
  provider: string;
  model: string;
  inputTokens: number | undefined;
  costUsd: number | undefined;
  durationMs: number;
}

/** `cache.semantic` as a run uses it: the threshold, and the embedding model behind a function. */
export interface SemanticSettings {
  threshold: number;
  embed(text: string): Promise<Embedding>;
  index: SemanticIndex;
}

interface IndexEntry {
  key: string;
  vector: number[];
  created: number;
}

/**
 * The scope and the prompt of a request the semantic cache may answer, or undefined: only one user
 * turn of plain text (a conversation's answer depends on all of it), and no tools (an agent's step
 * must see the world as it is now).
 */
export function semanticScope(provider: string, model: string, request: ModelRequest): { scope: string; prompt: string } | undefined {
  if (request.tools?.length) return undefined;
  const users = request.messages.filter((message) => message.role === 'user');
  const others = request.messages.filter((message) => message.role !== 'user' && message.role !== 'system');
  const [user] = users;
  if (users.length !== 1 || others.length > 0 || typeof user?.content !== 'string') return undefined;
  const system = request.messages.flatMap((message) => (message.role === 'system' ? [message.content] : []));
  const { messages: _messages, cacheHint: _hint, ...settings } = request;
  const scope = createHash('sha256')
    .update(canonicalJson({ v: INDEX_VERSION, provider, model, system, temperature: request.temperature ?? null, settings }))
    .digest('hex');
  return { scope, prompt: user.content };
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export class SemanticIndex {
  constructor(readonly directory: string) {}

  #file(scope: string): string {
    return path.join(this.directory, `${scope}.json`);
  }

  async #read(scope: string): Promise<IndexEntry[]> {
    try {
      const value = JSON.parse(await readFile(this.#file(scope), 'utf8')) as { v?: unknown; entries?: unknown };
      if (value.v !== INDEX_VERSION || !Array.isArray(value.entries)) return [];
      return value.entries.filter(
        (entry: Partial<IndexEntry>) =>
          typeof entry?.key === 'string' && Array.isArray(entry.vector) && entry.vector.every((x) => typeof x === 'number'),
      ) as IndexEntry[];
    } catch {
      return [];
    }
  }

  /** The closest stored prompt of the scope, however close. */
  async nearest(scope: string, vector: readonly number[]): Promise<{ key: string; similarity: number } | undefined> {
    let best: { key: string; similarity: number } | undefined;
    for (const entry of await this.#read(scope)) {
      const similarity = cosineSimilarity(vector, entry.vector);
      if (!best || similarity > best.similarity) best = { key: entry.key, similarity };
    }
    return best;
  }

  async add(scope: string, key: string, vector: readonly number[], now = Date.now()): Promise<void> {
    const entries = (await this.#read(scope)).filter((entry) => entry.key !== key);
    entries.push({ key, vector: [...vector], created: now });
    await writeFileAtomic(this.#file(scope), JSON.stringify({ v: INDEX_VERSION, entries: entries.slice(-MAX_ENTRIES_PER_SCOPE) }));
  }

  async stats(): Promise<{ scopes: number; entries: number }> {
    let scopes = 0;
    let entries = 0;
    for (const name of await this.#names()) {
      scopes += 1;
      entries += (await this.#read(name.replace(/\.json$/, ''))).length;
    }
    return { scopes, entries };
  }

  async clear(): Promise<number> {
    const names = await this.#names();
    for (const name of names) await rm(path.join(this.directory, name), { force: true });
    return names.length;
  }

  async #names(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
    } catch {
      return [];
    }
  }
}
