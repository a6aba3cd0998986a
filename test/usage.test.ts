/**
 * Cost and usage end to end: the built CLI against the fake OpenAI, with a config.yaml and a
 * pre-seeded usage log in LLMO_HOME. Budget refusals must happen before any request is sent.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendRecord, readRecords } from '../src/usage/usage-log.js';
import { entry, generateLog } from '../src/usage/usage-fixtures.test-support.js';
import { toRecord } from '../src/usage/usage-record.js';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { runLlmo } from './helpers/run-llmo.js';

const e2e = useE2e({ providers: ['openai'] });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
  configure();
});

const usageDir = () => path.join(home, 'usage');

/** openai:gpt-4o-mini as the default model, no retries, and these budget lines. */
function configure(budgets = ''): void {
  writeFileSync(
    path.join(home, 'config.yaml'),
    `main_llm:\n  provider: openai\n  model: gpt-4o-mini\nrequest:\n  retries: 0\n${budgets ? `budgets:\n${budgets}` : ''}`,
  );
}

/** What the log already holds: a call that cost `costUsd`, at `at`. */
async function seed(costUsd: number, at: Date = new Date()): Promise<void> {
  await appendRecord(usageDir(), toRecord(entry({ time: at.toISOString(), costUsd })));
}

const ask = (...args: string[]) => e2e.run(['ask', '--no-save', ...args]);

