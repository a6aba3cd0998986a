import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetError, ExitCode } from '../errors.js';
import type { PlannedCall } from './accounting.js';
import { estimateCall } from './estimate.js';
import type { Budgets } from './judge-budget.js';
import { UsageAccounting } from './usage-accounting.js';
import { entry } from './usage-fixtures.test-support.js';
import { appendRecord, readRecords } from './usage-log.js';
import { toRecord } from './usage-record.js';

let usageDir: string;
beforeEach(() => {
  usageDir = mkdtempSync(path.join(tmpdir(), 'llmo-accounting-'));
});
afterEach(() => rmSync(usageDir, { recursive: true, force: true }));

const now = new Date(2026, 10, 15, 12, 0, 0);
const noLimits: Budgets = { perCallUsd: undefined, dailyUsd: undefined, monthlyUsd: undefined, warnAt: 0.8 };

/** gpt-4o-mini with max_tokens 10,000: a worst case of ≈ $0.006. */
function plannedCall(overrides: Partial<PlannedCall> = {}): PlannedCall {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    pricing: { input: 0.15, output: 0.6, cachedInput: 0.075 },
    request: { messages: [{ role: 'user', content: 'hello' }], maxTokens: 10_000 },
    defaultMaxTokens: 16_384,
    ...overrides,
  };
}
const worstCase = estimateCall(plannedCall()).costUsd!;

function accounting(budgets: Partial<Budgets>, options: { noBudget?: boolean } = {}) {
  const warnings: string[] = [];
  const notes: string[] = [];
  const instance = new UsageAccounting({
    usageDir,
    budgets: { ...noLimits, ...budgets },
    configFile: '/home/me/.config/llmo/config.yaml',
    noBudget: options.noBudget ?? false,
    warn: (message) => warnings.push(message),
    note: (message) => notes.push(message),
    now: () => now,
    said: new Set(),
  });
  return { accounting: instance, warnings, notes };
}

async function spent(costUsd: number, at: Date = now): Promise<void> {
  await appendRecord(usageDir, toRecord(entry({ time: at.toISOString(), costUsd })));
}

async function refusal(promise: Promise<void>): Promise<BudgetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BudgetError);
  return error as BudgetError;
}

