/** The usage record of a response-cache hit, for callModel and for ask's direct path (src/cli/ask/direct-answer.ts). */
import type { UsageEntry, UsageSource } from '../usage/accounting.js';

/** The usage record of a cache hit: no tokens were spent, so none are counted, at cost 0, marked cached. */
export function cacheHitUsage(
  hit: { provider: string; model: string; started: number; durationMs: number; source: UsageSource },
  extra: Pick<UsageEntry, 'similarity' | 'routed'> = {},
): UsageEntry {
  return {
    time: new Date(hit.started).toISOString(),
    provider: hit.provider,
    model: hit.model,
    usage: undefined,
    costUsd: 0,
    durationMs: hit.durationMs,
    ttftMs: hit.durationMs,
    status: 'ok',
    cached: true,
    ...(extra.similarity !== undefined ? { similarity: extra.similarity } : {}),
    ...(extra.routed ? { routed: extra.routed } : {}),
    source: hit.source,
  };
}
