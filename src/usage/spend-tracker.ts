/**
 * What has been spent today and this month, from the usage log. Each month's spend comes from its
 * digest (month-digest.ts) plus the lines appended since; later checks in the same process (a chat
 * session, a chain) read only the bytes appended since their last look, by this process or any
 * other, so a check costs the same however long the log is.
 */
import { catchUpMonth, type MonthDigest, quarterStart, type SpendByQuarter, spendDigest } from './month-digest.js';
import { localDayKey, startOfLocalMonth } from './periods.js';
import { roundUsd } from './pricing.js';

export interface Spent {
  todayUsd: number;
  monthUsd: number;
  /** Of both: the worst case of calls other processes are making right now (see budget-holds.ts). */
  inFlightUsd?: number;
}

export class SpendTracker {
  private readonly months = new Map<string, MonthDigest<SpendByQuarter>>();
  private readonly dayOfQuarter = new Map<string, string>();

  constructor(private readonly usageDir: string) {}

  async spent(now: Date = new Date()): Promise<Spent> {
    const monthStart = startOfLocalMonth(now);
    const wanted = utcMonthsBetween(monthStart, now);
    for (const month of wanted) {
      const digest = await catchUpMonth(this.usageDir, month, spendDigest, this.months.get(month));
      if (digest) this.months.set(month, digest);
      else this.months.delete(month);
    }
    const today = localDayKey(now);
    const firstDay = localDayKey(monthStart);
    const thisMonth = firstDay.slice(0, 7);
    let todayUsd = 0;
    let monthUsd = 0;
    for (const month of wanted) {
      for (const [quarter, usd] of this.months.get(month)?.data ?? []) {
        const day = this.localDay(quarter);
        // A call stamped later this month (a clock that ran ahead, since put right) was still
        // paid for this month: it counts, though it is not today's.
        if (day >= firstDay && day.slice(0, 7) === thisMonth) monthUsd += usd;
        if (day === today) todayUsd += usd;
      }
    }
    return { todayUsd: roundUsd(todayUsd), monthUsd: roundUsd(monthUsd) };
  }

  private localDay(quarter: string): string {
    let day = this.dayOfQuarter.get(quarter);
    if (day === undefined) {
      day = localDayKey(quarterStart(quarter));
      this.dayOfQuarter.set(quarter, day);
    }
    return day;
  }
}

/** The UTC months whose files can hold records between two times (`2026-10`, `2026-11`). */
export function utcMonthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const lastYear = to.getUTCFullYear();
  const lastMonth = to.getUTCMonth();
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}