describe('checkBudget', () => {
  it('refuses a call whose worst case alone passes per_call_usd, naming the limit, the estimate and the fixes', async () => {
    const { accounting: subject } = accounting({ perCallUsd: 0.001 });
    const error = await refusal(subject.checkBudget([plannedCall()]));
    expect(error.exitCode).toBe(ExitCode.budget);
    expect(error.message).toContain('openai:gpt-4o-mini could cost up to $0.006');
    expect(error.message).toContain('per-call budget of $0.001 (budgets.per_call_usd)');
    expect(error.message).toMatch(/10,000 max output tokens/);
    expect(error.hint).toContain('budgets.per_call_usd in /home/me/.config/llmo/config.yaml');
    expect(error.hint).toContain('--no-budget');
  });

  it('refuses when spent today + the worst case passes daily_usd, saying what was spent', async () => {
    await spent(0.996);
    await spent(5, new Date(2026, 10, 14, 12)); // yesterday: not today's
    const { accounting: subject } = accounting({ dailyUsd: 1 });
    const error = await refusal(subject.checkBudget([plannedCall()]));
    expect(error.message).toContain('the daily budget (budgets.daily_usd) of $1.00');
    expect(error.message).toContain('$0.9960 spent today');
    expect(error.message).toContain(`up to $${worstCase.toFixed(6).replace(/0+$/, '')}`);
    expect(error.hint).toContain('budgets.daily_usd');
  });

  it('lets the call through when it fits, and says nothing below warn_at', async () => {
    await spent(0.5);
    const { accounting: subject, warnings } = accounting({ dailyUsd: 1, monthlyUsd: 10, perCallUsd: 0.01 });
    await subject.checkBudget([plannedCall()]);
    expect(warnings).toEqual([]);
  });

  it('refuses when spent this month + the worst case passes monthly_usd', async () => {
    await spent(4.997, new Date(2026, 10, 1, 0, 10));
    await spent(100, new Date(2026, 9, 31, 23, 50)); // last month
    const { accounting: subject } = accounting({ monthlyUsd: 5 });
    const error = await refusal(subject.checkBudget([plannedCall()]));
    expect(error.message).toContain('the monthly budget (budgets.monthly_usd) of $5.00');
    expect(error.message).toContain('$4.9970 spent this month');
  });

  it('judges a list of planned calls by their sum (a chain plan)', async () => {
    const { accounting: subject } = accounting({ dailyUsd: worstCase * 2.5 });
    await subject.checkBudget([plannedCall(), plannedCall()]);
    const error = await refusal(subject.checkBudget([plannedCall(), plannedCall(), plannedCall()]));
    expect(error.message).toContain('these 3 calls could pass the daily budget');
  });

  it("refuses a plan over a chain's own budget_usd", async () => {
    const { accounting: subject } = accounting({});
    const error = await refusal(
      subject.checkBudget([plannedCall(), plannedCall()], { limitUsd: worstCase, label: 'chain research budget_usd' }),
    );
    expect(error.message).toContain('could pass chain research budget_usd');
    expect(error.hint).toContain('raise chain research budget_usd');
    await subject.checkBudget([plannedCall()], { limitUsd: worstCase * 2, label: 'chain research budget_usd' });
  });

  it('warns once per process when the worst case reaches warn_at of a limit', async () => {
    await spent(0.85);
    const { accounting: subject, warnings } = accounting({ dailyUsd: 1 });
    await subject.checkBudget([plannedCall()]);
    await subject.checkBudget([plannedCall()]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^spending could reach \$0\.85\d*, 85 % of the daily budget \(budgets\.daily_usd\) of \$1\.00/);
    expect(warnings[0]).toContain('$0.8500 spent today');
  });

  it('honours a configured warn_at', async () => {
    await spent(0.5);
    const { accounting: subject, warnings } = accounting({ dailyUsd: 1, warnAt: 0.5 });
    await subject.checkBudget([plannedCall()]);
    expect(warnings).toHaveLength(1);
  });

  it('lets unpriced models through with a note, once', async () => {
    await spent(10);
    const { accounting: subject, notes } = accounting({ dailyUsd: 1, perCallUsd: 0.0001 });
    const unpriced = plannedCall({ provider: 'ollama', model: 'llama3.2', pricing: undefined });
    await subject.checkBudget([unpriced]);
    await subject.checkBudget([unpriced]);
    expect(notes).toEqual(['ollama:llama3.2 has no prices in models.yaml, so budgets cannot count it; add pricing to include it']);
  });

  it('checks nothing with --no-budget', async () => {
    await spent(10);
    const { accounting: subject, warnings } = accounting({ dailyUsd: 1, perCallUsd: 0.0001 }, { noBudget: true });
    await subject.checkBudget([plannedCall()], { limitUsd: 0, label: 'chain x budget_usd' });
    expect(warnings).toEqual([]);
  });

  it('does not read the log when no limit is set', async () => {
    // A usage "directory" that is a file: any read would fail.
    const file = path.join(usageDir, 'not-a-directory');
    writeFileSync(file, '');
    const subject = new UsageAccounting({ usageDir: file, budgets: noLimits, configFile: 'config.yaml', said: new Set() });
    await subject.checkBudget([plannedCall()]);
  });
});

