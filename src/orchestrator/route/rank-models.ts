/**
 * `-m auto`'s choice, as a pure function of what the caller gathered (README, "Routing"): the
 * models that fit the request, ranked by a weighted score of quality, cost and speed, each part
 * scaled 0–1 across the candidates (cost and speed on a log scale, so ten times cheaper counts the
 * same at any price). The mode sets the weights; the prompt's complexity sets a quality floor; a
 * budget nearly spent rules out premium models; a routing rule whose conditions hold pins its model.
 */
import type { ModelInfo } from '../../config/catalog.js';
import type { RoutingMode, RoutingRuleConditions } from '../../config/routing-settings.js';
import type { Complexity } from './estimate-complexity.js';

export { ROUTING_MODES, type RoutingMode } from '../../config/routing-settings.js';

/** How much each part counts in each mode. */
export const WEIGHTS: Record<RoutingMode, { quality: number; cost: number; speed: number }> = {
  cheap: { quality: 0.25, cost: 0.65, speed: 0.1 },
  balanced: { quality: 0.45, cost: 0.35, speed: 0.2 },
  best: { quality: 0.8, cost: 0.1, speed: 0.1 },
  fast: { quality: 0.2, cost: 0.1, speed: 0.7 },
};

/** Below this share of a daily or monthly budget left, premium models are not chosen. */
export const PREMIUM_BUDGET_SHARE = 0.25;
/** Without latency_ms and without measurements, a model is taken to answer its first token in this long. */
export const DEFAULT_TTFT_MS = 1000;
/** Output speed assumed where llmo has not measured it (tokens a second). */
export const DEFAULT_TOKENS_PER_SECOND = 200;

/** What llmo measured of a model: medians of its last calls in the usage log. */
export interface LatencyStats {
  samples: number;
  ttftMs: number;
  /** Undefined when the calls streamed too little to time. */
  tokensPerSecond: number | undefined;
}

export interface RouteCandidate {
  /** provider:model */
  ref: string;
  info: ModelInfo;
  capabilities: ReadonlySet<string>;
  /** A key is at hand (environment, vault) or the provider needs none. */
  usable: boolean;
  /** Undefined: too few calls measured, models.yaml's latency_ms is used. */
  measured: LatencyStats | undefined;
}

export interface RouteNeeds {
  tools: boolean;
  vision: boolean;
  pdf: boolean;
  schema: boolean;
  /** A vendor batch: only models whose provider has a batch API (the `batch` capability). */
  batch?: boolean | undefined;
  /** What the request asks for at most (its own, else the default of config); capped by each model's own max. */
  maxTokens: number;
}

export interface BudgetLeft {
  /** The smallest share left of the daily and monthly budgets (0–1); undefined without budgets. */
  share: number | undefined;
  /** `12% of today's budget left`, for --explain. */
  description: string;
}

/** A routing rule from config, its model already resolved to provider:model. */
export interface RouteRule {
  /** 1-based, as --explain names it. */
  number: number;
  when: RuleConditions;
  target: string;
}

export type RuleConditions = RoutingRuleConditions;

export interface RouteInput {
  mode: RoutingMode;
  candidates: readonly RouteCandidate[];
  needs: RouteNeeds;
  complexity: Complexity;
  budget: BudgetLeft;
  rules: readonly RouteRule[];
}

export interface RankedModel {
  candidate: RouteCandidate;
  score: number;
  parts: { quality: number; cost: number; speed: number };
  /** Estimated cost of this request (prompt plus expected reply). */
  costUsd: number;
  latencyMs: number;
  latencySource: 'measured' | 'models.yaml' | 'default';
}

export interface RouteDecision {
  mode: RoutingMode;
  /** Best first. Empty when no model fits. */
  ranked: RankedModel[];
  skipped: { ref: string; why: string }[];
  winner: RankedModel | undefined;
  /** One line: why the winner won. */
  reason: string;
  /** The quality the prompt's complexity asks for (0: none). */
  qualityFloor: number;
}

