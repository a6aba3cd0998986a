import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../providers/spec.js';
import { canonicalJson, requestKey, ResponseCache, type CachedAnswer } from './response-cache.js';

let directory: string;
let now: number;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'llmo-cache-'));
  now = Date.parse('2026-12-01T10:00:00Z');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const cache = (options: { ttlMs?: number; maxBytes?: number } = {}) =>
  new ResponseCache({ directory, ttlMs: options.ttlMs ?? 3_600_000, maxBytes: options.maxBytes ?? 1_000_000, now: () => now });
const answer = (text: string): CachedAnswer => ({
  text,
  reasoning: '',
  finishReason: 'stop',
  usage: { inputTokens: 3, outputTokens: 2 },
  responseModel: 'm-1',
});
const request = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({ messages: [{ role: 'user', content }], ...extra });

describe('requestKey', () => {
  it('is the same for the same request whatever the key order, and differs by model, message or parameter', () => {
    const key = requestKey('openai', 'gpt-4o', request('hi', { temperature: 0.2, maxTokens: 10 }));
    expect(requestKey('openai', 'gpt-4o', { maxTokens: 10, temperature: 0.2, messages: [{ content: 'hi', role: 'user' }] })).toBe(key);
    expect(requestKey('openai', 'gpt-4o-mini', request('hi', { temperature: 0.2, maxTokens: 10 }))).not.toBe(key);
    expect(requestKey('openai', 'gpt-4o', request('hi!', { temperature: 0.2, maxTokens: 10 }))).not.toBe(key);
    expect(requestKey('openai', 'gpt-4o', request('hi', { temperature: 0.3, maxTokens: 10 }))).not.toBe(key);
    const schema = { type: 'json', schema: { type: 'object' } } as ModelRequest['responseFormat'];
    expect(requestKey('openai', 'gpt-4o', request('hi', { temperature: 0.2, maxTokens: 10, responseFormat: schema! }))).not.toBe(key);
  });

  it('leaves undefined values out, as JSON does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [1, { y: 2, x: 1 }] })).toBe('{"b":1,"c":[1,{"x":1,"y":2}]}');
  });
});

describe('ResponseCache', () => {
  it('gives back what was stored, until the TTL passes', async () => {
    const store = cache({ ttlMs: 60_000 });
    await store.put('k1', 'openai', 'gpt-4o', answer('stored'));
    expect((await store.get('k1'))?.answer.text).toBe('stored');
    now += 59_000;
    expect((await store.get('k1'))?.answer.text).toBe('stored');
    now += 2_000;
    expect(await store.get('k1')).toBeUndefined();
    expect(readdirSync(directory)).toEqual([]);
  });

  it('evicts the least recently used entries past the size cap', async () => {
    const size = JSON.stringify({ v: 1, key: 'k1', created: now, provider: 'p', model: 'm', answer: answer('x'.repeat(100)) }).length;
    const store = cache({ maxBytes: size * 3 + 10 });
    for (const key of ['k1', 'k2', 'k3']) {
      await store.put(key, 'p', 'm', answer('x'.repeat(100)));
      now += 1000;
    }
    // k1 is used again, so k2 is now the least recently used.
    expect(await store.get('k1')).toBeDefined();
    now += 1000;
    await store.put('k4', 'p', 'm', answer('x'.repeat(100)));
    expect(readdirSync(directory).sort()).toEqual(['k1.json', 'k3.json', 'k4.json']);
  });

  it('keeps every entry whole with eight concurrent writers, on one key and on eight', async () => {
    const writers = Array.from({ length: 8 }, () => cache());
    await Promise.all(writers.map((store, index) => store.put('same', 'p', 'm', answer(`writer ${index}`))));
    await Promise.all(writers.map((store, index) => store.put(`key${index}`, 'p', 'm', answer(`writer ${index}`))));
    expect((await cache().get('same'))?.answer.text).toMatch(/^writer \d$/);
    for (let index = 0; index < 8; index += 1) expect((await cache().get(`key${index}`))?.answer.text).toBe(`writer ${index}`);
    expect(readdirSync(directory)).toHaveLength(9);
  });

  it('treats a damaged entry as a miss, removes it, and lets the next answer replace it', async () => {
    const store = cache();
    writeFileSync(path.join(directory, 'broken.json'), '{"v":1,"key":"broken","created":');
    expect(await store.get('broken')).toBeUndefined();
    writeFileSync(path.join(directory, 'other.json'), JSON.stringify({ v: 1, key: 'someone-else', created: now }));
    expect(await store.get('other')).toBeUndefined();
    await store.put('broken', 'p', 'm', answer('mended'));
    expect(JSON.parse(readFileSync(path.join(directory, 'broken.json'), 'utf8')).answer.text).toBe('mended');
  });

  it('prunes expired and damaged entries, reports stats, and clears', async () => {
    const store = cache({ ttlMs: 60_000 });
    await store.put('old', 'p', 'm', answer('old'));
    now += 120_000;
    await store.put('new', 'p', 'm', answer('new'));
    writeFileSync(path.join(directory, 'bad.json'), 'not json');
    expect(await store.stats()).toMatchObject({ entries: 3, expired: 2 });
    expect((await store.prune()).removed).toBe(2);
    expect(readdirSync(directory)).toEqual(['new.json']);
    expect(await store.clear()).toMatchObject({ removed: 1 });
    expect((await store.stats()).entries).toBe(0);
  });
});
