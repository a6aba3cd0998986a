import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../providers/spec.js';
import { cosineSimilarity, SemanticIndex, semanticScope } from './semantic-index.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'llmo-semantic-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const ask = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
  ...extra,
});

describe('semanticScope', () => {
  it('is the same for the same model, system prompt and temperature, whatever the prompt', () => {
    const one = semanticScope('openai', 'gpt-4o-mini', ask('capital of France?', { temperature: 0 }));
    const two = semanticScope('openai', 'gpt-4o-mini', ask("What's France's capital?", { temperature: 0 }));
    expect(one?.scope).toBe(two?.scope);
    expect(two?.prompt).toBe("What's France's capital?");
  });

  it('differs for another model, system prompt or temperature', () => {
    const base = semanticScope('openai', 'gpt-4o-mini', ask('q', { temperature: 0 }))?.scope;
    expect(semanticScope('openai', 'gpt-6-luna', ask('q', { temperature: 0 }))?.scope).not.toBe(base);
    expect(semanticScope('openai', 'gpt-4o-mini', ask('q', { temperature: 1 }))?.scope).not.toBe(base);
    const otherSystem: ModelRequest = {
      messages: [
        { role: 'system', content: 'Be long.' },
        { role: 'user', content: 'q' },
      ],
      temperature: 0,
    };
    expect(semanticScope('openai', 'gpt-4o-mini', otherSystem)?.scope).not.toBe(base);
  });

  it('refuses more than one user turn, tools, and attachments', () => {
    const twoTurns: ModelRequest = {
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
    };
    expect(semanticScope('openai', 'm', twoTurns)).toBeUndefined();
    expect(semanticScope('openai', 'm', ask('q', { tools: [{ name: 'fs.read', inputSchema: { type: 'object' } }] }))).toBeUndefined();
    const image: ModelRequest = {
      messages: [{ role: 'user', content: [{ type: 'image', mediaType: 'image/png', source: { type: 'url', url: 'https://x/y.png' } }] }],
    };
    expect(semanticScope('openai', 'm', image)).toBeUndefined();
  });
});

describe('SemanticIndex', () => {
  it('finds the closest prompt of a scope, and nothing in another', async () => {
    const index = new SemanticIndex(directory);
    await index.add('a'.repeat(64), 'key-1', [1, 0, 0]);
    await index.add('a'.repeat(64), 'key-2', [0, 1, 0]);
    expect(await index.nearest('a'.repeat(64), [0.97, Math.sqrt(1 - 0.97 ** 2), 0])).toEqual({
      key: 'key-1',
      similarity: expect.closeTo(0.97, 6),
    });
    expect(await index.nearest('b'.repeat(64), [1, 0, 0])).toBeUndefined();
    expect(await index.stats()).toEqual({ scopes: 1, entries: 2 });
    expect(await index.clear()).toBe(1);
    expect(await index.nearest('a'.repeat(64), [1, 0, 0])).toBeUndefined();
  });

  it('measures cosine similarity, 0 for vectors that cannot be compared', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 9);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 0], [1, 0, 0])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
  });
});
