/**
 * Spending less, end to end: the built CLI against the fake OpenAI and Anthropic. Fallback to a
 * second model when the first fails, and the response cache answering a repeat with no request.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { repoRoot } from './helpers/run-llmo.js';

const e2e = useE2e({ providers: ['openai', 'anthropic'] });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
  configure('');
});

function configure(extra: string): void {
  writeFileSync(path.join(home, 'config.yaml'), `request:\n  retries: 0\n${extra}`);
}

const llmo = (args: string[]) => e2e.run(args);
const usageRecords = async () => (await readRecords(path.join(home, 'usage'))).records;

describe('fallback', () => {
  it('answers from the second model when the first returns a 500, says so, and logs both calls', async () => {
    fake.enqueue('openai', { error: { status: 500 } });
    fake.enqueue('anthropic', { text: 'The fallback answered.' });
    const result = await llmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', '--fallback', 'anthropic:claude-haiku-4-5', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The fallback answered.\n');
    expect(result.stderr).toMatch(/openai:gpt-4o-mini failed \(.*\); trying anthropic:claude-haiku-4-5/);
    const records = await usageRecords();
    expect(records.map((record) => [record.provider, record.status])).toEqual([
      ['openai', 'error'],
      ['anthropic', 'ok'],
    ]);
  });

  it('takes main_llm.fallback from config when no --fallback is given', async () => {
    configure('main_llm:\n  provider: openai\n  model: gpt-4o-mini\n  fallback: [anthropic:claude-haiku-4-5]\n');
    fake.enqueue('openai', { error: { status: 503 } });
    fake.enqueue('anthropic', { text: 'From config.' });
    const result = await llmo(['ask', '--no-save', '--json', 'hi']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'anthropic', text: 'From config.' });
  });

  it('exits with the last failure when every model fails', async () => {
    fake.enqueue('openai', { error: { status: 500 } });
    fake.enqueue('anthropic', { error: { status: 500 } });
    const result = await llmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', '--fallback', 'anthropic:claude-haiku-4-5', 'hi']);
    expect(result.code).toBe(5);
    expect(fake.requestsFor('anthropic')).toHaveLength(1);
  });

  it('refuses a main_llm.fallback that is not a list of references (exit 3)', async () => {
    configure('main_llm:\n  fallback: [42]\n');
    const result = await llmo(['ask', '--no-save', 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/main_llm\.fallback.*list of model references/);
  });
});

describe('response cache', () => {
  it('answers a repeated request from the cache: no request, logged at cost 0 with cached: true', async () => {
    fake.enqueue('openai', { text: 'Paid for once.' });
    const first = await llmo(['ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'the same question']);
    expect(first.stdout).toBe('Paid for once.\n');
    const second = await llmo(['ask', '--no-save', '--cache', '--json', '-m', 'openai:gpt-4o-mini', 'the same question']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ text: 'Paid for once.', cost_usd: 0, cached: true });
    expect(fake.requestsFor('openai')).toHaveLength(1);
    const records = await usageRecords();
    expect(records.map((record) => [record.cost_usd === 0, record.cached])).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  it('asks again for a different question, without --cache, and with --no-cache over cache.enabled', async () => {
    configure('cache:\n  enabled: true\n');
    await llmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'question one']);
    await llmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'question two']);
    await llmo(['ask', '--no-save', '--no-cache', '-m', 'openai:gpt-4o-mini', 'question one']);
    expect(fake.requestsFor('openai')).toHaveLength(3);
    await llmo(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'question one']);
    expect(fake.requestsFor('openai')).toHaveLength(3);
  });

  it('cache stats, prune and clear report on the entries', async () => {
    await llmo(['ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'keep me']);
    const stats = await llmo(['cache', 'stats']);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/entries\s+1\b/);
    expect(stats.stdout).toMatch(/hits\s+0\b/);
    const cleared = await llmo(['cache', 'clear']);
    expect(cleared.stdout).toMatch(/removed 1 entr/);
    expect((await llmo(['cache', 'prune'])).code).toBe(0);
    await llmo(['ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'keep me']);
    expect(fake.requestsFor('openai')).toHaveLength(2);
  });
});

describe('response cache in parallel runs', () => {
  it('answers every model of a repeated parallel run from the cache', async () => {
    const args = ['parallel', '-q', '--cache', '-m', 'openai:gpt-4o-mini', '-m', 'anthropic:claude-haiku-4-5', 'the same question'];
    expect((await llmo(args)).code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    const second = await llmo([...args.slice(0, -1), '--json', 'the same question']);
    expect(second.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect((await usageRecords()).filter((record) => record.cached === true)).toHaveLength(2);
  });
});

describe('response cache in chains', () => {
  it('a step with cache: true is answered from the cache on the second run; a step without it is asked again', async () => {
    writeFileSync(
      path.join(home, 'twice.yaml'),
      'description: two steps\nsteps:\n  - name: fixed\n    model: openai:gpt-4o-mini\n    cache: true\n    prompt: "Always the same question"\n  - name: fresh\n    model: openai:gpt-4o-mini\n    prompt: "Again: {{previous}}"\n',
    );
    const first = await llmo(['chain', 'run', '-q', path.join(home, 'twice.yaml')]);
    expect(first.code).toBe(0);
    expect(fake.requestsFor('openai')).toHaveLength(2);
    const second = await llmo(['chain', 'run', '-q', path.join(home, 'twice.yaml')]);
    expect(second.code).toBe(0);
    expect(fake.requestsFor('openai')).toHaveLength(3);
    const records = await usageRecords();
    expect(records.filter((record) => record.cached === true).map((record) => record.step)).toEqual(['fixed']);
    await llmo(['chain', 'run', '-q', '--no-cache', path.join(home, 'twice.yaml')]);
    expect(fake.requestsFor('openai')).toHaveLength(5);
  });
});

describe('llmo models prices import', () => {
  const excerpt = path.join(repoRoot, 'test', 'fixtures', 'litellm-model-prices-excerpt.json');
  const modelsJson = async () =>
    JSON.parse((await llmo(['models', '--json'])).stdout) as Array<{ ref: string; pricing: unknown; prices_as_of: string | null }>;

  it("imports a real excerpt of LiteLLM's price file: a diff first, --yes to write, and llmo models shows the new prices", async () => {
    writeFileSync(
      path.join(home, 'models.yaml'),
      '# mine\nprices_as_of: 2026-01-01\ndeepseek:\n  models:\n    - name: deepseek-chat\n      pricing: { input: 9.99, output: 9.99 }\n',
    );
    const before = await llmo(['models']);
    expect(before.stdout).toMatch(/prices older than 90 days \(as of 2026-01-01\) for deepseek:deepseek-chat/);

    const refused = await llmo(['models', 'prices', 'import', excerpt]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(
      'deepseek:deepseek-chat (from "deepseek/deepseek-chat")\n- pricing: { input: 9.99, output: 9.99 }\n+ pricing: { input: 0.28, output: 0.42, cached_input: 0.028 }\n',
    );
    expect(refused.stderr).toMatch(/--yes/);
    expect(readFileSync(path.join(home, 'models.yaml'), 'utf8')).toContain('9.99');

    const written = await llmo(['models', 'prices', 'import', '--yes', excerpt]);
    expect(written.code).toBe(0);
    expect(readFileSync(path.join(home, 'models.yaml'), 'utf8')).toContain('# mine');
    const row = (await modelsJson()).find((model) => model.ref === 'deepseek:deepseek-chat');
    expect(row?.pricing).toEqual({ input: 0.28, output: 0.42, cached_input: 0.028, cache_write: null });
    expect(row?.prices_as_of).not.toBe('2026-01-01');
    expect((await llmo(['models'])).stdout).not.toMatch(/prices older than/);
  });

  it('refuses a file that is not JSON (exit 2)', async () => {
    writeFileSync(path.join(home, 'prices.json'), 'not json');
    const result = await llmo(['models', 'prices', 'import', path.join(home, 'prices.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read .* as a LiteLLM price file/);
  });
});