/** The reply length ranking assumes: longer for harder prompts, never past what the request allows. */
export function expectedOutputTokens(complexity: Complexity, maxTokens: number): number {
  return Math.min(maxTokens, 250 + 75 * complexity.score);
}

/** The quality a prompt of this complexity needs: none up to 2, then one point per point, at most 7. */
export function qualityFloor(complexity: Complexity): number {
  return Math.min(7, Math.max(0, complexity.score - 2));
}

export function rankModels(input: RouteInput): RouteDecision {
  const { needs, complexity } = input;
  const skipped: { ref: string; why: string }[] = [];
  const fitting: RouteCandidate[] = [];
  for (const candidate of input.candidates) {
    const why = unfitReason(candidate, needs, complexity.promptTokens);
    if (why) skipped.push({ ref: candidate.ref, why });
    else fitting.push(candidate);
  }
  let pool = fitting;
  const floor = input.mode === 'best' ? 0 : qualityFloor(complexity);
  pool = narrow(pool, skipped, (candidate) =>
    (candidate.info.quality ?? 0) < floor ? `quality ${candidate.info.quality} is below the ${floor} this prompt needs` : undefined,
  );
  if (input.budget.share !== undefined && input.budget.share < PREMIUM_BUDGET_SHARE) {
    pool = narrow(pool, skipped, (candidate) =>
      candidate.info.tier === 'premium' ? `premium, and ${input.budget.description}` : undefined,
    );
  }

  const output = expectedOutputTokens(complexity, needs.maxTokens);
  const ranked = score(pool, input.mode, complexity.promptTokens, output);
  const pinned = pinnedByRule(input, ranked, skipped);
  const winner = pinned?.model ?? ranked[0];
  if (pinned) {
    ranked.splice(ranked.indexOf(pinned.model), 1);
    ranked.unshift(pinned.model);
  }
  const reason = !winner
    ? 'no model fits'
    : pinned
      ? `routing rule ${pinned.rule.number} pins ${winner.candidate.ref}`
      : `best ${input.mode} score ${winner.score.toFixed(2)} (quality ${winner.candidate.info.quality}, ~${formatCost(winner.costUsd)}, ~${formatSeconds(winner.latencyMs)})`;
  return { mode: input.mode, ranked, skipped, winner, reason, qualityFloor: floor };
}

/** Why a model cannot take this request, or undefined when it can. */
function unfitReason(candidate: RouteCandidate, needs: RouteNeeds, promptTokens: number): string | undefined {
  const { info, capabilities } = candidate;
  if (!candidate.usable) return 'no key';
  if (capabilities.has('embeddings')) return 'an embedding model';
  if (info.quality === undefined) return 'no quality in models.yaml';
  if (!info.pricing) return 'unpriced';
  if (needs.tools && !capabilities.has('tools')) return 'cannot call tools';
  if (needs.vision && !capabilities.has('vision')) return 'cannot read images';
  if (needs.pdf && !capabilities.has('pdf')) return 'cannot read PDFs';
  if (needs.schema && !capabilities.has('json_schema') && !capabilities.has('json_object_only')) return 'cannot answer in JSON';
  if (needs.batch && !capabilities.has('batch')) return 'no batch API';
  const window = info.contextWindow;
  const reply = Math.min(needs.maxTokens, info.maxTokens ?? needs.maxTokens);
  if (window !== undefined && promptTokens + reply > window)
    return `prompt and reply (~${promptTokens + reply} tokens) exceed its ${window}-token window`;
  return undefined;
}

/** Drops the candidates `why` objects to, unless that would drop them all (then nothing is dropped). */
function narrow(
  pool: RouteCandidate[],
  skipped: { ref: string; why: string }[],
  why: (candidate: RouteCandidate) => string | undefined,
): RouteCandidate[] {
  const reasons = pool.map(why);
  const kept = pool.filter((_, index) => reasons[index] === undefined);
  if (kept.length === 0) return pool;
  pool.forEach((candidate, index) => {
    const reason = reasons[index];
    if (reason) skipped.push({ ref: candidate.ref, why: reason });
  });
  return kept;
}

