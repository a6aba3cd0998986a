/**
 * One line of the usage log: a flat JSON object with snake_case keys, so `jq` and `grep` work on
 * the files as they are. Fields without a value are left out to keep lines short.
 */
import type { Usage } from '../providers/spec.js';
import type { CallStatus, UsageEntry, UsageSource } from './accounting.js';

export const RECORD_VERSION = 1;

export interface UsageRecord {
  v: number;
  /** ISO UTC time the call started (`Date#toISOString`, so records sort and compare as text). */
  time: string;
  provider: string;
  model: string;
  /** The token fields are absent when the vendor reported no usage. */
  input_tokens?: number;
  output_tokens?: number;
  cached_input_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  /** Null when the model is unpriced or no usage was reported: unknown, never $0. */
  cost_usd: number | null;
  duration_ms: number;
  ttft_ms?: number;
  status: CallStatus;
  /** The error class (RateLimitError, …) when status is error. */
  error?: string;
  source: UsageSource['kind'];
  /** true: answered from the response cache (no request, cost 0); false: the cache was asked and missed. */
  cached?: boolean;
  source_name?: string;
  step?: string;
  source_id?: string;
  /**
   * Usage and cost are llmo's estimate, not the vendor's count: the vendor reported no usage (from
   * the text), the call was interrupted (prompt plus what had arrived), or its process died (its hold).
   */
  estimated?: boolean;
  /** USD the vendor's prompt cache saved on this call (cached prompt tokens at input less cached-input price). */
  cache_saved_usd?: number;
  /** A semantic-cache hit's cosine similarity to the prompt whose answer it gave. */
  similarity?: number;
  /** `auto:cheap`, … when `-m auto` chose the model, with why it won. */
  routed?: string;
  route_reason?: string;
}

/**
 * A call's usage for `--json` output, named as in the log: token counts the vendor did not report
 * are null (unknown), never 0.
 */
export function usageJsonFields(usage: Usage | undefined) {
  return {
    input_tokens: usage?.inputTokens ?? null,
    output_tokens: usage?.outputTokens ?? null,
    cached_input_tokens: usage?.cachedInputTokens ?? null,
    cache_write_tokens: usage?.cacheWriteTokens ?? null,
    reasoning_tokens: usage?.reasoningTokens ?? null,
  };
}

/**
 * Concurrent appends stay whole only while each record is one write well under a page, so the
 * free-text fields are capped. Real values (model ids, chain and step names, ids) are far shorter.
 */
const MAX_FIELD = 200;

function cap(text: string): string {
  return text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
}

export function toRecord(entry: UsageEntry): UsageRecord {
  const record: UsageRecord = {
    v: RECORD_VERSION,
    time: normaliseTime(entry.time),
    provider: cap(entry.provider),
    model: cap(entry.model),
    cost_usd: entry.costUsd ?? null,
    duration_ms: Math.round(entry.durationMs),
    status: entry.status,
    source: entry.source.kind,
  };
  const usage = entry.usage;
  if (usage) {
    record.input_tokens = usage.inputTokens;
    record.output_tokens = usage.outputTokens;
    if (usage.cachedInputTokens !== undefined) record.cached_input_tokens = usage.cachedInputTokens;
    if (usage.cacheWriteTokens !== undefined) record.cache_write_tokens = usage.cacheWriteTokens;
    if (usage.reasoningTokens !== undefined) record.reasoning_tokens = usage.reasoningTokens;
  }
  if (entry.ttftMs !== undefined) record.ttft_ms = Math.round(entry.ttftMs);
  if (entry.errorKind) record.error = cap(entry.errorKind);
  if (entry.cached !== undefined) record.cached = entry.cached;
  if (entry.source.name) record.source_name = cap(entry.source.name);
  if (entry.source.step) record.step = cap(entry.source.step);
  if (entry.source.id) record.source_id = cap(entry.source.id);
  if (entry.estimated) record.estimated = true;
  if (entry.savedUsd !== undefined && entry.savedUsd > 0) record.cache_saved_usd = entry.savedUsd;
  if (entry.similarity !== undefined) record.similarity = Math.round(entry.similarity * 10_000) / 10_000;
  if (entry.routed) {
    record.routed = cap(entry.routed.mode);
    record.route_reason = cap(entry.routed.reason);
  }
  return record;
}

function normaliseTime(time: string): string {
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? new Date().toISOString() : new Date(parsed).toISOString();
}

/** One record as one line, newline included. */
export function formatRecord(record: UsageRecord): string {
  return `${JSON.stringify(record)}\n`;
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * A line back into a record, or undefined for anything that is not one (a line torn by a crash,
 * a blank line, a hand edit gone wrong): a damaged line costs that line, never the whole log.
 */
export function parseRecord(line: string): UsageRecord | undefined {
  if (line.length < 2 || line.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as UsageRecord;
  if (typeof record.time !== 'string' || !ISO_UTC.test(record.time)) return undefined;
  if (typeof record.provider !== 'string' || typeof record.model !== 'string') return undefined;
  // Values no call can have (a string, Infinity from `1e999`, a negative cost) would poison every
  // total and budget after them: such a line is damage, not a record.
  if (record.cost_usd !== null && !isAmount(record.cost_usd)) return undefined;
  if (!isAmount(record.duration_ms)) return undefined;
  for (const field of TOKEN_FIELDS) if (record[field] !== undefined && !isCount(record[field])) return undefined;
  if (typeof record.status !== 'string' || typeof record.source !== 'string') return undefined;
  return record;
}

const TOKEN_FIELDS = ['input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'ttft_ms'] as const;

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A call whose cost is unknown: it consumed tokens (or may have), but nothing says what they cost. */
export function isUnpriced(record: UsageRecord): boolean {
  return record.cost_usd === null && (record.input_tokens !== undefined || record.status !== 'error');
}
