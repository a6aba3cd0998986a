import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entry } from './usage-fixtures.test-support.js';
import { appendRecord, listMonths, monthFile, readRecords } from './usage-log.js';
import { formatRecord, parseRecord, toRecord } from './usage-record.js';

let root: string;
let usageDir: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'llmo-usage-log-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  usageDir = mkdtempSync(path.join(root, 'usage-'));
});

describe('usage records', () => {
  it('round-trip every field of an entry through one line', () => {
    const record = toRecord(
      entry({
        time: '2026-11-03T10:00:00.000Z',
        usage: { inputTokens: 7000, outputTokens: 500, cachedInputTokens: 4000, cacheWriteTokens: 2000, reasoningTokens: 100 },
        costUsd: 0.0177,
        status: 'error',
        errorKind: 'RateLimitError',
        source: { kind: 'chain', name: 'research', step: 'analyze', id: 'run_1' },
      }),
    );
    const line = formatRecord(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(parseRecord(line.slice(0, -1))).toEqual({
      v: 1,
      time: '2026-11-03T10:00:00.000Z',
      provider: 'openai',
      model: 'gpt-4o-mini',
      input_tokens: 7000,
      output_tokens: 500,
      cached_input_tokens: 4000,
      cache_write_tokens: 2000,
      reasoning_tokens: 100,
      cost_usd: 0.0177,
      duration_ms: 900,
      ttft_ms: 200,
      status: 'error',
      error: 'RateLimitError',
      source: 'chain',
      source_name: 'research',
      step: 'analyze',
      source_id: 'run_1',
    });
  });

  it('store an unpriced call as cost_usd null, and leave out usage that was not reported', () => {
    const record = toRecord(entry({ usage: undefined, costUsd: undefined }));
    expect(record.cost_usd).toBeNull();
    expect(record).not.toHaveProperty('input_tokens');
  });

  it('mark usage estimated from the text (a stream that carried none) as estimated: true', () => {
    const estimated = toRecord(entry({ usage: { inputTokens: 47, outputTokens: 5 }, estimated: 'no-usage', costUsd: 0.00001 }));
    expect(estimated).toMatchObject({ input_tokens: 47, output_tokens: 5, estimated: true });
    expect(toRecord(entry({ usage: { inputTokens: 47, outputTokens: 5 } }))).not.toHaveProperty('estimated');
  });

  it('mark an interrupted call, even one with no usage at all (its process died), as estimated: true', () => {
    expect(toRecord(entry({ usage: { inputTokens: 47, outputTokens: 2 }, estimated: 'interrupted' }))).toMatchObject({ estimated: true });
    expect(toRecord(entry({ usage: undefined, costUsd: 0.5, estimated: 'interrupted' }))).toMatchObject({ cost_usd: 0.5, estimated: true });
  });

  it('stay under 1 KiB however long the names are, so each append is one small write', () => {
    const long = 'x'.repeat(10_000);
    const line = formatRecord(
      toRecord(entry({ model: long, errorKind: long, source: { kind: 'chain', name: long, step: long, id: long } })),
    );
    expect(Buffer.byteLength(line)).toBeLessThan(1500);
  });

  it('reject lines that are not records', () => {
    expect(parseRecord('{"v":1,"time":"2026-11-03T10:00:00.000Z","provider":"openai","mod')).toBeUndefined();
    expect(parseRecord('not json')).toBeUndefined();
    expect(parseRecord('{"time":"yesterday","provider":"a","model":"b","cost_usd":null,"status":"ok","source":"ask"}')).toBeUndefined();
  });
});

describe('the usage log', () => {
  it('files records by the UTC month they started in and reads them back in order', async () => {
    await appendRecord(usageDir, toRecord(entry({ time: '2026-10-31T23:59:00.000Z' })));
    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-01T00:01:00.000Z' })));
    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-02T00:01:00.000Z' })));
    expect(await listMonths(usageDir)).toEqual(['2026-10', '2026-11']);
    const { records, skipped } = await readRecords(usageDir);
    expect(records.map((record) => record.time)).toEqual([
      '2026-10-31T23:59:00.000Z',
      '2026-11-01T00:01:00.000Z',
      '2026-11-02T00:01:00.000Z',
    ]);
    expect(skipped).toBe(0);
  });

  it('reads nothing, without failing, when there is no log yet', async () => {
    expect(await readRecords(path.join(usageDir, 'missing'))).toEqual({ records: [], skipped: 0 });
  });

  it('skips a torn last line, and the next append starts on a line of its own', async () => {
    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-01T10:00:00.000Z' })));
    const whole = formatRecord(toRecord(entry({ time: '2026-11-01T11:00:00.000Z' })));
    // A crash part-way through a record: half a line, no newline.
    appendFileSync(monthFile(usageDir, '2026-11'), whole.slice(0, 60));
    const torn = await readRecords(usageDir);
    expect(torn.records).toHaveLength(1);
    expect(torn.skipped).toBe(1);

    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-01T12:00:00.000Z' })));
    const after = await readRecords(usageDir);
    expect(after.records.map((record) => record.time)).toEqual(['2026-11-01T10:00:00.000Z', '2026-11-01T12:00:00.000Z']);
    expect(after.skipped).toBe(1);
  });

  it('skips a damaged line in the middle and ignores blank lines', async () => {
    const good = formatRecord(toRecord(entry({ time: '2026-11-01T10:00:00.000Z' })));
    writeFileSync(monthFile(usageDir, '2026-11'), `${good}\n{"broken\n\n${good}`);
    const { records, skipped } = await readRecords(usageDir);
    expect(records).toHaveLength(2);
    expect(skipped).toBe(1);
  });

  it('treats impossible values as damage and names each bad line by its number', async () => {
    const good = formatRecord(toRecord(entry({ time: '2026-11-01T10:00:00.000Z', costUsd: 0.5 })));
    const bad = (change: string) => good.replace('"cost_usd":0.5', change);
    const text = [
      good,
      bad('"cost_usd":1e999'),
      bad('"cost_usd":"0.5"'),
      bad('"cost_usd":-3'),
      good.replace('"input_tokens":100', '"input_tokens":"many"'),
      good,
    ].join('');
    writeFileSync(monthFile(usageDir, '2026-11'), text);
    const { forEachRecord } = await import('./usage-log.js');
    const costs: (number | null)[] = [];
    const { skipped, damaged } = await forEachRecord(usageDir, {}, (record) => costs.push(record.cost_usd));
    expect(costs).toEqual([0.5, 0.5]);
    expect(skipped).toBe(4);
    expect(damaged).toEqual([2, 3, 4, 5].map((line) => `${monthFile(usageDir, '2026-11')}:${line}`));
  });

  it('opens only the month files a --since can need', async () => {
    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-05T10:00:00.000Z' })));
    await appendRecord(usageDir, toRecord(entry({ time: '2026-11-20T10:00:00.000Z' })));
    // An older "file" that cannot be read at all: reading it would throw EISDIR.
    mkdirSync(monthFile(usageDir, '2026-09'));
    const { records } = await readRecords(usageDir, { since: new Date('2026-11-10T00:00:00.000Z') });
    expect(records.map((record) => record.time)).toEqual(['2026-11-20T10:00:00.000Z']);
    await expect(readRecords(usageDir)).rejects.toThrow(/EISDIR/);
  });
});

describe('appends from several processes at once', () => {
  let worker: string;

  beforeAll(async () => {
    // The real appendRecord, bundled into a script plain node can run.
    const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'usage-log.ts');
    const workerSource = path.join(root, 'append-worker.ts');
    writeFileSync(
      workerSource,
      `import { appendRecord } from ${JSON.stringify(source)};
import { toRecord } from ${JSON.stringify(source.replace('usage-log.ts', 'usage-record.ts'))};
const [usageDir, name, count] = process.argv.slice(2);
const forever = count === 'forever';
for (let index = 0; forever || index < Number(count); index++) {
  await appendRecord(usageDir, toRecord({
    time: new Date(Date.UTC(2026, 10, 1, 12)).toISOString(),
    provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: index, outputTokens: 1 },
    costUsd: 0.000001, durationMs: 1, ttftMs: 1, status: 'ok',
    source: { kind: 'parallel', name, step: 'branch-' + index, id: 'run_' + name + '_' + 'x'.repeat(index % 300) },
  }));
}
`,
    );
    worker = path.join(root, 'append-worker.mjs');
    await build({ entryPoints: [workerSource], outfile: worker, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  });

  function run(args: string[]): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [worker, ...args], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('close', resolve);
    });
  }

  it('loses nothing: 4 processes × 300 records give 1,200 whole lines', async () => {
    const processes = 4;
    const each = 300;
    const codes = await Promise.all(Array.from({ length: processes }, (_, index) => run([usageDir, `p${index}`, String(each)])));
    expect(codes).toEqual(Array(processes).fill(0));

    const text = readFileSync(monthFile(usageDir, '2026-11'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const allLines = text.slice(0, -1).split('\n');
    // A writer that catches another's append in flight for several ms takes it for a torn line
    // and starts on a new line: a blank line, which readers skip. Rare (0 in 40,000 appends measured).
    const lines = allLines.filter((line) => line !== '');
    expect(allLines.length - lines.length).toBeLessThan(5);
    expect(lines).toHaveLength(processes * each);
    const records = lines.map((line) => parseRecord(line));
    expect(records.every((record) => record !== undefined)).toBe(true);
    // Every process's every record is there exactly once.
    const seen = new Set(records.map((record) => `${record!.source_name}/${record!.step}`));
    expect(seen.size).toBe(processes * each);
  });

  it('keeps every line whole when a writer is killed mid-stream', async () => {
    const child = spawn(process.execPath, [worker, usageDir, 'killed', 'forever'], { stdio: 'ignore' });
    const file = monthFile(usageDir, '2026-11');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(usageDir).length > 0 && readFileSync(file, 'utf8').split('\n').length > 200) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const { records, skipped } = await readRecords(usageDir);
    expect(records.length).toBeGreaterThan(200);
    expect(skipped).toBe(0);
  });
});
