/**
 * `-m auto`, end to end: three fake models with different prices, qualities and fake-enforced
 * latencies, each on its own fake server. auto:cheap, auto:best and auto:fast pick what README's
 * "Routing" rules say; a model that became slow over twenty calls stops being the fast one; a
 * model that cannot read an image or hold the prompt is never chosen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { parseExposition } from './helpers/prometheus-text.js';
import { makeHome, removeHome, repoRoot, runLlmo } from './helpers/run-llmo.js';

let fake: FakeProviders;
let home: string;
const env = { CHEAPCO_API_KEY: 'cheapco-test-key', FASTCO_API_KEY: 'fastco-test-key', BESTCO_API_KEY: 'bestco-test-key' };

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'compat', 'mistral'] });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  home = makeHome();
  // The fakes answer as quickly as models.yaml's latency_ms says each model does.
  fake.setDefault('openai', { firstChunkDelayMs: 90 });
  fake.setDefault('compat', { firstChunkDelayMs: 10 });
  fake.setDefault('mistral', { firstChunkDelayMs: 120 });
  writeFileSync(
    path.join(home, 'models.yaml'),
    `cheapco:
  api: openai
  api_key_name: CHEAPCO_API_KEY
  base_url: ${fake.baseURLs.openai}
  models:
    - { name: cheap-1, tier: efficient, quality: 5, latency_ms: 900, context_window: 8000, max_tokens: 1000, pricing: { input: 0.1, output: 0.4 } }
fastco:
  api: openai
  api_key_name: FASTCO_API_KEY
  base_url: ${fake.baseURLs.compat}
  models:
    - { name: fast-1, tier: standard, quality: 6, latency_ms: 100, context_window: 100000, pricing: { input: 1, output: 4 }, capabilities: [tools, vision, json_schema] }
bestco:
  api: mistral
  api_key_name: BESTCO_API_KEY
  base_url: ${fake.baseURLs.mistral}
  models:
    - { name: best-1, tier: premium, quality: 9, latency_ms: 1200, context_window: 100000, pricing: { input: 5, output: 25 } }
`,
  );
  writeFileSync(path.join(home, 'config.yaml'), 'request:\n  retries: 0\n');
});
afterEach(() => removeHome(home));

const llmo = (args: string[]) => runLlmo(args, { home, env });
const ask = (args: string[]) => llmo(['ask', '--no-save', ...args]);
const chosen = async (mode: string) => {
  const result = await ask(['-m', mode, '--json', 'Say hello']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

describe('-m auto', () => {
  it('picks the cheapest for auto:cheap, the best for auto:best and the quickest for auto:fast', async () => {
    expect(await chosen('auto:cheap')).toMatchObject({ provider: 'cheapco', model: 'cheap-1', routed: 'auto:cheap' });
    expect(await chosen('auto:best')).toMatchObject({ provider: 'bestco', routed: 'auto:best' });
    expect(await chosen('auto:fast')).toMatchObject({ provider: 'fastco', routed: 'auto:fast' });
    expect(fake.requestsFor('openai')).toHaveLength(1);
    expect(fake.requestsFor('mistral')).toHaveLength(1);
    expect(fake.requestsFor('compat')).toHaveLength(1);

    // The log says which calls were routed and why; `usage --by model` counts them.
    const { records } = await readRecords(path.join(home, 'usage'));
    expect(records.map((record) => [record.model, record.routed])).toEqual([
      ['cheap-1', 'auto:cheap'],
      ['best-1', 'auto:best'],
      ['fast-1', 'auto:fast'],
    ]);
    expect(records[0]?.route_reason).toMatch(/^best cheap score/);
    const usage = await llmo(['usage', '--by', 'model', '--json']);
    expect(JSON.parse(usage.stdout).groups.map((group: { key: string; routed_calls: number }) => group.routed_calls)).toEqual([1, 1, 1]);
    const metrics = parseExposition((await llmo(['usage', '--format', 'prometheus'])).stdout);
    expect(metrics.types.get('llmo_routed_requests_total')).toBe('counter');
    const routed = metrics.samples.filter((sample) => sample.name === 'llmo_routed_requests_total');
    expect(routed.map((sample) => [sample.labels.mode, sample.labels.model, sample.value])).toEqual([
      ['auto:cheap', 'cheap-1', 1],
      ['auto:best', 'best-1', 1],
      ['auto:fast', 'fast-1', 1],
    ]);
  });

  it('--explain prints the ranking with its parts and why the winner won, on stderr', async () => {
    const result = await ask(['-m', 'auto:cheap', '--explain', 'Say hello']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/score/);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toMatch(/^llmo: -m auto:cheap: complexity 0\/10/);
    expect(lines[1]).toBe('  weights: quality 0.25, cost 0.65, speed 0.1');
    expect(lines[2]).toMatch(/^\s+#\s+model\s+score\s+quality\s+cost\s+speed\s+est\. cost\s+est\. time$/);
    expect(lines[3]).toMatch(/^\s+1\s+cheapco:cheap-1\s+0\.\d+\s+0\.50\s+1\.00\s+.*\(models\.yaml\)$/);
    expect(lines[4]).toMatch(/^\s+2\s+fastco:fast-1\s/);
    expect(lines[5]).toMatch(/^\s+3\s+bestco:best-1\s+0\.\d+\s+0\.90\s+0\.00\s/);
    expect(result.stderr).toMatch(/left out ollama:llama3\.2: unpriced/);
    expect(result.stderr).toMatch(/left out \d+ models without a key/);
    expect(result.stderr).toMatch(/chose cheapco:cheap-1: best cheap score/);
  });

  it('stops choosing the fast model for auto:fast once twenty calls measured it slow', async () => {
    fake.setDefault('compat', { firstChunkDelayMs: 2500 });
    const input = path.join(home, 'slow.jsonl');
    writeFileSync(input, Array.from({ length: 20 }, (_, index) => JSON.stringify({ id: index, prompt: `question ${index}` })).join('\n'));
    const batch = await llmo(['batch', 'run', input, '-m', 'fastco:fast-1', '--concurrency', '20', '-q']);
    expect(batch.code, batch.stderr).toBe(0);
    const result = await ask(['-m', 'auto:fast', '--explain', '--json', 'Say hello']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'cheapco', routed: 'auto:fast' });
    expect(result.stderr).toMatch(/fastco:fast-1 .*\(measured, 20 calls\)/);
  });

  it('never chooses a model that cannot read an image', async () => {
    const image = path.join(home, 'image.png');
    const recording = JSON.parse(
      readFileSync(path.join(repoRoot, 'test/fake-providers/recordings/anthropic/nonstream_image_base64.meta.json'), 'utf8'),
    );
    writeFileSync(image, Buffer.from(recording.request.body.messages[0].content[1].source.data, 'base64'));
    const result = await ask(['-m', 'auto:cheap', '--explain', '--json', '-a', image, 'What is in this picture?']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'fastco' });
    expect(result.stderr).toMatch(/left out cheapco:cheap-1: cannot read images/);
    expect(result.stderr).toMatch(/left out bestco:best-1: cannot read images/);
  });

  it('skips a model whose context window the prompt would not fit', async () => {
    const long = 'Summarise these notes. '.repeat(2000);
    const result = await ask(['-m', 'auto:cheap', '--explain', '--json', long]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).provider).not.toBe('cheapco');
    expect(result.stderr).toMatch(/left out cheapco:cheap-1: prompt and reply \(~\d+ tokens\) exceed its 8000-token window/);
  });

  it('follows a routing rule whose conditions hold', async () => {
    writeFileSync(
      path.join(home, 'config.yaml'),
      'request:\n  retries: 0\nrouting:\n  rules:\n    - when: { has_code: true }\n      model: bestco:best-1\n',
    );
    expect(JSON.parse((await ask(['-m', 'auto:cheap', '--json', 'Fix this: function f() { return 1 }'])).stdout)).toMatchObject({
      provider: 'bestco',
      route_reason: 'routing rule 1 pins bestco:best-1',
    });
    expect(JSON.parse((await ask(['-m', 'auto:cheap', '--json', 'Say hello'])).stdout)).toMatchObject({ provider: 'cheapco' });
  });

  it('falls back to the next model of the ranking when the chosen one fails, unless fallbacks are named', async () => {
    fake.enqueue('openai', { error: { status: 500 } });
    fake.enqueue('compat', { text: 'The runner-up answered.' });
    const result = await ask(['-m', 'auto:cheap', 'Say hello']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('The runner-up answered.\n');
    expect(result.stderr).toMatch(/cheapco:cheap-1 failed \(.*HTTP 500.*\); trying fastco:fast-1/);
    const { records } = await readRecords(path.join(home, 'usage'));
    expect(records.map((record) => [record.provider, record.status, record.routed])).toEqual([
      ['cheapco', 'error', 'auto:cheap'],
      ['fastco', 'ok', undefined],
    ]);

    fake.enqueue('openai', { error: { status: 500 } });
    fake.enqueue('mistral', { text: 'The named fallback answered.' });
    const named = await ask(['-m', 'auto:cheap', '--fallback', 'bestco:best-1', 'Say hello']);
    expect(named.stdout).toBe('The named fallback answered.\n');
    expect(fake.requestsFor('compat')).toHaveLength(1);
  });

  it('refuses an unknown mode, and --explain without -m auto, as usage errors', async () => {
    const mode = await ask(['-m', 'auto:cheapest', 'hi']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/unknown routing mode "cheapest" in -m auto:cheapest/);
    const explain = await ask(['-m', 'cheapco:cheap-1', '--explain', 'hi']);
    expect(explain.code).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('-m auto beyond ask', () => {
  it('routes each auto model of llmo parallel, and a chain step whose model is auto', async () => {
    const parallel = await llmo(['parallel', '--json', '-m', 'auto:cheap', '-m', 'auto:best', 'Say hello']);
    expect(parallel.code, parallel.stderr).toBe(0);
    const branches = JSON.parse(parallel.stdout).results ?? JSON.parse(parallel.stdout);
    expect(JSON.stringify(branches)).toContain('cheap-1');
    expect(JSON.stringify(branches)).toContain('best-1');

    const chain = path.join(home, 'two.yaml');
    writeFileSync(
      chain,
      'steps:\n  - name: draft\n    model: auto:cheap\n    prompt: "Draft: {{input}}"\n  - name: polish\n    model: auto:best\n',
    );
    const run = await llmo(['chain', 'run', chain, '--json', 'a haiku']);
    expect(run.code, run.stderr).toBe(0);
    const { records } = await readRecords(path.join(home, 'usage'));
    expect(records.map((record) => [record.source, record.model, record.routed])).toEqual([
      ['parallel', expect.any(String), expect.stringMatching(/^auto:/)],
      ['parallel', expect.any(String), expect.stringMatching(/^auto:/)],
      ['chain', 'cheap-1', 'auto:cheap'],
      ['chain', 'best-1', 'auto:best'],
    ]);
  });
});
