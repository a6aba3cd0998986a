/**
 * The seam between a model call and the usage module: a budget check before the call, one
 * usage record after it. The orchestrator calls these; `src/usage/` implements them.
 */
import type { ModelRequest, Usage } from '../providers/spec.js';
import type { Pricing } from '../config/catalog.js';

/** Where a call came from, as the usage log records it. */
export interface UsageSource {
  kind: 'chat' | 'ask' | 'chain' | 'parallel' | 'batch' | 'auth-test';
  /** Conversation id (chat/ask), run id (chain/parallel) or batch id. */
  id?: string;
  /** Chain name. */
  name?: string;
  /** Chain step name (and branch index for parallel stages). */
  step?: string;
}

export type CallStatus = 'ok' | 'error' | 'aborted';

export interface UsageEntry {
  /** ISO time the call started. */
  time: string;
  provider: string;
  model: string;
  usage: Usage | undefined;
  costUsd: number | undefined;
  durationMs: number;
  /** Time to the first text or reasoning token; undefined when none came. */
  ttftMs: number | undefined;
  status: CallStatus;
  /** The error class name (RateLimitError, …) when status is error. */
  errorKind?: string;
  /** Set when the response cache was consulted: true for a hit, false for a miss. */
  cached?: boolean;
  source: UsageSource;
  /**
   * Why usage and cost are llmo's estimate rather than the vendor's count: 'no-usage', the vendor
   * sent none and it was estimated from the text (see estimateUsage); 'interrupted', the call was
   * cut short (or its process died) before the vendor counted it. Both are `estimated: true` in the log.
   */
  estimated?: UsageEstimate;
  /** What the vendor's prompt cache saved (promptCacheSavings). */
  savedUsd?: number | undefined;
  /** A semantic-cache hit: how close the prompt was to the one whose answer was given (cosine, 0–1). */
  similarity?: number | undefined;
  /** `-m auto…` chose this model: the mode asked for and why this model won. */
  routed?: { mode: string; reason: string } | undefined;
}

export type UsageEstimate = 'no-usage' | 'interrupted';

export interface PlannedCall {
  provider: string;
  model: string;
  pricing: Pricing | undefined;
  request: ModelRequest;
  /** The model's max output tokens from models.yaml, used when the request sets none. */
  defaultMaxTokens: number | undefined;
}

/**
 * A limit of its own for a group of calls, on top of the configured ones: a chain's `budget_usd`.
 * A chain passes its whole plan with its scope before its first step, e.g.
 * `checkBudget(plannedSteps, { limitUsd: 0.5, label: 'chain research budget_usd' })`; the calls'
 * worst case plus `spentUsd` (what the run has spent so far, default 0) must stay within it.
 */
export interface BudgetScope {
  limitUsd: number;
  /** Names the limit in messages and says where it is set: `chain research budget_usd`. */
  label: string;
  spentUsd?: number;
}

export interface Accounting {
  /**
   * Throws BudgetError when spent + the worst case of these calls would pass a limit: each call
   * alone against per_call_usd, all of them together against daily_usd and monthly_usd (spent
   * from the usage log) and against `scope`, when given. Calls to unpriced models cannot be
   * estimated: they are let through, with a note. Warns on stderr (once per process per limit)
   * when the worst case reaches warn_at of a limit. With `--no-budget` it checks nothing.
   */
  checkBudget(calls: readonly PlannedCall[], scope?: BudgetScope): Promise<void>;
  /** Appends one record to the usage log. Must never throw: a failed write is a warning. */
  record(entry: UsageEntry): Promise<void>;
}

/** Accounting that checks nothing and records nothing (tests, `--no-budget` with no log). */
export const noAccounting: Accounting = {
  async checkBudget() {},
  async record() {},
};
