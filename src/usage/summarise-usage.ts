/** Totals of usage records, grouped by local day, model, provider or source. */
import type { Grouping } from './parse-since.js';
import { makeLocalDayOf } from './periods.js';
import { roundUsd } from './pricing.js';
import { isUnpriced, type UsageRecord } from './usage-record.js';

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** The priced calls' cost; undefined when every call with a cost was unpriced. */
  costUsd: number | undefined;
  /** Calls whose cost is unknown (no prices in models.yaml, or no usage reported). */
  unpricedCalls: number;
  errorCalls: number;
  /** USD the vendors' prompt caches saved. */
  savedUsd: number;
  /** Calls whose model `-m auto` chose. */
  routedCalls: number;
}

export interface UsageGroup extends UsageTotals {
  key: string;
}

export interface UsageSummary {
  by: Grouping;
  groups: UsageGroup[];
  totals: UsageTotals;
}

/** Running totals of some records (the usage digests store these per quarter hour). */
export interface Accumulator extends Omit<UsageTotals, 'costUsd'> {
  costUsd: number;
  pricedCalls: number;
}

export function emptyAccumulator(): Accumulator {
  return {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    pricedCalls: 0,
    unpricedCalls: 0,
    errorCalls: 0,
    savedUsd: 0,
    routedCalls: 0,
  };
}

export function addRecord(into: Accumulator, record: UsageRecord): void {
  into.calls++;
  into.inputTokens += record.input_tokens ?? 0;
  into.outputTokens += record.output_tokens ?? 0;
  into.cachedInputTokens += record.cached_input_tokens ?? 0;
  into.cacheWriteTokens += record.cache_write_tokens ?? 0;
  into.reasoningTokens += record.reasoning_tokens ?? 0;
  if (record.cost_usd !== null) {
    into.costUsd += record.cost_usd;
    into.pricedCalls++;
  } else if (isUnpriced(record)) {
    into.unpricedCalls++;
  }
  if (record.status === 'error') into.errorCalls++;
  into.savedUsd += record.cache_saved_usd ?? 0;
  if (record.routed) into.routedCalls++;
}

/** What a grouping looks at in a record. */
export type GroupedBy = Pick<UsageRecord, 'time' | 'provider' | 'model' | 'source' | 'source_name'>;

function merge(into: Accumulator, from: Accumulator): void {
  into.calls += from.calls;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.reasoningTokens += from.reasoningTokens;
  into.costUsd += from.costUsd;
  into.pricedCalls += from.pricedCalls;
  into.unpricedCalls += from.unpricedCalls;
  into.errorCalls += from.errorCalls;
  into.savedUsd += from.savedUsd;
  into.routedCalls += from.routedCalls;
}

/** Totals of no calls at all: the row of a quiet day. */
export function emptyTotals(): UsageTotals {
  return finish(emptyAccumulator());
}

function finish(accumulator: Accumulator): UsageTotals {
  const { pricedCalls, costUsd, ...rest } = accumulator;
  return {
    ...rest,
    savedUsd: roundUsd(rest.savedUsd),
    costUsd: pricedCalls === 0 && rest.unpricedCalls > 0 ? undefined : roundUsd(costUsd),
  };
}

function keyFunction(by: Grouping): (record: UsageRecord) => string {
  switch (by) {
    case 'day': {
      const localDayOf = makeLocalDayOf();
      return (record) => localDayOf(record.time);
    }
    case 'model':
      return (record) => `${record.provider}:${record.model}`;
    case 'provider':
      return (record) => record.provider;
    case 'source':
      return (record) => (record.source_name ? `${record.source} ${record.source_name}` : record.source);
  }
}

/** Adds records one at a time (as the log is read), then gives the summary. */
export class UsageSummariser {
  private readonly keyOf: (record: UsageRecord) => string;
  private readonly groups = new Map<string, Accumulator>();
  private readonly totals = emptyAccumulator();

  constructor(readonly by: Grouping) {
    this.keyOf = keyFunction(by);
  }

  add(record: UsageRecord): void {
    const key = this.keyOf(record);
    let group = this.groups.get(key);
    if (!group) {
      group = emptyAccumulator();
      this.groups.set(key, group);
    }
    addRecord(group, record);
    addRecord(this.totals, record);
  }

  /** Totals of records already summed, all alike in what groups them (day, model, source). */
  addTotals(like: GroupedBy, totals: Accumulator): void {
    const key = this.keyOf(like as UsageRecord);
    let group = this.groups.get(key);
    if (!group) {
      group = emptyAccumulator();
      this.groups.set(key, group);
    }
    merge(group, totals);
    merge(this.totals, totals);
  }

  summary(): UsageSummary {
    const finished = [...this.groups].map(([key, accumulator]) => ({ key, ...finish(accumulator) }));
    if (this.by === 'day') finished.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    else finished.sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.calls - a.calls || a.key.localeCompare(b.key));
    return { by: this.by, groups: finished, totals: finish(this.totals) };
  }
}

export function summariseUsage(records: Iterable<UsageRecord>, by: Grouping): UsageSummary {
  const summariser = new UsageSummariser(by);
  for (const record of records) summariser.add(record);
  return summariser.summary();
}
