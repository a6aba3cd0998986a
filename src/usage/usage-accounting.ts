/**
 * Accounting backed by the usage log and the configured budgets: checkBudget estimates the plan's
 * worst case and judges it against what the log says was spent; record appends one line.
 */
import { BudgetError, EnvironmentError, errorMessage, LlmoError } from '../errors.js';
import type { Accounting, BudgetScope, PlannedCall, UsageEntry } from './accounting.js';
import { BudgetHolds, type Hold, type HoldsOptions } from './budget-holds.js';
import { estimateCall } from './estimate.js';
import { judgeBudget, type Budgets } from './judge-budget.js';
import { SpendTracker, type Spent } from './spend-tracker.js';
import { appendEntryOrWarn, appendRecord } from './usage-log.js';
import { toRecord } from './usage-record.js';

export interface UsageAccountingOptions {
  usageDir: string;
  budgets: Budgets;
  /** The user's config.yaml, named in budget hints. */
  configFile: string;
  /** `--no-budget`: check nothing (calls are still recorded). */
  noBudget?: boolean;
  /** A warning line for stderr (default: `llmo: warning: …`). */
  warn?: (message: string) => void;
  /** A note for stderr (default: `llmo: …`). */
  note?: (message: string) => void;
  now?: () => Date;
  /**
   * What was already said in this process, so a warning or note shows once per run even when a
   * command builds several Accounting objects. Tests pass their own.
   */
  said?: Set<string>;
  /** For tests: which process this accounting stands for (see BudgetHolds). */
  holds?: HoldsOptions;
}

const saidInThisProcess = new Set<string>();

function withInFlight(spent: Spent, inFlightUsd: number): Spent {
  if (inFlightUsd <= 0) return spent;
  return { todayUsd: spent.todayUsd + inFlightUsd, monthUsd: spent.monthUsd + inFlightUsd, inFlightUsd };
}

export class UsageAccounting implements Accounting {
  private readonly tracker: SpendTracker;
  private readonly holds: BudgetHolds;
  private readonly said: Set<string>;

  constructor(private readonly options: UsageAccountingOptions) {
    this.tracker = new SpendTracker(options.usageDir);
    this.holds = new BudgetHolds(options.usageDir, options.holds);
    this.said = options.said ?? saidInThisProcess;
  }

  async checkBudget(calls: readonly PlannedCall[], scope?: BudgetScope): Promise<void> {
    const { budgets, noBudget } = this.options;
    if (noBudget || calls.length === 0) return;
    const limited =
      budgets.perCallUsd !== undefined || budgets.dailyUsd !== undefined || budgets.monthlyUsd !== undefined || scope !== undefined;
    if (!limited) return;

    const estimated = calls.map((call) => ({ call, estimate: estimateCall(call) }));
    for (const { call, estimate } of estimated) {
      if (estimate.costUsd === undefined) {
        this.once(`unpriced ${call.provider}:${call.model}`, () =>
          this.noteLine(
            `${call.provider}:${call.model} has no prices in models.yaml, so budgets cannot count it; add pricing to include it`,
          ),
        );
      }
    }
    const judge = async (othersInFlightUsd: number) => {
      const verdict = judgeBudget({
        calls: estimated,
        spent: withInFlight(await this.spent(budgets), othersInFlightUsd),
        budgets,
        scope,
        configFile: this.options.configFile,
      });
      if (verdict.refusal) throw verdict.refusal;
      for (const warning of verdict.warnings) this.once(`warn ${warning.limit}`, () => this.warnLine(warning.message));
      // A single call about to be made holds its worst case until it is recorded, so that other
      // processes count it. A plan's check (a chain, a fan-out) holds nothing: each of its calls
      // checks again, and holds, when it is made.
      const only = estimated.length === 1 ? estimated[0]! : undefined;
      const usd = only?.estimate.costUsd;
      return {
        result: undefined,
        ...(only && usd ? { hold: { provider: only.call.provider, model: only.call.model, usd, time: this.now().toISOString() } } : {}),
      };
    };
    // Only daily and monthly limits add up calls; the others need no view of calls in flight.
    if (budgets.dailyUsd === undefined && budgets.monthlyUsd === undefined) {
      await judge(0);
      return;
    }
    try {
      await this.holds.whileLocked(judge, (orphans) => this.bookOrphans(orphans));
    } catch (error) {
      // A refusal, or a lock that stays busy: never judged without the lock.
      if (error instanceof BudgetError || error instanceof EnvironmentError) throw error;
      // The holds are a refinement: without them (a read-only data directory) judge as before.
      this.once('holds', () =>
        this.warnLine(`budget: cannot keep track of calls in flight in ${this.options.usageDir}: ${errorMessage(error)}`),
      );
      await judge(0);
    }
  }

  async record(entry: UsageEntry): Promise<void> {
    if (entry.estimated === 'no-usage') {
      this.once(`estimated ${entry.provider}:${entry.model}`, () =>
        this.noteLine(
          `${entry.provider}:${entry.model} sent no token usage, so its usage and cost were estimated from the text (marked "estimated" in the usage log)`,
        ),
      );
    }
    await appendEntryOrWarn(this.options.usageDir, entry, (message) => this.warnLine(message));
    // After the append, so that a check in between counts the call twice rather than not at all.
    await this.holds.release(entry).catch(() => undefined);
  }

  /**
   * Calls of processes that died in flight (SIGKILL, SIGHUP, a crash) were never recorded: each
   * is booked at its worst case, so an interrupted call still counts against the budget.
   */
  private async bookOrphans(orphans: Hold[]): Promise<void> {
    for (const hold of orphans) {
      await appendRecord(
        this.options.usageDir,
        toRecord({
          time: hold.time,
          provider: hold.provider,
          model: hold.model,
          usage: undefined,
          costUsd: hold.usd,
          durationMs: 0,
          ttftMs: undefined,
          status: 'aborted',
          errorKind: 'ProcessDied',
          source: { kind: 'ask' },
          estimated: 'interrupted',
        }),
      );
    }
    this.once('orphans', () =>
      this.noteLine(
        `budget: ${orphans.length} call${orphans.length === 1 ? '' : 's'} of an llmo process that ended before recording ${orphans.length === 1 ? 'it' : 'them'} counted at ${orphans.length === 1 ? 'its' : 'their'} worst case`,
      ),
    );
  }

  private async spent(budgets: Budgets): Promise<Spent> {
    if (budgets.dailyUsd === undefined && budgets.monthlyUsd === undefined) return { todayUsd: 0, monthUsd: 0 };
    try {
      return await this.tracker.spent(this.options.now?.() ?? new Date());
    } catch (error) {
      // Without the log a daily or monthly limit cannot be honoured: refuse rather than guess.
      throw new BudgetError(
        `budget: cannot read the usage log in ${this.options.usageDir} to check the daily/monthly budget: ${errorMessage(error)}`,
        {
          // The reader names the file and what to do about it; the directory is rarely the cause.
          hint: `${error instanceof LlmoError && error.hint ? error.hint : `check that ${this.options.usageDir} and its files are readable`}, or pass --no-budget to skip budgets for this run`,
        },
      );
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private once(key: string, say: () => void): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    say();
  }

  private warnLine(message: string): void {
    if (this.options.warn) this.options.warn(message);
    else process.stderr.write(`llmo: warning: ${message}\n`);
  }

  private noteLine(message: string): void {
    if (this.options.note) this.options.note(message);
    else process.stderr.write(`llmo: ${message}\n`);
  }
}
