import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestFile, spendDigest } from './month-digest.js';
import type { Grouping } from './parse-since.js';
import { localDayKey } from './periods.js';
import { SpendTracker } from './spend-tracker.js';
import { summariseUsage, UsageSummariser } from './summarise-usage.js';
import { entry } from './usage-fixtures.test-support.js';
import { appendRecord, monthFile, readRecords } from './usage-log.js';
import { formatRecord, toRecord } from './usage-record.js';
import { summariseLog, totalsDigest } from './usage-totals.js';

let usageDir: string;
beforeEach(() => {
  usageDir = mkdtempSync(path.join(tmpdir(), 'llmo-digest-'));
});
afterEach(() => rmSync(usageDir, { recursive: true, force: true }));

const now = new Date(2026, 10, 20, 12, 0, 0);
const log = () => monthFile(usageDir, '2026-11');
const spendFile = () => digestFile(usageDir, '2026-11', spendDigest);
const totalsFile = () => digestFile(usageDir, '2026-11', totalsDigest);
const MODELS = ['gpt-4o-mini', 'gpt-5', 'o3'];

/** `count` records through November up to `now`, some unpriced, two sources: enough bytes for a digest. */
function lines(count: number, from = 0): string {
  let text = '';
  for (let index = from; index < from + count; index++) {
    const time = new Date(Date.UTC(2026, 10, 1) + ((index * 7_919_000) % (19 * 86_400_000)));
    text += formatRecord(
      toRecord(
        entry({
          time: time.toISOString(),
          model: MODELS[index % 3]!,
          costUsd: index % 7 === 0 ? undefined : 0.001 * (1 + (index % 13)),
          source: index % 2 ? { kind: 'chain', name: 'research', id: `run_${index}` } : { kind: 'ask', id: `chat_${index}` },
        }),
      ),
    );
  }
  return text;
}

/** The answers the slow way: every record read. */
async function fullScan() {
  const { records } = await readRecords(usageDir);
  let todayUsd = 0;
  let monthUsd = 0;
  for (const record of records) {
    if (record.cost_usd === null) continue;
    const day = localDayKey(new Date(record.time));
    if (day.startsWith('2026-11')) monthUsd += record.cost_usd;
    if (day === localDayKey(now)) todayUsd += record.cost_usd;
  }
  return { todayUsd, monthUsd, records };
}

async function expectSpendMatchesScan(tracker = new SpendTracker(usageDir)) {
  const spent = await tracker.spent(now);
  const scan = await fullScan();
  expect(spent.monthUsd).toBeCloseTo(scan.monthUsd, 6);
  expect(spent.todayUsd).toBeCloseTo(scan.todayUsd, 6);
  expect(scan.monthUsd).toBeGreaterThan(0);
}

async function expectUsageMatchesScan(since?: Date) {
  const { records } = await readRecords(usageDir, since ? { since } : {});
  for (const by of ['day', 'model', 'provider', 'source'] as Grouping[]) {
    const summariser = new UsageSummariser(by);
    await summariseLog(usageDir, since, summariser);
    const fromDigest = summariser.summary();
    const slow = summariseUsage(records, by);
    expect(fromDigest.groups.map((group) => [group.key, group.calls, group.inputTokens, group.unpricedCalls])).toEqual(
      slow.groups.map((group) => [group.key, group.calls, group.inputTokens, group.unpricedCalls]),
    );
    expect(fromDigest.totals.costUsd).toBeCloseTo(slow.totals.costUsd!, 6);
  }
}

describe('usage digests', () => {
  it('are written once the log is worth it, and then only the tail is read', async () => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), lines(600));
    await expectSpendMatchesScan();
    expect(existsSync(spendFile())).toBe(true);
    const stored = JSON.parse(readFileSync(spendFile(), 'utf8'));
    expect(stored.offset).toBe(readFileSync(log()).length);
    // Lines appended by anyone later are read from the tail, by a new process or the same one.
    const tracker = new SpendTracker(usageDir);
    await tracker.spent(now);
    appendFileSync(log(), lines(50, 600));
    await expectSpendMatchesScan(tracker);
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
    expect(existsSync(totalsFile())).toBe(true);
  });

  it('leaves a small log alone: no digest beside a few records', async () => {
    await appendRecord(usageDir, toRecord(entry({ time: new Date(2026, 10, 20, 9).toISOString(), costUsd: 0.5 })));
    await expectSpendMatchesScan();
    expect(existsSync(spendFile())).toBe(false);
  });

  it.each([
    ['deleted', (file: string) => rmSync(file)],
    ['cut short', (file: string) => writeFileSync(file, readFileSync(file, 'utf8').slice(0, 50))],
    ['garbage', (file: string) => writeFileSync(file, '\u0000garbage')],
    ['from another version', (file: string) => writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), v: 9 }))],
    ['with a wrong number in it', (file: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(/:0\.\d+/, ':"NaN"'))],
    [
      'ahead of the log',
      (file: string) => writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), offset: 10 ** 9 })),
    ],
  ])('are rebuilt when %s, and the answers match a full scan', async (_, damage) => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), lines(600));
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
    damage(spendFile());
    damage(totalsFile());
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
    // And written again, right.
    expect(JSON.parse(readFileSync(spendFile(), 'utf8')).offset).toBe(readFileSync(log()).length);
  });

  it.each([
    ['replaced by another file', () => writeFileSync(log(), lines(700, 5000))],
    ['truncated', () => truncateSync(log(), 40_000)],
    [
      'rewritten in place with the same length (nothing appended since)',
      () => writeFileSync(log(), readFileSync(log(), 'utf8').replaceAll('gpt-5"', 'gpt-9"')),
    ],
  ])('are not trusted when the log was %s', async (_, change) => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), lines(600));
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
    change();
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
  });

  it('give what a full scan gives for --since on a day, and on an hour that is not a quarter', async () => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), lines(800));
    await expectUsageMatchesScan(new Date(2026, 10, 10));
    await expectUsageMatchesScan(new Date(Date.UTC(2026, 10, 12, 7, 41, 13)));
  });

  it('stay right while several writers append and readers catch up at once', async () => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), lines(600));
    const trackers = [1, 2, 3].map(() => new SpendTracker(usageDir));
    await Promise.all([
      ...[0, 1, 2, 3].map(async (writer) => {
        for (let index = 0; index < 60; index++) {
          const time = new Date(2026, 10, 1 + (index % 19), writer, index).toISOString();
          await appendRecord(usageDir, toRecord(entry({ time, costUsd: 0.01 })));
        }
      }),
      ...trackers.map(async (tracker) => {
        for (let round = 0; round < 20; round++) await tracker.spent(now);
      }),
    ]);
    for (const tracker of trackers) await expectSpendMatchesScan(tracker);
    await expectSpendMatchesScan();
    await expectUsageMatchesScan();
  });

  it('count a line far longer than any record as one damaged line, and read on after it', async () => {
    mkdirSync(usageDir, { recursive: true });
    writeFileSync(log(), `${lines(300)}${'x'.repeat(3 << 20)}\n${lines(300, 300)}`);
    const summariser = new UsageSummariser('model');
    const { skipped } = await summariseLog(usageDir, undefined, summariser);
    expect(skipped).toBe(1);
    expect(summariser.summary().totals.calls).toBe(600);
    await expectSpendMatchesScan();
  });

  it('name the file when a month cannot be read', async () => {
    mkdirSync(log(), { recursive: true });
    await expect(new SpendTracker(usageDir).spent(now)).rejects.toThrow(`cannot read the usage log file ${log()}`);
  });
});
