/**
 * The ordinary `ask` path's half of direct mode (direct-answer.ts): after a reply that came from,
 * or went into, an exact response-cache entry, it leaves a memo so the same invocation is answered
 * next time without loading the rest of llmo. Only replies the direct path would print
 * identically qualify: plain text to a pipe, no conversation saved, no file, template, mode,
 * routing, fallback or tools involved. A memo that cannot be written is no loss.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeCheckpoint } from '../../fs/atomic-write.js';
import type { CallResult } from '../../orchestrator/call-model.js';
import type { AskOptions } from './ask-command.js';
import { currentInvocation, type DirectMemo, memoFile } from './direct-answer.js';
import { settled } from '../../config/config-cache.js';
import type { LlmoPaths } from '../../config/paths.js';
import { isAutoRef } from '../route/is-auto-ref.js';

/** The flags that leave the reply to a cached request as it is (the rest are off, or read other files). */
const NEUTRAL = new Set([
  'model',
  'system',
  'persona',
  'role',
  'temperature',
  'maxTokens',
  'stream',
  'raw',
  'save',
  'timeout',
  'budget',
  'cache',
]);

/** Whether `ask` with these options prints exactly the cached text, and nothing that depends on other files. */
export function directEligible(options: AskOptions): boolean {
  if (options.model !== undefined && isAutoRef(options.model)) return false;
  return Object.entries(options).every(
    ([name, value]) => NEUTRAL.has(name) || value === undefined || value === false || (Array.isArray(value) && value.length === 0),
  );
}

export interface DirectAnswerRun {
  argv: readonly string[];
  paths: LlmoPaths;
  options: AskOptions;
  /** The model asked for (after -m and main_llm). */
  wanted: { provider: string; modelId: string; listed: boolean };
  result: CallResult;
  ttlMs: number;
  /** Nothing but the reply reached stdout and no conversation took it: no stdin, no history, not saved. */
  plainOnly: boolean;
}

export async function rememberDirectAnswer(run: DirectAnswerRun): Promise<void> {
  const { result, wanted } = run;
  const sameModel = result.provider === wanted.provider && result.modelId === wanted.modelId;
  // A model models.yaml does not list gets a note on every ordinary run; the direct path prints none.
  if (!run.plainOnly || !sameModel || !wanted.listed || !directEligible(run.options)) return;
  if (!result.cacheKey || result.status !== 'ok' || result.finishReason !== 'stop' || result.routed) return;
  const invocation = currentInvocation(run.argv, run.paths);
  // A configuration file written a moment ago could change again within its timestamp's
  // granularity, unseen.
  if (!invocation || !settled(invocation.stamps)) return;
  const memo: DirectMemo = { invocation, entryKey: result.cacheKey, ttlMs: run.ttlMs, provider: result.provider, model: result.modelId };
  const file = memoFile(run.paths, JSON.stringify(invocation));
  // A hint, not a record: atomic, not flushed (a memo lost to a crash is written again next time).
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    .then(() => writeCheckpoint(file, Buffer.from(JSON.stringify(memo))))
    .catch(() => {});
}
