/**
 * `-m auto`, `-m auto:cheap|balanced|best|fast`: gathers what the ranking needs (the catalog's
 * models with a key at hand, what llmo measured of their speed, the budget left, the request's
 * needs and complexity, the routing rules) and asks the pure ranking (src/orchestrator/route/)
 * which model to call. README, "Routing", writes the rules down.
 */
import { existsSync } from 'node:fs';
import type { LlmoConfig } from '../../config/load.js';
import { ROUTING_MODES, type RoutingMode } from '../../config/routing-settings.js';
import { ConfigError, UsageError } from '../../errors.js';
import { describeComplexity, estimateComplexity } from '../../orchestrator/route/estimate-complexity.js';
import { measuredLatencies } from '../../orchestrator/route/measured-latency.js';
import { type BudgetLeft, type RouteCandidate, type RouteDecision, rankModels } from '../../orchestrator/route/rank-models.js';
import type { Routed } from '../../orchestrator/call-model.js';
import { type Message, messageText, type ModelRequest } from '../../providers/spec.js';
import { resolveModelRef } from '../../providers/registry.js';
import { estimatePromptTokens } from '../../usage/estimate.js';
import { getConfig } from '../context.js';
import { keyFromEnvironment } from '../keys/keys.js';
import { explainRoute } from './explain-route.js';

export { isAutoRef } from './is-auto-ref.js';

export interface RouteChoice {
  /** provider:model of the winner. */
  ref: string;
  /** With the next-ranked models, which ask and chat fall back to when the winner fails. */
  routed: Routed;
  decision: RouteDecision;
}

export interface RouteOptions {
  /** What will be sent (unknown when a chain or batch resolves its model before its prompts). */
  request?: ModelRequest | undefined;
  /** --tools / --schema were given (the request does not carry them yet). */
  tools?: boolean | undefined;
  schema?: boolean | undefined;
  /** A vendor batch will carry the request: only models with a batch API. */
  batch?: boolean | undefined;
  /** --explain: print the ranking on stderr. */
  explain?: boolean | undefined;
}

export function routingModeOf(ref: string): RoutingMode {
  const mode = modeNamed(ref);
  if (!(ROUTING_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`unknown routing mode "${mode}" in -m ${ref}`, { hint: `use -m auto or -m auto:${ROUTING_MODES.join('|')}` });
  }
  return mode as RoutingMode;
}

/** A chain's `model: auto:…` with a mode llmo does not know: a configuration error at the place it was written. */
export function checkChainRoutingMode(ref: string): void {
  const mode = modeNamed(ref);
  if (!(ROUTING_MODES as readonly string[]).includes(mode))
    throw new ConfigError(`unknown routing mode "${mode}" in ${ref}`, { hint: `use auto or auto:${ROUTING_MODES.join('|')}` });
}

function modeNamed(ref: string): string {
  return ref === 'auto' ? 'balanced' : ref.slice('auto:'.length);
}

/** What routing reads from disk (keys at hand, measured speeds, spend), read once for any number of choices. */
export interface RoutingContext {
  config: LlmoConfig;
  candidates: RouteCandidate[];
  budget: BudgetLeft;
}

export interface PrepareOptions {
  /**
   * Rank as if every provider's key were at hand: for checks that need no key (chain list, chain
   * lint), which ask whether routing could choose a model at all, not which one it would now.
   */
  anyKey?: boolean;
}

export async function prepareRouting(options: PrepareOptions = {}): Promise<RoutingContext> {
  const config = getConfig();
  return { config, candidates: await candidatesOf(config, options), budget: await budgetLeft(config) };
}

export async function routeModel(autoRef: string, options: RouteOptions = {}): Promise<RouteChoice> {
  routingModeOf(autoRef);
  return chooseModel(await prepareRouting(), autoRef, options);
}

