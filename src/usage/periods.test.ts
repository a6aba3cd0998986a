import { afterEach, describe, expect, it } from 'vitest';
import { localDayKey, makeLocalDayOf } from './periods.js';

const originalTimeZone = process.env.TZ;
afterEach(() => {
  if (originalTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalTimeZone;
});

describe('makeLocalDayOf', () => {
  // Whole-hour, half-hour and 45-minute offsets, and a zone whose DST shift is 30 minutes.
  it.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago'])(
    'agrees with a Date per record in %s, across a year and its DST changes',
    (timeZone) => {
      process.env.TZ = timeZone;
      // The zone really is in force: 18:40 UTC is already tomorrow in Kolkata and Kathmandu.
      const evening = localDayKey(new Date('2026-01-01T18:40:00.000Z'));
      expect(evening).toBe(['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe'].includes(timeZone) ? '2026-01-02' : '2026-01-01');
      const localDayOf = makeLocalDayOf();
      const start = Date.UTC(2026, 0, 1);
      const mismatches: string[] = [];
      // Every 7 minutes for a year: every hour of every day, at varying minutes.
      for (let time = start; time < start + 366 * 86_400_000; time += 7 * 60_000) {
        const iso = new Date(time).toISOString();
        if (localDayOf(iso) !== localDayKey(new Date(iso))) mismatches.push(iso);
      }
      expect(mismatches).toEqual([]);
    },
  );
});
