/**
 * `llmo usage --format prometheus` and `--chart`, end to end on the built CLI, from a seeded usage log.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entry } from '../src/usage/usage-fixtures.test-support.js';
import { appendRecord } from '../src/usage/usage-log.js';
import { toRecord } from '../src/usage/usage-record.js';
import { parseExposition } from './helpers/prometheus-text.js';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

let home: string;
beforeEach(() => {
  home = makeHome();
});
afterEach(() => removeHome(home));

const seed = (...entries: Parameters<typeof entry>[0][]) =>
  Promise.all(entries.map((overrides) => appendRecord(path.join(home, 'usage'), toRecord(entry(overrides)))));

describe('llmo usage --format prometheus', () => {
  it('prints requests, tokens by type, cost by model and provider, cache hits and misses, and budget ratios, in a format a parser accepts', async () => {
    writeFileSync(path.join(home, 'config.yaml'), 'budgets:\n  daily_usd: 1\n  monthly_usd: 10\n');
    await seed(
      { costUsd: 0.25, usage: { inputTokens: 100, outputTokens: 50, cachedInputTokens: 20 }, cached: false },
      { costUsd: 0.25, usage: { inputTokens: 100, outputTokens: 50 } },
      { costUsd: 0, usage: undefined, cached: true },
      {
        provider: 'anthropic',
        model: 'claude "quoted"\\model',
        costUsd: 0.5,
        usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 3 },
      },
    );
    const result = await runLlmo(['usage', '--format', 'prometheus'], { home });
    expect(result.code).toBe(0);
    const { types, samples } = parseExposition(result.stdout);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples
        .filter((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))
        .reduce((sum, sample) => sum + sample.value, 0);
    expect(types.get('llmo_requests_total')).toBe('counter');
    expect(types.get('llmo_budget_utilisation_ratio')).toBe('gauge');
    expect(value('llmo_requests_total')).toBe(4);
    expect(value('llmo_requests_total', { provider: 'openai', cached: 'true' })).toBe(1);
    expect(value('llmo_tokens_total', { provider: 'openai', type: 'input' })).toBe(200);
    expect(value('llmo_tokens_total', { provider: 'openai', type: 'cached_input' })).toBe(20);
    expect(value('llmo_tokens_total', { model: 'claude "quoted"\\model', type: 'reasoning' })).toBe(3);
    expect(value('llmo_cost_usd_total', { provider: 'openai', model: 'gpt-4o-mini' })).toBe(0.5);
    expect(value('llmo_cost_usd_total', { provider: 'anthropic' })).toBe(0.5);
    expect(value('llmo_cache_hits_total')).toBe(1);
    expect(value('llmo_cache_misses_total')).toBe(1);
    expect(value('llmo_budget_utilisation_ratio', { period: 'day' })).toBe(1);
    expect(value('llmo_budget_utilisation_ratio', { period: 'month' })).toBe(0.1);
  });

  it('refuses an unknown format (exit 2)', async () => {
    const result = await runLlmo(['usage', '--format', 'xml'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format must be one of table, json, prometheus/);
  });
});

describe('llmo usage --chart', () => {
  it('draws spend per day as bars, even when stdout is not a terminal', async () => {
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);
    await seed({ time: yesterday.toISOString(), costUsd: 0.1 }, { time: today.toISOString(), costUsd: 0.4 });
    const result = await runLlmo(['usage', '--chart', '--since', '7d'], { home });
    expect(result.code).toBe(0);
    const bars = result.stdout
      .split('\n')
      .filter((line) => /^\d{4}-\d\d-\d\d/.test(line))
      .map((line) => (/[█▏▎▍▌▋▊▉]+$/.exec(line)?.[0] ?? '').length);
    expect(bars).toHaveLength(2);
    expect(bars.at(-1)).toBeGreaterThan(bars.at(-2)!);
    expect(bars.at(-2)).toBeGreaterThan(0);
  });
});
