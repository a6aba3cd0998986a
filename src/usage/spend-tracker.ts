/**
 * What has been spent today and this month, from the usage log. The first check reads this
 * month's file(s); later checks in the same process (a chat session, a chain) read only the bytes
 * appended since, by this process or any other, so a check stays cheap however long the log is.
 */
import { open } from 'node:fs/promises';
import { monthFile, visitLines } from './usage-log.js';
import { localDayKey, makeLocalDayOf, startOfLocalMonth } from './periods.js';
import { roundUsd } from './pricing.js';

export interface Spent {
  todayUsd: number;
  monthUsd: number;
  /** Of both: the worst case of calls other processes are making right now (see budget-holds.ts). */
  inFlightUsd?: number;
}

interface FileState {
  /** Bytes read so far; only whole lines are consumed. */
  offset: number;
  /** Device and inode, to notice the file being replaced. */
  identity: string;
  /** USD per local day, from this file. */
  byDay: Map<string, number>;
}

export class SpendTracker {
  private readonly files = new Map<string, FileState>();
  private readonly localDayOf = makeLocalDayOf();

  constructor(private readonly usageDir: string) {}

  async spent(now: Date = new Date()): Promise<Spent> {
    const monthStart = startOfLocalMonth(now);
    for (const month of utcMonthsBetween(monthStart, now)) await this.catchUp(month);
    const today = localDayKey(now);
    const firstDay = localDayKey(monthStart);
    const thisMonth = firstDay.slice(0, 7);
    let todayUsd = 0;
    let monthUsd = 0;
    for (const { byDay } of this.files.values()) {
      for (const [day, usd] of byDay) {
        // A call stamped later this month (a clock that ran ahead, since put right) was still
        // paid for this month: it counts, though it is not today's.
        if (day >= firstDay && day.slice(0, 7) === thisMonth) monthUsd += usd;
        if (day === today) todayUsd += usd;
      }
    }
    return { todayUsd: roundUsd(todayUsd), monthUsd: roundUsd(monthUsd) };
  }

  private async catchUp(month: string): Promise<void> {
    const file = monthFile(this.usageDir, month);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const stat = await handle.stat();
      const identity = `${stat.dev}:${stat.ino}`;
      let state = this.files.get(file);
      if (!state || state.identity !== identity || stat.size < state.offset) {
        // New, replaced or truncated: forget what it contributed and read it all.
        state = { offset: 0, identity, byDay: new Map() };
        this.files.set(file, state);
      }
      if (stat.size === state.offset) return;
      const buffer = Buffer.alloc(stat.size - state.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, state.offset);
      if (bytesRead === 0) return;
      // Leave a trailing partial line for later: it may be torn, or (in theory) still arriving.
      const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (end === -1) return;
      state.offset += end + 1;
      const byDay = state.byDay;
      visitLines(buffer.toString('utf8', 0, end + 1), (record) => {
        if (record.cost_usd === null) return;
        const day = this.localDayOf(record.time);
        byDay.set(day, (byDay.get(day) ?? 0) + record.cost_usd);
      });
    } finally {
      await handle.close();
    }
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
