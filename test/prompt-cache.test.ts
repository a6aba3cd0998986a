/**
 * Anthropic's prompt cache, end to end: a long system prompt goes out marked with `cache_control`
 * (as the recorded requests mark it), the cached part of the prompt the vendor reports is priced
 * at the cached-input price, and what that saved shows in `--json` and in `llmo usage`.
 */
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({ providers: ['anthropic'] });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

const longSystem = `You are a meticulous assistant. ${'Follow the house style in every answer. '.repeat(300)}`;

it('marks a long system prompt for the cache and prices the cached tokens at the cache-read price', async () => {
  // The token counts of the recording nonstream_cache_read: 4,167 of the prompt read from the cache.
  fake.enqueue('anthropic', { text: 'Eggs.', usage: { inputTokens: 4181, outputTokens: 10, cachedInputTokens: 4167 } });
  const result = await e2e.run(['ask', '--no-save', '--json', '-m', 'anthropic:claude-haiku-4-5', '-s', longSystem, 'Breakfast?']);
  expect(result.code, result.stderr).toBe(0);
  const [request] = fake.requestsFor('anthropic');
  expect(request?.body.system).toEqual([{ type: 'text', text: longSystem, cache_control: { type: 'ephemeral' } }]);
  const output = JSON.parse(result.stdout);
  expect(output.usage).toMatchObject({ input_tokens: 4181, cached_input_tokens: 4167, output_tokens: 10 });
  // claude-haiku-4-5: input $1.00, cached_input $0.10, output $5.00 per million tokens.
  const expected = (14 * 1.0 + 4167 * 0.1 + 10 * 5.0) / 1_000_000;
  expect(output.cost_usd).toBeCloseTo(expected, 9);
  expect(output.cache_saved_usd).toBeCloseTo((4167 * 0.9) / 1_000_000, 9);

  const [record] = (await readRecords(path.join(home, 'usage'))).records;
  expect(record).toMatchObject({ cached_input_tokens: 4167 });
  expect(record?.cache_saved_usd).toBeCloseTo((4167 * 0.9) / 1_000_000, 9);
  const usage = await e2e.run(['usage', '--json']);
  expect(JSON.parse(usage.stdout).totals).toMatchObject({ cached_input_tokens: 4167, cache_saved_usd: expect.closeTo(0.0037503, 7) });
  const table = await e2e.run(['usage']);
  expect(table.stdout).toMatch(/CACHE SAVED/);
});

it('leaves a short prompt unmarked: a cache write would cost more than it saves', async () => {
  const result = await e2e.run(['ask', '--no-save', '-m', 'anthropic:claude-haiku-4-5', '-s', 'Be brief.', 'Hi']);
  expect(result.code, result.stderr).toBe(0);
  const [request] = fake.requestsFor('anthropic');
  expect(JSON.stringify(request?.body)).not.toContain('cache_control');
});