describe('budgets refuse before any request is made', () => {
  it('per_call_usd: the worst case of one call alone', async () => {
    configure('  per_call_usd: 0.001\n');
    // gpt-4o-mini: the 4,096 max_tokens every request carries (request.max_tokens) × $0.60/1M ≈ $0.0025 worst case.
    const result = await ask('hello');
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('llmo: budget: openai:gpt-4o-mini could cost up to $0.002465 (≈47 prompt + 4,096 max output tokens)');
    expect(result.stderr).toContain('over the per-call budget of $0.001 (budgets.per_call_usd)');
    expect(result.stderr).toContain(`raise budgets.per_call_usd in ${path.join(home, 'config.yaml')}`);
    expect(result.stderr).toContain('--no-budget');
    expect(fake.requests).toEqual([]);
    expect((await readRecords(usageDir())).records).toEqual([]);
  });

  it('estimate with the max_tokens the request really carries, which config and --max-tokens set', async () => {
    // gpt-4o-mini writes at most 16,384 tokens; a request carries request.max_tokens (4,096) unless told otherwise.
    configure('  per_call_usd: 0.003\n');
    const plain = await ask('hello');
    expect(plain.code).toBe(0);
    expect(fake.requests.at(-1)?.body.max_tokens ?? fake.requests.at(-1)?.body.max_completion_tokens).toBe(4096);

    const larger = await ask('--max-tokens', '8000', 'hello');
    expect(larger.code).toBe(6);
    expect(larger.stderr).toContain('8,000 max output tokens');
    expect(fake.requests).toHaveLength(1);

    writeFileSync(
      path.join(home, 'config.yaml'),
      'main_llm: openai:gpt-4o-mini\nrequest:\n  max_tokens: 1000\nbudgets:\n  per_call_usd: 0.003\n',
    );
    expect((await ask('hello')).code).toBe(0);
    expect(fake.requests.at(-1)?.body.max_tokens ?? fake.requests.at(-1)?.body.max_completion_tokens).toBe(1000);
  });

  it('daily_usd: what the log says was spent today plus the worst case', async () => {
    configure('  daily_usd: 1.00\n');
    await seed(0.999);
    const result = await ask('hello');
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /could pass the daily budget \(budgets\.daily_usd\) of \$1\.00: \$0\.9990 spent today \+ up to \$0\.002465 for this call = \$1\.0015/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('monthly_usd: what the log says was spent this month plus the worst case', async () => {
    configure('  monthly_usd: 5\n');
    const now = new Date();
    await seed(4.999, new Date(now.getFullYear(), now.getMonth(), 1, 0, 0, 30));
    const result = await ask('hello');
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('could pass the monthly budget (budgets.monthly_usd) of $5.00: $4.9990 spent this month');
    expect(fake.requests).toEqual([]);
  });

  it('--no-budget lets the call through, and it is still recorded', async () => {
    configure('  daily_usd: 1.00\n');
    await seed(0.999);
    const result = await ask('--no-budget', 'hello');
    expect(result.code).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect((await readRecords(usageDir())).records).toHaveLength(2);
  });
});

describe('several llmo processes at once', () => {
  it('share the daily budget: calls still in flight count, so only as many start as it holds', async () => {
    // gpt-4o-mini, --max-tokens 10000: a worst case of ≈ $0.006 each; the budget holds two.
    configure('  daily_usd: 0.015\n  warn_at: 1\n');
    for (let index = 0; index < 4; index++) fake.enqueue('openai', { firstChunkDelayMs: 4_000 });
    const results = await Promise.all([1, 2, 3, 4].map((index) => ask('--max-tokens', '10000', `call ${index}`)));
    const codes = results.map((result) => result.code).sort();
    expect(codes).toEqual([0, 0, 6, 6]);
    const refused = results.find((result) => result.code === 6)!;
    expect(refused.stderr).toMatch(
      /could pass the daily budget .*: \$0\.0120 spent today \(including up to \$0\.0120 for calls still in flight\) \+ up to \$0\.006/,
    );
    expect(fake.requests).toHaveLength(2);
    // Every call that ran was recorded, and no hold outlives its process.
    expect((await readRecords(usageDir())).records).toHaveLength(2);
    expect(readdirSync(path.join(usageDir(), 'holds')).filter((name) => name.endsWith('.json'))).toEqual([]);
  }, 30_000);
});

describe('the warning at warn_at (80 %)', () => {
  it('warns once on stderr and makes the call', async () => {
    configure('  daily_usd: 1.00\n');
    await seed(0.85);
    const result = await ask('--max-tokens', '100', 'hello');
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('llmo: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^llmo: warning: spending could reach \$0\.85\d+, 85 % of the daily budget \(budgets\.daily_usd\) of \$1\.00/,
    );
    expect(fake.requests).toHaveLength(1);
    expect(result.stdout).not.toContain('warning');
  });

  it('says nothing below it', async () => {
    configure('  daily_usd: 1.00\n');
    await seed(0.5);
    const result = await ask('--max-tokens', '100', 'hello');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('cost of a call', () => {
  it('ask --json shows cost_usd from the usage the vendor reported and models.yaml prices, and the log records it', async () => {
    fake.enqueue('openai', { text: 'Four.', usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 } });
    const result = await ask('--json', 'What is 2 + 2?');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    // gpt-4o-mini: 800 × $0.15 + 200 cached × $0.075 + 500 × $0.60, per million.
    expect(output.cost_usd).toBeCloseTo(0.000435, 12);
    expect(output.usage).toMatchObject({ input_tokens: 1000, output_tokens: 500, cached_input_tokens: 200, cache_write_tokens: null });

    const { records } = await readRecords(usageDir());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      input_tokens: 1000,
      output_tokens: 500,
      cached_input_tokens: 200,
      status: 'ok',
      source: 'ask',
    });
    expect(records[0]!.cost_usd).toBeCloseTo(0.000435, 12);
    expect(records[0]!.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(records[0]!.duration_ms).toBeGreaterThanOrEqual(records[0]!.ttft_ms!);
  });

  it('shows reasoning and cached tokens in ask --json, the log and llmo usage, pricing cached ones at cached_input', async () => {
    fake.enqueue('openai', {
      text: 'Four.',
      usage: { inputTokens: 2000, outputTokens: 300, cachedInputTokens: 1500, reasoningTokens: 120 },
    });
    const result = await ask('--json', 'What is 2 + 2?');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.usage).toEqual({
      input_tokens: 2000,
      output_tokens: 300,
      cached_input_tokens: 1500,
      cache_write_tokens: null,
      reasoning_tokens: 120,
    });
    // gpt-4o-mini: 500 × $0.15 + 1,500 cached × $0.075 + 300 × $0.60 (reasoning included), per million.
    expect(output.cost_usd).toBeCloseTo((500 * 0.15 + 1500 * 0.075 + 300 * 0.6) / 1e6, 12);
    const { records } = await readRecords(usageDir());
    expect(records[0]).toMatchObject({ cached_input_tokens: 1500, reasoning_tokens: 120 });

    const report = await e2e.run(['usage', '--json', '--by', 'model']);
    expect(JSON.parse(report.stdout).totals).toMatchObject({ cached_input_tokens: 1500, cache_write_tokens: 0, reasoning_tokens: 120 });
    const table = await e2e.run(['usage', '--by', 'model']);
    expect(table.stdout.split('\n')[0]).toMatch(/^MODEL\s+CALLS\s+INPUT\s+CACHED\s+REASONING\s+CACHE SAVED\s+OUTPUT\s+COST\s+UNPRICED$/);
    // gpt-4o-mini: 1,500 cached tokens at $0.075 instead of $0.15 per million saved $0.0001125.
    expect(table.stdout).toMatch(/^openai:gpt-4o-mini\s+1\s+2,000\s+1,500\s+120\s+\$0\.000112\s+300\s/m);
  });

  it('records a failed call with its error kind', async () => {
    fake.enqueue('openai', { error: { status: 400 } });
    const result = await ask('hello');
    expect(result.code).toBe(5);
    const { records } = await readRecords(usageDir());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'error', error: 'BadRequestError', cost_usd: null });
  });

  it('estimates a stream that carries no usage, says so once and marks the record, so budgets count it', async () => {
    // The recorded OpenAI stream without stream_options: no chunk has a usage key, as an
    // OpenAI-compatible server that ignores include_usage answers.
    fake.enqueue('openai', { replay: 'stream_text_no_stream_options' });
    const result = await ask('--json', 'hello');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.text).toBe('1, 2, 3, 4, 5');
    // "hello": 2 tokens + 5 per message + 40 per request; "1, 2, 3, 4, 5": 13 ASCII characters, 5 tokens.
    expect(output.usage).toMatchObject({ input_tokens: 47, output_tokens: 5 });
    expect(output.cost_usd).toBeCloseTo((47 * 0.15 + 5 * 0.6) / 1e6, 12);
    expect(result.stderr.match(/sent no token usage/g)).toHaveLength(1);
    expect(result.stderr).toContain('openai:gpt-4o-mini sent no token usage, so its usage and cost were estimated from the text');

    const { records } = await readRecords(usageDir());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ input_tokens: 47, output_tokens: 5, estimated: true, status: 'ok' });
    expect(records[0]!.cost_usd).toBeCloseTo((47 * 0.15 + 5 * 0.6) / 1e6, 12);

    // The next call's worst case ($0.002465, see per_call_usd above) fits a daily budget only if
    // the estimated call is not counted.
    configure(`  daily_usd: ${0.002465 + records[0]!.cost_usd! / 2}\n`);
    const refused = await ask('hello');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('daily budget');
    expect(fake.requests).toHaveLength(1);
  });

  it('says nothing of estimates when the vendor reports usage', async () => {
    const result = await ask('hello');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect((await readRecords(usageDir())).records[0]).not.toHaveProperty('estimated');
  });

  it('still answers when the usage log cannot be written, with a warning', async () => {
    // The data directory's usage/ is a file: no log can be made there.
    writeFileSync(usageDir(), '');
    const result = await ask('hello');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toBe('');
    expect(result.stderr).toMatch(/llmo: warning: could not write the usage log/);
  });
});

