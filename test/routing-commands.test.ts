/**
 * `-m auto` where it meets the commands around it, end to end against the fakes: `chain list` and
 * `chain lint` accept every routing reference `chain run` accepts (and still flag unknown models),
 * and `llmo batch` routes local lines one by one and a vendor batch to one model before it is
 * created (README, "Routing" and "Batches").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import { useE2e } from './helpers/e2e.js';
import { savedRuns, TEST_KEYS } from './helpers/run-llmo.js';

const e2e = useE2e({ providers: ['openai', 'anthropic', 'mistral'] });
const noKeys = Object.fromEntries(Object.keys(TEST_KEYS).map((name) => [name, undefined]));

describe('chain list and chain lint with auto models', () => {
  const chains = `request:
  retries: 0
chains:
  routed:
    description: Routed steps
    steps:
      - name: draft
        model: auto:cheap
        fallback: [auto]
        prompt: "Draft: {{input}}"
      - name: polish
        model: auto:best
  misspelt-mode:
    steps:
      - name: only
        model: auto:cheapest
  unknown-model:
    steps:
      - name: only
        model: nosuch:model-1
`;

  it('lists a chain whose steps are routed as valid, and still flags an unknown mode or model', async () => {
    writeFileSync(path.join(e2e.home, 'config.yaml'), chains);
    // chain list checks models against the catalog, not the keys: no key is needed for auto either.
    for (const env of [{}, noKeys]) {
      const list = await e2e.run(['chain', 'list', '--json'], { env });
      expect(list.code, list.stderr).toBe(0);
      const byName = new Map(JSON.parse(list.stdout).map((chain: { name: string }) => [chain.name, chain]));
      expect(byName.get('routed')).toMatchObject({ error: null, models: ['auto:cheap', 'auto:best'] });
      expect(byName.get('misspelt-mode')).toMatchObject({
        error: expect.stringMatching(/steps\[0\]\.model: .*unknown routing mode "cheapest" in auto:cheapest/),
      });
      expect(byName.get('unknown-model')).toMatchObject({ error: expect.stringMatching(/steps\[0\]\.model: .*unknown provider "nosuch"/) });
    }
    const text = await e2e.run(['chain', 'list']);
    expect(text.stdout).toMatch(/^routed +Routed steps +\(draft → polish; auto:cheap, auto:best\)$/m);

    // What list accepts, show and a dry run accept too, and lint passes it without a key.
    expect((await e2e.run(['chain', 'show', 'routed'])).stdout).toMatch(/model +auto:cheap → \S+:\S+/);
    expect((await e2e.run(['chain', 'run', 'routed', '--dry-run', 'x'])).code).toBe(0);
    const lint = await e2e.run(['chain', 'lint', 'routed'], { env: noKeys });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toBe('ok: routed (2 steps)\n');
    const misspelt = await e2e.run(['chain', 'lint', 'misspelt-mode']);
    expect(misspelt.code).toBe(3);
    expect(misspelt.stderr).toMatch(/config\.yaml:\d+: chains\.misspelt-mode\.steps\[0\]\.model: .*unknown routing mode "cheapest"/);
    expect(e2e.fake.requests).toHaveLength(0);
  });
});

describe('chain resume with auto models', () => {
  it('routes a resumed auto step as the run did', async () => {
    writeFileSync(path.join(e2e.home, 'config.yaml'), 'request:\n  retries: 0\nrouting:\n  candidates: [openai:gpt-4o-mini]\n');
    const chain = path.join(e2e.home, 'two.yaml');
    writeFileSync(
      chain,
      'steps:\n  - { name: draft, model: anthropic, prompt: "Draft: {{input}}" }\n  - { name: polish, model: auto:cheap }\n',
    );
    e2e.fake.enqueue('anthropic', { text: 'DRAFT' });
    e2e.fake.enqueue('openai', { error: { status: 500 } });
    const failed = await e2e.run(['chain', 'run', chain, 'seed']);
    expect(failed.code).toBe(10); // partial: the first step answered
    const [saved] = savedRuns(e2e.home);

    e2e.fake.reset();
    e2e.fake.enqueue('openai', { text: 'POLISHED' });
    const resumed = await e2e.run(['chain', 'resume', saved!.id]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe('POLISHED\n');
    expect(e2e.fake.requests.map((request) => request.provider)).toEqual(['openai']);
    const { records } = await readRecords(path.join(e2e.home, 'usage'));
    expect(records.at(-1)).toMatchObject({ provider: 'openai', status: 'ok', routed: 'auto:cheap' });
  });
});

describe('llmo batch with -m auto', () => {
  // Three models on three fakes: cheap-1 (small window, no batch API), mid-1 and best-1 (batch APIs).
  const keys = { CHEAPCO_API_KEY: 'cheapco-test-key', MIDCO_API_KEY: 'midco-test-key', BESTCO_API_KEY: 'bestco-test-key' };
  const run = (args: string[]) => e2e.run(args, { env: keys });
  const jsonl = (records: object[]) => {
    const file = path.join(e2e.home, 'in.jsonl');
    writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n'));
    return file;
  };
  const outputLines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  const records = async () => (await readRecords(path.join(e2e.home, 'usage'))).records;
  const long = 'Summarise these notes. '.repeat(2000);

  beforeEach(() => {
    const { baseURLs } = e2e.fake;
    writeFileSync(
      path.join(e2e.home, 'models.yaml'),
      `cheapco:
  api: openai
  api_key_name: CHEAPCO_API_KEY
  base_url: ${baseURLs.openai}
  models:
    - { name: cheap-1, tier: efficient, quality: 5, context_window: 8000, pricing: { input: 0.1, output: 0.4 }, capabilities: [tools, json_schema] }
midco:
  api: anthropic
  api_key_name: MIDCO_API_KEY
  base_url: ${baseURLs.anthropic}
  models:
    - { name: mid-1, tier: standard, quality: 7, context_window: 100000, pricing: { input: 1, output: 4 }, capabilities: [tools, batch] }
bestco:
  api: mistral
  api_key_name: BESTCO_API_KEY
  base_url: ${baseURLs.mistral}
  models:
    - { name: best-1, tier: premium, quality: 9, context_window: 100000, pricing: { input: 5, output: 25 }, capabilities: [tools, batch] }
`,
    );
    writeFileSync(
      path.join(e2e.home, 'config.yaml'),
      'request:\n  retries: 0\nrouting:\n  candidates: [cheapco:cheap-1, midco:mid-1, bestco:best-1]\n',
    );
  });

  it('routes each local line on its own request, a line naming auto:best too, and says and logs what it chose', async () => {
    const input = jsonl([
      { id: 'short', prompt: 'Say hello' },
      { id: 'long', prompt: long },
      { id: 'picky', prompt: 'Say hello', model: 'auto:best' },
    ]);
    const result = await run(['batch', 'run', input, '-m', 'auto:cheap', '--concurrency', '1', '--explain']);
    expect(result.code, result.stderr).toBe(0);
    expect(outputLines(result.stdout).map((line) => [line.id, line.model, line.error])).toEqual([
      ['short', 'cheapco:cheap-1', null],
      ['long', 'midco:mid-1', null],
      ['picky', 'bestco:best-1', null],
    ]);
    expect(result.stderr).toMatch(/auto:cheap chose cheapco:cheap-1 for 1 line, midco:mid-1 for 1/);
    expect(result.stderr).toMatch(/auto:best chose bestco:best-1 for 1 line/);
    // --explain: the ranking the first time each model won, and why the long line left cheap-1 out.
    expect(result.stderr).toMatch(/llmo: line 2:\nllmo: -m auto:cheap: complexity/);
    expect(result.stderr).toMatch(/left out cheapco:cheap-1: prompt and reply \(~\d+ tokens\) exceed its 8000-token window/);
    expect((await records()).map((record) => [record.step, record.model, record.routed])).toEqual([
      ['short', 'cheap-1', 'auto:cheap'],
      ['long', 'mid-1', 'auto:cheap'],
      ['picky', 'best-1', 'auto:best'],
    ]);
  });

  it('routes a vendor batch once, to a model with a batch API, before the batch is created', async () => {
    const input = jsonl([
      { id: 1, prompt: 'Say hello' },
      { id: 2, prompt: 'Say goodbye', model: 'auto:cheap' },
    ]);
    const submitted = await run(['batch', 'run', input, '-m', 'auto:cheap', '--mode', 'auto', '--within', '2d']);
    expect(submitted.code, submitted.stderr).toBe(0);
    // cheap-1 would win a local line; it has no batch API, so mid-1 takes the batch.
    expect(submitted.stderr).toMatch(/-m auto:cheap chose midco:mid-1 for the vendor batch: best cheap score/);
    expect(e2e.fake.requestsFor('anthropic').map((request) => request.path)).toEqual(['/v1/messages/batches']);
    expect(e2e.fake.requestsFor('openai')).toHaveLength(0);
    const id = submitted.stdout.trim();
    const waited = await run(['batch', 'wait', id, '--poll-seconds', '0']);
    expect(waited.code, waited.stderr).toBe(0);
    expect(outputLines(waited.stdout).map((line) => line.model)).toEqual(['midco:mid-1', 'midco:mid-1']);
    expect((await records()).map((record) => [record.model, record.routed])).toEqual([
      ['mid-1', 'auto:cheap'],
      ['mid-1', 'auto:cheap'],
    ]);
  });

  it('refuses what one vendor batch cannot hold, and a mistaken mode or --explain, before any request', async () => {
    const input = jsonl([
      { id: 1, prompt: 'Say hello' },
      { id: 2, prompt: 'Say hello', model: 'auto:best' },
    ]);
    const mixed = await run(['batch', 'submit', input, '-m', 'auto:cheap']);
    expect(mixed.code).toBe(3);
    expect(mixed.stderr).toMatch(/in\.jsonl line 2: "model": "auto:best" routes each line on its own, and a vendor batch runs one model/);
    expect(mixed.stderr).not.toMatch(/chose/);

    const mode = await run(['batch', 'run', input, '-m', 'auto:cheapest']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/unknown routing mode "cheapest" in -m auto:cheapest/);
    const explain = await run(['batch', 'run', input, '-m', 'midco:mid-1', '--explain']);
    expect(explain.code).toBe(2);

    writeFileSync(path.join(e2e.home, 'config.yaml'), 'request:\n  retries: 0\nrouting:\n  candidates: [cheapco:cheap-1]\n');
    const none = await run(['batch', 'submit', input, '-m', 'auto:cheap']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/-m auto:cheap found no model that fits this request \(no batch API\)/);
    expect(e2e.fake.requests).toHaveLength(0);
  });
});
