import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLocalDays, startOfLocalMonth } from './periods.js';
import { SpendTracker, utcMonthsBetween } from './spend-tracker.js';
import { entry } from './usage-fixtures.test-support.js';
import { appendRecord, monthFile, monthOf } from './usage-log.js';
import { formatRecord, toRecord } from './usage-record.js';

let usageDir: string;
beforeEach(() => {
  usageDir = mkdtempSync(path.join(tmpdir(), 'llmo-spend-'));
});
afterEach(() => rmSync(usageDir, { recursive: true, force: true }));

// Mid-month, mid-day local time, so "yesterday" and "earlier this month" exist.
const now = new Date(2026, 10, 15, 12, 0, 0);

async function spend(at: Date, costUsd: number | undefined): Promise<void> {
  await appendRecord(usageDir, toRecord(entry({ time: at.toISOString(), costUsd })));
}

describe('SpendTracker', () => {
  it('sums today and this month in local time, leaving out unpriced calls', async () => {
    await spend(new Date(2026, 10, 15, 0, 30), 0.5); // today, just after local midnight
    await spend(new Date(2026, 10, 15, 11, 0), 0.25); // today
    await spend(new Date(2026, 10, 15, 11, 30), undefined); // unpriced
    await spend(addLocalDays(now, -1), 1); // yesterday
    await spend(new Date(2026, 10, 1, 0, 5), 2); // first minutes of the month
    await spend(new Date(2026, 9, 31, 23, 55), 4); // last month
    const spent = await new SpendTracker(usageDir).spent(now);
    expect(spent.todayUsd).toBeCloseTo(0.75, 9);
    expect(spent.monthUsd).toBeCloseTo(3.75, 9);
  });

  it('counts a call stamped later this month by a clock that ran ahead in the month, not in today', async () => {
    await spend(new Date(2026, 10, 20, 9, 0), 0.5); // "the 20th", written while the clock was 5 days ahead
    await spend(new Date(2026, 11, 3, 9, 0), 7); // next month: not this month's money
    const spent = await new SpendTracker(usageDir).spent(now);
    expect(spent.todayUsd).toBe(0);
    expect(spent.monthUsd).toBeCloseTo(0.5, 9);
  });

  it('picks up what other processes append after the first check', async () => {
    const tracker = new SpendTracker(usageDir);
    await spend(now, 0.1);
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.1, 9);
    await spend(now, 0.2);
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.3, 9);
  });

  it('does not count a torn tail, then counts what is appended after it', async () => {
    const tracker = new SpendTracker(usageDir);
    await spend(now, 0.1);
    const file = monthFile(usageDir, monthOf(now.toISOString()));
    appendFileSync(file, formatRecord(toRecord(entry({ time: now.toISOString(), costUsd: 5 }))).slice(0, 50));
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.1, 9);
    await spend(now, 0.2);
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.3, 9);
  });

  it('rereads a file that was replaced', async () => {
    const tracker = new SpendTracker(usageDir);
    await spend(now, 0.1);
    await spend(now, 0.2);
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.3, 9);
    const file = monthFile(usageDir, monthOf(now.toISOString()));
    writeFileSync(`${file}.new`, formatRecord(toRecord(entry({ time: now.toISOString(), costUsd: 0.05 }))));
    renameSync(`${file}.new`, file);
    expect((await tracker.spent(now)).todayUsd).toBeCloseTo(0.05, 9);
  });

  it('reads every UTC month file a local month can touch', () => {
    expect(utcMonthsBetween(new Date(Date.UTC(2026, 9, 31, 22)), new Date(Date.UTC(2026, 10, 15)))).toEqual(['2026-10', '2026-11']);
    expect(utcMonthsBetween(new Date(Date.UTC(2026, 11, 1)), new Date(Date.UTC(2027, 0, 2)))).toEqual(['2026-12', '2027-01']);
    expect(utcMonthsBetween(startOfLocalMonth(now), now).at(-1)).toBe(monthOf(now.toISOString()));
  });
});