describe('several processes at once', () => {
  /** The accounting of another llmo process (pid), on the same usage log. */
  function processWith(pid: number, alive: Set<number>, budgets: Partial<Budgets>) {
    return new UsageAccounting({
      usageDir,
      budgets: { ...noLimits, ...budgets },
      configFile: 'config.yaml',
      warn: () => {},
      note: () => {},
      now: () => now,
      said: new Set(),
      holds: { pid, host: 'this-host', isAlive: (candidate) => alive.has(candidate) },
    });
  }

  it("counts the worst case of another process's call in flight, until that call is recorded", async () => {
    const alive = new Set([101, 102]);
    const budgets = { dailyUsd: worstCase * 1.5 };
    const first = processWith(101, alive, budgets);
    const second = processWith(102, alive, budgets);
    await first.checkBudget([plannedCall()]);
    const error = await refusal(second.checkBudget([plannedCall()]));
    expect(error.message).toMatch(/spent today \(including up to \$[\d.]+ for calls still in flight\)/);
    // The first call finishes, costing far less than its worst case: the room is back.
    await first.record(entry({ time: now.toISOString(), costUsd: 0.0001 }));
    await second.checkBudget([plannedCall()]);
  });

  it('lets only as many of many simultaneous checks through as the budget holds', async () => {
    const pids = [201, 202, 203, 204, 205, 206];
    const alive = new Set(pids);
    const outcomes = await Promise.allSettled(
      pids.map((pid) => processWith(pid, alive, { dailyUsd: worstCase * 2.5 }).checkBudget([plannedCall()])),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(
      outcomes
        .filter((outcome) => outcome.status === 'rejected')
        .every((outcome) => (outcome as PromiseRejectedResult).reason instanceof BudgetError),
    ).toBe(true);
  });

  it('books the hold of a process that died before recording its call at its worst case', async () => {
    const alive = new Set([301, 302]);
    const budgets = { dailyUsd: worstCase * 1.5 };
    await processWith(301, alive, budgets).checkBudget([plannedCall()]);
    alive.delete(301);
    // SIGKILL, SIGHUP: the call was made and never recorded. It is not free.
    await refusal(processWith(302, alive, budgets).checkBudget([plannedCall()]));
    expect(readdirSync(path.join(usageDir, 'holds')).filter((name) => name.startsWith('this-host-301'))).toEqual([]);
    const { records } = await readRecords(usageDir);
    expect(records).toEqual([expect.objectContaining({ cost_usd: worstCase, status: 'aborted', estimated: true })]);
  });

  it("does not count a process's own calls twice (a plan checked, then each of its calls)", async () => {
    const alive = new Set([401]);
    const subject = processWith(401, alive, { dailyUsd: worstCase * 2.5 });
    await subject.checkBudget([plannedCall(), plannedCall()]);
    await subject.checkBudget([plannedCall()]);
    await subject.record(entry({ time: now.toISOString(), costUsd: 0.0001 }));
    await subject.checkBudget([plannedCall()]);
  });

  it("lets only as many of one fan-out's simultaneous checks through as the budget holds", async () => {
    const alive = new Set([601]);
    const subject = processWith(601, alive, { dailyUsd: worstCase * 2.5 });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => subject.checkBudget([plannedCall()])));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof BudgetError)).toHaveLength(4);
  });

  it("leaves no hold behind once a fan-out's calls, recorded at once, are all recorded", async () => {
    const alive = new Set([701, 702]);
    const budgets = { dailyUsd: worstCase * 25 };
    const fanOut = processWith(701, alive, budgets);
    await Promise.all(Array.from({ length: 20 }, () => fanOut.checkBudget([plannedCall()])));
    await Promise.all(Array.from({ length: 20 }, () => fanOut.record(entry({ time: now.toISOString(), costUsd: 0.0001 }))));
    expect(readdirSync(path.join(usageDir, 'holds')).filter((name) => name.startsWith('this-host-701'))).toEqual([]);
    // Had one been left, it would be booked at its worst case once the process had ended.
    alive.delete(701);
    await processWith(702, alive, budgets).checkBudget([plannedCall()]);
    const { records } = await readRecords(usageDir);
    expect(records.filter((record) => record.status === 'aborted')).toEqual([]);
  });

  it('counts two calls in flight to the same model twice (a parallel stage, one process)', async () => {
    const alive = new Set([501]);
    const subject = processWith(501, alive, { dailyUsd: worstCase * 1.5 });
    await subject.checkBudget([plannedCall()]);
    await refusal(subject.checkBudget([plannedCall()]));
  });
});

describe('record', () => {
  it('appends one line per call to the log', async () => {
    const { accounting: subject } = accounting({});
    await subject.record(entry({ time: now.toISOString(), costUsd: 0.25, source: { kind: 'chat', id: 'chat_1' } }));
    const { records } = await readRecords(usageDir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ cost_usd: 0.25, source: 'chat', source_id: 'chat_1' });
  });

  it('never throws: a failed write is a warning', async () => {
    const file = path.join(usageDir, 'a-file');
    writeFileSync(file, '');
    const warnings: string[] = [];
    const subject = new UsageAccounting({
      usageDir: path.join(file, 'usage'),
      budgets: noLimits,
      configFile: 'config.yaml',
      warn: (message) => warnings.push(message),
      said: new Set(),
    });
    await expect(subject.record(entry())).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write the usage log in .*: .*ENOTDIR.*; this call is not counted/);
  });
});