describe('llmo usage', () => {
  it('shows the calls made, with totals, as a table and as JSON', async () => {
    fake.enqueue('openai', { usage: { inputTokens: 1000, outputTokens: 500 } }, { usage: { inputTokens: 2000, outputTokens: 100 } });
    expect((await ask('one')).code).toBe(0);
    expect((await ask('two')).code).toBe(0);

    const table = await runLlmo(['usage', '--by', 'model'], { home });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+CALLS\s+INPUT\s+OUTPUT\s+COST\s+UNPRICED$/);
    // (3000 × $0.15 + 600 × $0.60) / 1M = $0.00081
    expect(lines[1]).toMatch(/^openai:gpt-4o-mini\s+2\s+3,000\s+600\s+\$0\.00081\s+0$/);
    expect(lines.at(-1)).toMatch(/^TOTAL\s+2\s+3,000\s+600\s+\$0\.00081\s+0$/);

    const json = await runLlmo(['usage', '--json', '--since', '24h'], { home });
    const report = JSON.parse(json.stdout);
    expect(report.by).toBe('day');
    expect(report.totals).toMatchObject({ calls: 2, input_tokens: 3000, output_tokens: 600, unpriced_calls: 0 });
    expect(report.totals.cost_usd).toBeCloseTo(0.00081, 12);
  });

  it('skips a torn last line with a note', async () => {
    await seed(0.5);
    const month = new Date().toISOString().slice(0, 7);
    writeFileSync(path.join(usageDir(), `${month}.jsonl`), '{"v":1,"time":"20', { flag: 'a' });
    const result = await runLlmo(['usage', '--json'], { home });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).totals.calls).toBe(1);
    expect(result.stderr).toContain('skipped 1 damaged line in the usage log');
  });

  it('says so when nothing is recorded', async () => {
    const result = await runLlmo(['usage'], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no calls recorded');
  });

  it.each([
    [['--since', 'last-week'], /--since must be like 24h .*, 7d .*2026-11-01/],
    [['--by', 'week'], /--by must be one of day, model, provider, source; got "week"/],
  ])('rejects %j with exit 2 naming the accepted forms', async (args, message) => {
    const result = await runLlmo(['usage', ...args], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  // How fast it reads 100,000 records is the "llmo usage over 100,000 records" row of
  // `npm run bench`; here, that the totals over a large, many-month log are right.
  it('totals 20,000 records over 90 days exactly', async () => {
    mkdirSync(usageDir(), { recursive: true });
    const expected = generateLog(usageDir(), 20_000, { days: 90 });
    expect((await runLlmo(['usage'], { home })).code).toBe(0);
    const result = await runLlmo(['usage', '--json', '--by', 'model'], { home });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.totals.calls).toBe(20_000);
    expect(report.totals.input_tokens).toBe(expected.inputTokens);
    expect(report.totals.unpriced_calls).toBe(expected.unpriced);
    expect(report.totals.cost_usd).toBeCloseTo(expected.costUsd, 6);
    rmSync(usageDir(), { recursive: true, force: true });
  });
});
