/** `llmo usage --since` and `--by`, checked up front with messages naming the accepted forms. */
import { UsageError } from '../errors.js';
import { addLocalDays, startOfLocalDay } from './periods.js';

export const SINCE_FORMS = '24h (hours), 7d (today and the 6 days before), 2w (weeks), 2026-11 (a month) or 2026-11-01 (a day)';

/**
 * The start of the period `--since` names. Hours are exact (24h: the last 24 hours); days and
 * weeks are calendar days in local time, so `7d` gives seven whole rows in `--by day`.
 */
export function parseSince(value: string, now: Date = new Date()): Date {
  const text = value.trim();
  const relative = /^(\d+)([hdw])$/.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    if (amount >= 1 && amount <= 100_000) {
      if (relative[2] === 'h') return new Date(now.getTime() - amount * 3_600_000);
      const days = relative[2] === 'w' ? amount * 7 : amount;
      return addLocalDays(startOfLocalDay(now), -(days - 1));
    }
  }
  const date = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (date) {
    const year = Number(date[1]);
    const month = Number(date[2]) - 1;
    const day = date[3] === undefined ? 1 : Number(date[3]);
    const start = new Date(year, month, day);
    // new Date rolls 2026-02-31 over into March; a date that does not exist is a mistake.
    if (start.getFullYear() === year && start.getMonth() === month && start.getDate() === day) return start;
  }
  throw new UsageError(`--since must be like ${SINCE_FORMS}; got "${value}"`);
}

export const GROUPINGS = ['day', 'model', 'provider', 'source'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export function parseGrouping(value: string | undefined): Grouping {
  if (value === undefined) return 'day';
  if ((GROUPINGS as readonly string[]).includes(value)) return value as Grouping;
  throw new UsageError(`--by must be one of ${GROUPINGS.join(', ')}; got "${value}"`);
}
