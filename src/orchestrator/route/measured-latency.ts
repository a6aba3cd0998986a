/**
 * What llmo measured of each model: the median time to first token and output speed of its last
 * calls, from the usage log (every call records `ttft_ms` and `duration_ms`). `-m auto` trusts
 * these over models.yaml's `latency_ms` once a model has enough of them, so a model that has
 * become slow stops being chosen as the fast one.
 */
import { forEachRecord } from '../../usage/usage-log.js';
import type { UsageRecord } from '../../usage/usage-record.js';
import type { LatencyStats } from './rank-models.js';

/** The calls looked at per model: the last twenty. */
export const LATENCY_WINDOW = 20;
/** Fewer measured calls than this, and models.yaml's latency_ms is used instead. */
export const MIN_LATENCY_SAMPLES = 5;
/** Calls older than this say little about today's speed. */
const LOOKBACK_DAYS = 30;

interface Sample {
  ttftMs: number;
  tokensPerSecond: number | undefined;
}

/** provider:model → the medians of its last calls, for models with enough of them. */
export async function measuredLatencies(usageDir: string, now = new Date()): Promise<Map<string, LatencyStats>> {
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const samples = new Map<string, Sample[]>();
  await forEachRecord(usageDir, { since }, (record) => {
    const sample = sampleOf(record);
    if (!sample) return;
    const key = `${record.provider}:${record.model}`;
    let list = samples.get(key);
    if (!list) {
      list = [];
      samples.set(key, list);
    }
    list.push(sample);
    if (list.length > LATENCY_WINDOW) list.shift();
  });
  const stats = new Map<string, LatencyStats>();
  for (const [key, list] of samples) {
    if (list.length < MIN_LATENCY_SAMPLES) continue;
    const speeds = list.map((sample) => sample.tokensPerSecond).filter((speed): speed is number => speed !== undefined);
    stats.set(key, {
      samples: list.length,
      ttftMs: Math.round(median(list.map((sample) => sample.ttftMs))),
      tokensPerSecond: speeds.length >= MIN_LATENCY_SAMPLES ? Math.round(median(speeds)) : undefined,
    });
  }
  return stats;
}

/**
 * A call that tells something about speed: answered by the vendor (not the response cache), whole,
 * with a first token. Its output speed counts only when it streamed long enough to time.
 */
function sampleOf(record: UsageRecord): Sample | undefined {
  if (record.status !== 'ok' || record.cached === true || record.ttft_ms === undefined) return undefined;
  const streamingMs = record.duration_ms - record.ttft_ms;
  const output = record.output_tokens ?? 0;
  const tokensPerSecond = streamingMs >= 100 && output >= 20 ? (output * 1000) / streamingMs : undefined;
  return { ttftMs: record.ttft_ms, tokensPerSecond };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
