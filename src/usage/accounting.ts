/**
 * The seam between a model call and the usage module: a budget check before the call, one
 * usage record after it. The orchestrator calls these; `src/usage/` implements them.
 */
import type { ModelRequest, Usage } from '../providers/spec.js';
import type { Pricing } from '../config/catalog.js';

/** Where a call came from, as the usage log records it. */
export interface UsageSource {
  kind: 'chat' | 'ask' | 'chain' | 'parallel' | 'auth-test';
  /** Conversation id (chat/ask) or run id (chain/parallel). */
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
  source: UsageSource;
}

export interface PlannedCall {
  provider: string;
  model: string;
  pricing: Pricing | undefined;
  request: ModelRequest;
  /** The model's max output tokens from models.yaml, used when the request sets none. */
  defaultMaxTokens: number | undefined;
}

export interface Accounting {
  /** Throws BudgetError when spent + the worst case of these calls would pass a limit. */
  checkBudget(calls: readonly PlannedCall[]): Promise<void>;
  /** Appends one record to the usage log. Must never throw: a failed write is a warning. */
  record(entry: UsageEntry): Promise<void>;
}

/** Accounting that checks nothing and records nothing (tests, `--no-budget` with no log). */
export const noAccounting: Accounting = {
  async checkBudget() {},
  async record() {},
};