export function chooseModel(context: RoutingContext, autoRef: string, options: RouteOptions = {}): RouteChoice {
  const mode = routingModeOf(autoRef);
  const { config } = context;
  const messages: readonly Message[] = options.request?.messages ?? [];
  const parts = messages.flatMap((message) => (message.role === 'user' && typeof message.content !== 'string' ? message.content : []));
  const promptTokens = messages.length ? estimatePromptTokens(messages) : 0;
  const promptText = messages
    .filter((message) => message.role !== 'system')
    .map(messageText)
    .join('\n');
  const complexity = estimateComplexity(promptText, promptTokens, parts.filter((part) => part.type !== 'text').length);
  const decision = rankModels({
    mode,
    candidates: context.candidates,
    needs: {
      tools: Boolean(options.tools || options.request?.tools?.length),
      vision: parts.some((part) => part.type === 'image'),
      pdf: parts.some((part) => part.type === 'document'),
      schema: Boolean(options.schema || options.request?.responseFormat),
      batch: Boolean(options.batch),
      maxTokens: options.request?.maxTokens ?? config.settings.request.maxTokens,
    },
    complexity,
    budget: context.budget,
    rules: config.settings.routing.rules.map((rule, index) => ({
      number: index + 1,
      when: rule.when,
      target: qualified(config, rule.model),
    })),
  });
  if (options.explain) explainRoute(autoRef, decision, describeComplexity(complexity));
  const winner = decision.winner;
  if (!winner) {
    const reasons = [...new Set(decision.skipped.map((entry) => entry.why))].slice(0, 4).join('; ');
    throw new ConfigError(`-m ${autoRef} found no model that fits this request${reasons ? ` (${reasons})` : ''}`, {
      hint: 'add a key (llmo auth add PROVIDER), give models a quality in models.yaml, or name a model with -m; --explain shows why each was left out',
    });
  }
  return {
    ref: winner.candidate.ref,
    routed: {
      mode: `auto:${mode}`,
      reason: decision.reason,
      runnersUp: decision.ranked.slice(1, 3).map((model) => model.candidate.ref),
    },
    decision,
  };
}

function qualified(config: LlmoConfig, ref: string): string {
  const resolved = resolveModelRef(config.catalog, ref);
  return `${resolved.provider.name}:${resolved.modelId}`;
}

/** routing.candidates, else every model of the catalog; each marked usable when its key is at hand. */
async function candidatesOf(config: LlmoConfig, options: PrepareOptions): Promise<RouteCandidate[]> {
  const measured = await measuredLatencies(config.paths.usageDir);
  const inVault = options.anyKey ? [] : await vaultNames(config);
  const refs = config.settings.routing.candidates.length
    ? config.settings.routing.candidates
    : [...config.catalog.providers.values()].flatMap((provider) => provider.models.map((model) => `${provider.name}:${model.name}`));
  const candidates = new Map<string, RouteCandidate>();
  for (const ref of refs) {
    const resolved = resolveModelRef(config.catalog, ref);
    const key = `${resolved.provider.name}:${resolved.modelId}`;
    if (candidates.has(key)) continue;
    const provider = resolved.provider;
    const usable =
      options.anyKey ||
      !provider.apiKeyName ||
      keyFromEnvironment(provider, config.env).source === 'env' ||
      inVault.includes(provider.name);
    candidates.set(key, {
      ref: key,
      info: resolved.info ?? { name: resolved.modelId, aliases: [] },
      capabilities: resolved.capabilities,
      usable,
      measured: measured.get(key),
    });
  }
  return [...candidates.values()];
}

/** The providers the vault says it holds keys for, read without the password (its list of names). */
async function vaultNames(config: LlmoConfig): Promise<string[]> {
  if (!existsSync(config.paths.vaultFile)) return [];
  const { VaultStore } = await import('../../vault/index.js');
  return new VaultStore(config.paths.vaultFile).listedNames() ?? [];
}

/** The smallest share left of the daily and monthly budgets, from the usage log. */
async function budgetLeft(config: LlmoConfig): Promise<BudgetLeft> {
  const { dailyUsd, monthlyUsd } = config.settings.budgets;
  if (dailyUsd === undefined && monthlyUsd === undefined) return { share: undefined, description: 'no budgets set' };
  const { SpendTracker } = await import('../../usage/spend-tracker.js');
  const spent = await new SpendTracker(config.paths.usageDir).spent();
  const shares: { share: number; period: string }[] = [];
  if (dailyUsd !== undefined) shares.push({ share: dailyUsd > 0 ? Math.max(0, 1 - spent.todayUsd / dailyUsd) : 0, period: "today's" });
  if (monthlyUsd !== undefined)
    shares.push({ share: monthlyUsd > 0 ? Math.max(0, 1 - spent.monthUsd / monthlyUsd) : 0, period: "this month's" });
  const least = shares.reduce((a, b) => (b.share < a.share ? b : a));
  return { share: least.share, description: `${Math.round(least.share * 100)}% of ${least.period} budget left` };
}
