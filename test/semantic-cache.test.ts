import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({
  providers: ['openai', 'anthropic'],
  config:
    'request:\n  retries: 0\ncache:\n  enabled: true\n  semantic:\n    embedding_model: openai:text-embedding-3-small\n    threshold: 0.95\n',
});
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

const ask = (model: string, prompt: string) => e2e.run(['ask', '--no-save', '-m', model, '-s', 'Answer in one word.', prompt]);
/** An embedding at the given cosine similarity to [1, 0, 0]. */
const near = (similarity: number) => [similarity, Math.sqrt(1 - similarity ** 2), 0];

it('answers a near-duplicate at 0.97 with no request, asks a different prompt, and never crosses models', async () => {
  fake.enqueue('openai', { embeddings: [[1, 0, 0]] });
  fake.enqueue('anthropic', { text: 'Paris.' });
  const first = await ask('haiku', 'What is the capital of France?');
  expect(first.stdout).toBe('Paris.\n');
  expect(fake.requestsFor('anthropic')).toHaveLength(1);

  fake.enqueue('openai', { embeddings: [near(0.97)] });
  const second = await ask('haiku', "What's the capital city of France?");
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toBe('Paris.\n');
  expect(fake.requestsFor('anthropic')).toHaveLength(1);

  fake.enqueue('openai', { embeddings: [near(0.5)] });
  fake.enqueue('anthropic', { text: 'Berlin.' });
  expect((await ask('haiku', 'What is the capital of Germany?')).stdout).toBe('Berlin.\n');
  expect(fake.requestsFor('anthropic')).toHaveLength(2);

  // The very same embedding, but another model: its answers are its own.
  fake.enqueue('openai', { embeddings: [[1, 0, 0]] });
  fake.enqueue('anthropic', { text: 'Paris, from Sonnet.' });
  expect((await ask('sonnet', 'What is the capital of France?')).stdout).toBe('Paris, from Sonnet.\n');
  expect(fake.requestsFor('anthropic')).toHaveLength(3);

  const { records } = await readRecords(path.join(home, 'usage'));
  const answers = records.filter((record) => record.provider === 'anthropic');
  expect(answers.map((record) => [record.cached, record.similarity])).toEqual([
    [false, undefined],
    [true, 0.97],
    [false, undefined],
    [false, undefined],
  ]);
  // Each embedding was a paid call, and is in the log.
  expect(records.filter((record) => record.model === 'text-embedding-3-small')).toHaveLength(4);

  const stats = await e2e.run(['cache', 'stats']);
  expect(stats.stdout).toMatch(/^semantic hits\s+1$/m);
  expect(stats.stdout).toMatch(/^similarity\s+min 0\.970, median 0\.970, max 0\.970$/m);
  expect(stats.stdout).toMatch(/^semantic prompts\s+3 in 2 scopes$/m);
});

it('is not asked for a conversation of more than one user turn', async () => {
  fake.enqueue('anthropic', { text: 'First.' });
  const first = await e2e.run(['ask', '-m', 'haiku', 'Question one']);
  expect(first.code, first.stderr).toBe(0);
  fake.enqueue('anthropic', { text: 'Second.' });
  const second = await e2e.run(['ask', '-c', 'Question two']);
  expect(second.code, second.stderr).toBe(0);
  // One embedding, for the first turn only.
  expect(fake.requestsFor('openai')).toHaveLength(1);
});
