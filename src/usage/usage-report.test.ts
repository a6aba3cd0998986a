/** `llmo usage` without the CLI: --since/--by parsing, grouping and totals, the table and bars. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseGrouping, parseSince } from './parse-since.js';
import { bar, compact, renderUsage, usageJson } from './render-usage.js';
import { summariseUsage } from './summarise-usage.js';
import { entry } from './usage-fixtures.test-support.js';
import { toRecord, type UsageRecord } from './usage-record.js';
import type { UsageEntry } from './accounting.js';

const now = new Date(2026, 10, 15, 12, 0, 0);

function at(day: number, hour: number, overrides: Partial<UsageEntry> = {}): UsageRecord {
  return toRecord(entry({ time: new Date(2026, 10, day, hour).toISOString(), ...overrides }));
}

const records: UsageRecord[] = [
  at(10, 9, { costUsd: 0.5, usage: { inputTokens: 1000, outputTokens: 100 } }),
  at(10, 18, { costUsd: 0.25, usage: { inputTokens: 3000, outputTokens: 300 }, provider: 'anthropic', model: 'claude-sonnet-4-5' }),
  at(12, 9, {
    costUsd: undefined,
    usage: { inputTokens: 50, outputTokens: 5 },
    provider: 'ollama',
    model: 'llama3.2',
    source: { kind: 'chain', name: 'research', step: 'a', id: 'run_1' },
  }),
  at(12, 10, {
    costUsd: undefined,
    usage: undefined,
    status: 'error',
    errorKind: 'RateLimitError',
    source: { kind: 'chat', id: 'chat_1' },
  }),
];

describe('parseSince', () => {
  it('reads hours exactly, days and weeks as whole local days', () => {
    expect(parseSince('24h', now)).toEqual(new Date(now.getTime() - 24 * 3_600_000));
    expect(parseSince('1d', now)).toEqual(new Date(2026, 10, 15));
    expect(parseSince('7d', now)).toEqual(new Date(2026, 10, 9));
    expect(parseSince('2w', now)).toEqual(new Date(2026, 10, 2));
  });

  it('reads a date or a month as local midnight', () => {
    expect(parseSince('2026-11-01', now)).toEqual(new Date(2026, 10, 1));
    expect(parseSince('2026-10', now)).toEqual(new Date(2026, 9, 1));
  });

  it.each(['yesterday', '0d', '7', '2026-02-31', '2026-13', '-3d', ''])(
    'rejects %j as a usage error naming the accepted forms',
    (value) => {
      expect(() => parseSince(value, now)).toThrow(UsageError);
      expect(() => parseSince(value, now)).toThrow(/--since must be like 24h .*7d .*2026-11-01/);
    },
  );

  it('accepts day, model, provider and source for --by', () => {
    expect(parseGrouping(undefined)).toBe('day');
    expect(parseGrouping('model')).toBe('model');
    expect(() => parseGrouping('week')).toThrow(/--by must be one of day, model, provider, source; got "week"/);
  });
});

describe('summariseUsage', () => {
  it('totals calls, tokens, cost and unpriced calls', () => {
    const { totals } = summariseUsage(records, 'day');
    expect(totals).toMatchObject({ calls: 4, inputTokens: 4050, outputTokens: 405, unpricedCalls: 1, errorCalls: 1 });
    expect(totals.costUsd).toBeCloseTo(0.75, 9);
  });

  it('groups by local day in order', () => {
    const { groups } = summariseUsage(records, 'day');
    expect(groups.map((group) => [group.key, group.calls])).toEqual([
      ['2026-11-10', 2],
      ['2026-11-12', 2],
    ]);
  });

  it('groups by model, most expensive first, and reports an all-unpriced group as unpriced, not $0', () => {
    const { groups } = summariseUsage(records, 'model');
    expect(groups.map((group) => [group.key, group.costUsd])).toEqual([
      ['openai:gpt-4o-mini', 0.5],
      ['anthropic:claude-sonnet-4-5', 0.25],
      ['ollama:llama3.2', undefined],
    ]);
  });

  it('groups by provider and by source (chains by name)', () => {
    expect(summariseUsage(records, 'provider').groups.map((group) => group.key)).toEqual(['openai', 'anthropic', 'ollama']);
    expect(
      summariseUsage(records, 'source')
        .groups.map((group) => group.key)
        .sort(),
    ).toEqual(['ask', 'chain research', 'chat']);
  });

  it('counts a failed call with no usage as costing nothing, not as unpriced', () => {
    const failed = summariseUsage([records[3]!], 'day');
    expect(failed.totals).toMatchObject({ calls: 1, unpricedCalls: 0, costUsd: 0 });
  });
});

describe('renderUsage', () => {
  const summary = summariseUsage(records, 'day');

  it('prints a table with a totals row, and no bars when stdout is not a terminal', () => {
    const text = renderUsage(summary, { chart: false });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DAY\s+CALLS\s+INPUT\s+OUTPUT\s+COST\s+UNPRICED$/);
    // The quiet day between is a row too, so the trend is honest.
    expect(lines.slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual(['2026-11-10', '2026-11-11', '2026-11-12']);
    expect(lines[1]).toMatch(/^2026-11-10\s+2\s+4,000\s+400\s+\$0\.7500\s+0$/);
    expect(lines[2]).toMatch(/^2026-11-11\s+0\s+0\s+0\s+\$0\s+0$/);
    expect(lines[4]).toMatch(/^TOTAL\s+4\s+4,050\s+405\s+\$0\.7500\s+1$/);
    expect(lines[5]).toContain('1 call had no price');
    expect(text).not.toMatch(/[█▏▎▍▌▋▊▉]/);
  });

  it('adds a bar of cost per row on a terminal, longest for the most expensive row', () => {
    const lines = renderUsage(summary, { chart: true, width: 100 }).split('\n');
    const barOf = (line: string) => /[█▏▎▍▌▋▊▉]+$/.exec(line)?.[0] ?? '';
    expect(lines[0]).toMatch(/cost$/);
    expect(barOf(lines[1]!).length).toBeGreaterThan(10);
    expect(barOf(lines[2]!)).toBe('');
    // Only an unpriced call on the 12th: no cost to draw; the totals row has no bar either.
    expect(barOf(lines[3]!)).toBe('');
    expect(barOf(lines[4]!)).toBe('');
  });

  it('fits the bars into a narrow terminal, and drops them when there is no room, rather than wrap lines', () => {
    const tableWidth = renderUsage(summary, { chart: false }).split('\n')[0]!.length;
    for (const width of [tableWidth + 3 + 5, tableWidth + 12, 60, 80, 200]) {
      // The table's rows (the note about unpriced calls under it is prose, and may wrap).
      const lines = renderUsage(summary, { chart: true, width })
        .trimEnd()
        .split('\n')
        .filter((line) => !/^\d+ calls? had no price/.test(line));
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(Math.max(width, tableWidth + 1));
      expect(lines[0]).toMatch(width >= tableWidth + 8 ? /cost$/ : /UNPRICED$/);
    }
    const cramped = renderUsage(summary, { chart: true, width: tableWidth + 4 });
    expect(cramped).not.toMatch(/[█▏▎▍▌▋▊▉]/);
    expect(cramped.split('\n')[0]).toMatch(/UNPRICED$/);
  });

  it('charts calls when nothing is priced', () => {
    const unpriced = summariseUsage([records[2]!], 'model');
    expect(renderUsage(unpriced, { chart: true }).split('\n')[0]).toMatch(/calls$/);
  });

  it('draws bars in eighths and compacts big token counts', () => {
    expect(bar(1, 1, 4)).toBe('████');
    expect(bar(1, 2, 4)).toBe('██');
    expect(bar(1, 16, 4)).toBe('▎');
    expect(bar(3, 8, 4)).toBe('█▌');
    expect(bar(0.0001, 1, 4)).toBe('▏');
    expect(bar(0, 1, 4)).toBe('');
    expect(compact(9_999)).toBe('9,999');
    expect(compact(12_345)).toBe('12.3k');
    expect(compact(4_560_000)).toBe('4.56M');
  });
});

describe('usageJson', () => {
  it('gives groups and totals in snake_case, cost_usd null for unpriced', () => {
    const json = usageJson(summariseUsage(records, 'model'), { since: new Date('2026-11-01T00:00:00.000Z'), skippedLines: 2 });
    expect(json.since).toBe('2026-11-01T00:00:00.000Z');
    expect(json.skipped_lines).toBe(2);
    expect(json.totals).toEqual({
      calls: 4,
      input_tokens: 4050,
      output_tokens: 405,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0.75,
      unpriced_calls: 1,
      error_calls: 1,
      cache_saved_usd: 0,
      routed_calls: 0,
    });
    expect(json.groups.find((group) => group.key === 'ollama:llama3.2')?.cost_usd).toBeNull();
  });
});
