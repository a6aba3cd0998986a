/**
 * `llmo usage` from the month digests: totals per UTC quarter hour, model and source, kept beside
 * each month's log (`2026-11.totals.json`, see month-digest.ts), so a year of calls is summed from
 * a few thousand cells instead of millions of lines. A `--since` that does not fall on a quarter
 * hour (`--since 5h`) needs the records themselves: the log is read then (streaming).
 */
import { catchUpMonth, type DigestKind, quarterOf, quarterStart } from './month-digest.js';
import { type Accumulator, addRecord, emptyAccumulator, type UsageSummariser } from './summarise-usage.js';
import { forEachRecord, listMonths, monthOf } from './usage-log.js';
import type { UsageRecord } from './usage-record.js';

const QUARTER_MS = 15 * 60 * 1000;
/** The order of an Accumulator's numbers in the stored cells. */
const FIELDS = [
  'calls',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'reasoningTokens',
  'costUsd',
  'pricedCalls',
  'unpricedCalls',
  'errorCalls',
  'savedUsd',
  'routedCalls',
] as const satisfies readonly (keyof Accumulator)[];

/** Cells keyed by quarter, provider, model, source and source name, joined by tabs. */
export type TotalsByCell = Map<string, Accumulator>;

export const totalsDigest: DigestKind<TotalsByCell> = {
  name: 'totals',
  empty: () => new Map(),
  add(data, record) {
    const key = `${quarterOf(record.time)}\t${record.provider}\t${record.model}\t${record.source}\t${record.source_name ?? ''}`;
    let cell = data.get(key);
    if (!cell) {
      cell = emptyAccumulator();
      data.set(key, cell);
    }
    addRecord(cell, record);
  },
  toJson: (data) => Object.fromEntries([...data].map(([key, cell]) => [key, FIELDS.map((field) => cell[field])])),
  fromJson(json) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const data: TotalsByCell = new Map();
    for (const [key, values] of Object.entries(json)) {
      if (!Array.isArray(values) || values.length !== FIELDS.length || key.split('\t').length !== 5) return undefined;
      const cell = emptyAccumulator();
      for (const [index, field] of FIELDS.entries()) {
        const value = values[index];
        if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
        cell[field] = value;
      }
      data.set(key, cell);
    }
    return data;
  },
};

/** Adds every call since `since` (all when undefined) to the summariser; returns the damaged lines seen. */
export async function summariseLog(usageDir: string, since: Date | undefined, summariser: UsageSummariser): Promise<{ skipped: number }> {
  if (since !== undefined && since.getTime() % QUARTER_MS !== 0) {
    return forEachRecord(usageDir, { since }, (record) => summariser.add(record));
  }
  const sinceIso = since?.toISOString();
  let skipped = 0;
  for (const month of await listMonths(usageDir)) {
    if (sinceIso !== undefined && month < monthOf(sinceIso)) continue;
    const digest = await catchUpMonth(usageDir, month, totalsDigest);
    if (!digest) continue;
    skipped += digest.skipped + (digest.unfinished ? 1 : 0);
    for (const [key, cell] of digest.data) {
      const [quarter, provider, model, source, sourceName] = key.split('\t') as [string, string, string, UsageRecord['source'], string];
      const time = quarterStart(quarter).toISOString();
      if (sinceIso !== undefined && time < sinceIso) continue;
      summariser.addTotals({ time, provider, model, source, ...(sourceName ? { source_name: sourceName } : {}) }, cell);
    }
  }
  return { skipped };
}