function score(pool: readonly RouteCandidate[], mode: RoutingMode, promptTokens: number, output: number): RankedModel[] {
  const estimates = pool.map((candidate) => {
    const pricing = candidate.info.pricing!;
    const costUsd = (promptTokens * pricing.input + output * pricing.output) / 1_000_000;
    const { latencyMs, latencySource } = latencyOf(candidate, output);
    return { candidate, costUsd, latencyMs, latencySource };
  });
  const scaleCost = logScale(estimates.map((estimate) => estimate.costUsd));
  const scaleSpeed = logScale(estimates.map((estimate) => estimate.latencyMs));
  const weights = WEIGHTS[mode];
  return estimates
    .map((estimate) => {
      const parts = {
        quality: (estimate.candidate.info.quality ?? 0) / 10,
        cost: scaleCost(estimate.costUsd),
        speed: scaleSpeed(estimate.latencyMs),
      };
      const total = weights.quality * parts.quality + weights.cost * parts.cost + weights.speed * parts.speed;
      return { ...estimate, parts, score: Math.round(total * 1000) / 1000 };
    })
    .sort((a, b) => b.score - a.score || a.costUsd - b.costUsd || a.candidate.ref.localeCompare(b.candidate.ref));
}

/** Time to the first token plus the expected reply at the model's speed: measured where llmo has enough calls. */
function latencyOf(candidate: RouteCandidate, output: number): Pick<RankedModel, 'latencyMs' | 'latencySource'> {
  const { measured, info } = candidate;
  const ttft = measured?.ttftMs ?? info.latencyMs ?? DEFAULT_TTFT_MS;
  const speed = measured?.tokensPerSecond ?? DEFAULT_TOKENS_PER_SECOND;
  return {
    latencyMs: Math.round(ttft + (output / speed) * 1000),
    latencySource: measured ? 'measured' : info.latencyMs !== undefined ? 'models.yaml' : 'default',
  };
}

/** 1 for the smallest value, 0 for the largest, log-scaled between; all equal: 1. */
function logScale(values: readonly number[]): (value: number) => number {
  const logs = values.map((value) => Math.log(Math.max(value, 1e-12)));
  const low = Math.min(...logs);
  const high = Math.max(...logs);
  return (value) => (high - low < 1e-9 ? 1 : (high - Math.log(Math.max(value, 1e-12))) / (high - low));
}

/** The first rule whose conditions hold and whose model can take the request. */
function pinnedByRule(
  input: RouteInput,
  ranked: readonly RankedModel[],
  skipped: { ref: string; why: string }[],
): { rule: RouteRule; model: RankedModel } | undefined {
  for (const rule of input.rules) {
    if (!ruleHolds(rule.when, input)) continue;
    const model = ranked.find((candidate) => candidate.candidate.ref === rule.target);
    if (model) return { rule, model };
    const why = skipped.find((entry) => entry.ref === rule.target)?.why ?? 'not a candidate';
    skipped.push({ ref: rule.target, why: `routing rule ${rule.number} pins it, but it is out: ${why}` });
  }
  return undefined;
}

function ruleHolds(when: RuleConditions, input: RouteInput): boolean {
  const { complexity } = input;
  if (when.hasCode !== undefined && when.hasCode !== complexity.hasCode) return false;
  if (when.hasImage !== undefined && when.hasImage !== input.needs.vision) return false;
  if (when.minPromptTokens !== undefined && complexity.promptTokens < when.minPromptTokens) return false;
  if (when.maxPromptTokens !== undefined && complexity.promptTokens > when.maxPromptTokens) return false;
  if (when.mode !== undefined && when.mode !== input.mode) return false;
  return true;
}

function formatCost(usd: number): string {
  return usd >= 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toPrecision(2)}`;
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
