/**
 * The budget rules, as a pure function of the plan, what was spent and the limits: which limit
 * (if any) the worst case would pass, and which limits it would bring within warn_at.
 */
import type { Settings } from '../config/settings.js';
import { BudgetError } from '../errors.js';
import type { BudgetScope, PlannedCall } from './accounting.js';
import type { CallEstimate } from './estimate.js';
import { formatUsd, roundUsd, withCommas } from './pricing.js';
import type { Spent } from './spend-tracker.js';

export type Budgets = Settings['budgets'];

export interface EstimatedCall {
  call: PlannedCall;
  estimate: CallEstimate;
}

export interface BudgetWarning {
  /** One warning per limit per process: `daily`, `monthly`, or the scope's label. */
  limit: string;
  message: string;
}

export interface BudgetVerdict {
  refusal: BudgetError | undefined;
  warnings: BudgetWarning[];
}

export interface JudgeInput {
  calls: readonly EstimatedCall[];
  spent: Spent;
  budgets: Budgets;
  scope?: BudgetScope | undefined;
  /** The user's config.yaml, named in hints. */
  configFile: string;
}

export function judgeBudget(input: JudgeInput): BudgetVerdict {
  const { calls, spent, budgets, scope, configFile } = input;
  const warnings: BudgetWarning[] = [];
  const priced = calls.filter((entry) => entry.estimate.costUsd !== undefined);
  const planUsd = roundUsd(priced.reduce((sum, entry) => sum + entry.estimate.costUsd!, 0));
  const subject = calls.length === 1 ? describe(calls[0]!) : `these ${calls.length} calls`;
  const forWhat = calls.length === 1 ? 'this call' : 'them';
  const hintFor = (key: string) =>
    `raise budgets.${key} in ${configFile}, lower the output limit (--max-tokens), or pass --no-budget to skip budgets for this run`;

  if (budgets.perCallUsd !== undefined) {
    for (const entry of priced) {
      const cost = entry.estimate.costUsd!;
      if (cost > budgets.perCallUsd) {
        return refuse(
          `${describe(entry)} could cost up to ${formatUsd(cost)} (${tokens(entry.estimate)}), over the per-call budget of ${formatUsd(budgets.perCallUsd)} (budgets.per_call_usd)`,
          hintFor('per_call_usd'),
        );
      }
    }
  }

  const limits: { limit: string; label: string; spentUsd: number; spentWhen: string; limitUsd: number; hint: string }[] = [];
  const inFlight = spent.inFlightUsd ? ` (including up to ${formatUsd(spent.inFlightUsd)} for calls still in flight)` : '';
  if (scope) {
    limits.push({
      limit: scope.label,
      label: scope.label,
      spentUsd: scope.spentUsd ?? 0,
      spentWhen: 'spent in this run',
      limitUsd: scope.limitUsd,
      hint: `raise ${scope.label}, lower the steps' max_tokens, or pass --no-budget to skip budgets for this run`,
    });
  }
  if (budgets.dailyUsd !== undefined) {
    limits.push({
      limit: 'daily',
      label: 'the daily budget (budgets.daily_usd)',
      spentUsd: spent.todayUsd,
      spentWhen: `spent today${inFlight}`,
      limitUsd: budgets.dailyUsd,
      hint: hintFor('daily_usd'),
    });
  }
  if (budgets.monthlyUsd !== undefined) {
    limits.push({
      limit: 'monthly',
      label: 'the monthly budget (budgets.monthly_usd)',
      spentUsd: spent.monthUsd,
      spentWhen: `spent this month${inFlight}`,
      limitUsd: budgets.monthlyUsd,
      hint: hintFor('monthly_usd'),
    });
  }

  // Calls to unpriced models alone are never refused: their cost cannot be known.
  if (priced.length === 0) return { refusal: undefined, warnings };
  for (const limit of limits) {
    const worst = roundUsd(limit.spentUsd + planUsd);
    const sum = `${formatTotal(limit.spentUsd)} ${limit.spentWhen} + up to ${formatUsd(planUsd)} for ${forWhat}`;
    if (worst > limit.limitUsd) {
      return refuse(`${subject} could pass ${limit.label} of ${formatUsd(limit.limitUsd)}: ${sum} = ${formatTotal(worst)}`, limit.hint);
    }
    if (limit.limitUsd > 0 && worst >= budgets.warnAt * limit.limitUsd) {
      const percent = Math.floor((worst / limit.limitUsd) * 100);
      warnings.push({
        limit: limit.limit,
        message: `spending could reach ${formatTotal(worst)}, ${percent} % of ${limit.label} of ${formatUsd(limit.limitUsd)} (${sum})`,
      });
    }
  }
  return { refusal: undefined, warnings };

  function refuse(message: string, hint: string): BudgetVerdict {
    return { refusal: new BudgetError(`budget: ${message}`, { hint }), warnings };
  }
}

/** Sums near a limit need their cents' fractions: $1.0048 must not print as $1.00. */
function formatTotal(usd: number): string {
  return usd >= 0.01 ? `$${usd.toFixed(4)}` : formatUsd(usd);
}

function describe(entry: EstimatedCall): string {
  return `${entry.call.provider}:${entry.call.model}`;
}

function tokens(estimate: CallEstimate): string {
  return `≈${withCommas(estimate.inputTokens)} prompt + ${withCommas(estimate.outputTokens)} max output tokens`;
}
