// `foreach:` end to end: the built CLI against the fake providers — JSON items at a bounded
// concurrency, and a map-reduce over a long input cut into chunks that fit the model's window.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateWords, type FakeProviders, type RecordedRequest } from './fake-providers/server.mjs';
import { savedRuns } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';

const CONFIG = `
chains:
  per-item:
    steps:
      - name: extract
        model: openai
        schema:
          type: object
          properties: { names: { type: array, items: { type: string } } }
          required: [names]
      - name: each
        foreach:
          items: "steps.extract.json.names"
          concurrency: 4
          steps:
            - { name: describe, model: mistral, prompt: "Describe {{item}} ({{item_index}} of the list)" }
      - name: combine
        model: anthropic
        prompt: "Combine:\\n{{steps.each.outputs}}"
  by-line:
    steps:
      - name: each
        foreach:
          lines: "input"
          max_items: 2
          steps: [ { name: shout, model: mistral } ]
  named:
    steps:
      - name: each
        foreach:
          lines: "input"
          concurrency: 1
          steps: [ { name: parse, model: openai, schema: "name", prompt: "Name in: {{item}}" } ]
      - name: second
        model: anthropic
        prompt: "Second: {{steps.each.json.1.name}}"
  misread:
    steps:
      - name: each
        foreach:
          lines: "input"
          steps: [ { name: parse, model: openai, schema: "name" } ]
      - { name: second, model: anthropic, prompt: "{{steps.each.json.name}}" }
  pricey:
    budget_usd: 0.01
    steps:
      - name: each
        foreach:
          chunks: "input"
          chunk_tokens: 1000
          steps: [ { name: read, model: "openai:gpt-4o-mini", max_tokens: 100, prompt: "Read:\\n{{item}}" } ]
  summarise:
    steps:
      - name: summaries
        foreach:
          chunks: "input"
          chunk_tokens: 100000
          steps:
            - { name: summarise_one, model: "gemini:gemini-small", prompt: "Summarise:\\n{{item}}" }
      - name: reduce
        model: anthropic
        prompt: "Merge these summaries:\\n{{steps.summaries.outputs}}"
`;

/** A model with a small context window, so a long input must be cut to fit it. */
const MODELS = `
gemini:
  models:
    - name: gemini-small
      context_window: 4000
      max_tokens: 1000
      default_max_tokens: 500
`;

const e2e = useE2e({ config: CONFIG });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
  writeFileSync(path.join(home, 'models.yaml'), MODELS);
});

const run = (args: string[], input?: string) => e2e.run(['chain', 'run', ...args], { input });

function userText(request: RecordedRequest): string {
  const body = request.body;
  if (body.contents)
    return body.contents.flatMap((content: { parts: Array<{ text?: string }> }) => content.parts.map((part) => part.text ?? '')).join('');
  const content = body.messages.at(-1).content;
  return typeof content === 'string' ? content : content.map((block: { text: string }) => block.text).join('');
}

describe('foreach over JSON items', () => {
  it('runs 20 items, never more than 4 at once, and hands the outputs on in item order', async () => {
    const names = Array.from({ length: 20 }, (_, index) => `thing-${index + 1}`);
    fake.enqueue('openai', { text: JSON.stringify({ names }) });
    // Each reply takes a while, so items overlap as much as the concurrency lets them.
    fake.setDefault('mistral', { firstChunkDelayMs: 300, text: 'described' });
    fake.enqueue('anthropic', { text: 'COMBINED' });
    const result = await run(['per-item', 'list twenty things', '--json']);
    expect(result.code).toBe(0);
    const mistral = fake.requestsFor('mistral');
    expect(mistral).toHaveLength(20);
    expect(new Set(mistral.map(userText))).toEqual(new Set(names.map((name, index) => `Describe ${name} (${index + 1} of the list)`)));
    expect(Math.max(...mistral.map((request) => request.inFlight))).toBe(4);
    const combine = userText(fake.requestsFor('anthropic')[0]!);
    const sections = [...combine.matchAll(/--- output (\d+) of 20 \(item (\d+)\) ---\ndescribed/g)];
    expect(sections.map((match) => Number(match[1]))).toEqual(names.map((_, index) => index + 1));
    const record = JSON.parse(result.stdout);
    expect(record.output).toBe('COMBINED');
    const each = record.steps[1];
    expect(each.decision).toEqual({ kind: 'foreach', expression: 'steps.extract.json.names', items: 20 });
    expect(each.items).toHaveLength(20);
    expect(each.items[6][0]).toMatchObject({
      name: 'describe',
      status: 'ok',
      output: 'described',
      prompt: 'Describe thing-7 (7 of the list)',
    });
    // The items' calls count in the block's and the run's usage.
    const itemTokens = each.items
      .flat()
      .reduce((sum: number, step: { usage: { output_tokens: number } }) => sum + step.usage.output_tokens, 0);
    expect(each.usage.output_tokens).toBe(itemTokens);
  });

  it('refuses more items than max_items before running any of them', async () => {
    const result = await run(['by-line'], 'one\n\ntwo\nthree\n');
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('foreach "each" has 3 items, over its max_items of 2');
    expect(fake.requests).toEqual([]);
  });
});

describe('foreach JSON', () => {
  it("is the list of the items' last-step JSON, read by index", async () => {
    fake.enqueue('openai', { text: '{"name":"Ada"}' }, { text: '{"name":"Grace"}' });
    fake.enqueue('anthropic', { text: 'ok' });
    const result = await run(['named'], 'first line\nsecond line\n');
    expect(result.code).toBe(0);
    expect(userText(fake.requestsFor('anthropic')[0]!)).toBe('Second: Grace');
  });

  it('is a list: a field read without an index is refused before any call', async () => {
    const result = await run(['misread'], 'a\nb\n');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"name" is not a list index');
    expect(fake.requests).toEqual([]);
  });
});

describe('foreach over chunks (map-reduce)', () => {
  it('cuts a 200,000-character input into chunks that each fit the model, then reduces their summaries', async () => {
    const paragraphs: string[] = [];
    for (let index = 1; paragraphs.join('\n\n').length < 200_000; index += 1)
      paragraphs.push(`Paragraph ${index}. ${generateWords(60 + (index % 50))}`);
    const input = paragraphs.join('\n\n').slice(0, 200_000);
    fake.setDefault('gemini', { text: 'a summary' });
    fake.enqueue('anthropic', { text: 'THE SUMMARY' });
    const result = await run(['summarise'], input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('THE SUMMARY\n');

    const chunks = fake.requestsFor('gemini');
    expect(chunks.length).toBeGreaterThan(10);
    for (const request of chunks) {
      expect(request.path).toContain('gemini-small');
      // The prompt (estimated as the project does, 3 characters a token) and the reply fit the 4,000-token window.
      expect(Math.ceil(userText(request).length / 3) + 500).toBeLessThanOrEqual(4000);
    }
    // Every paragraph went to exactly one chunk, in order.
    const sent = chunks.map((request) => userText(request).replace(/^Summarise:\n/, ''));
    expect(sent.join('\n\n')).toBe(input.trim());
    const reduce = userText(fake.requestsFor('anthropic')[0]!);
    expect(reduce.match(/--- output \d+ of \d+ \(item \d+\) ---/g)).toHaveLength(chunks.length);

    const [saved] = savedRuns(home);
    expect(saved!.steps[0].decision).toMatchObject({ kind: 'foreach', items: chunks.length });
  });

  it('prices every chunk as it will be sent: over budget_usd, refused before any call (exit 6)', async () => {
    const small = await run(['pricey', '--dry-run', '--json'], 'word '.repeat(3000));
    const plan = JSON.parse(small.stdout);
    expect(plan.steps[0].block).toMatchObject({ source: 'chunks', items_known: true, chunk_tokens: 1000 });
    expect(plan.steps[0].block.worst_case_items).toBeGreaterThan(3);
    // Fifteen times the text: fifteen times the chunks, each priced with its own 1,000 tokens.
    const big = 'word '.repeat(45_000);
    const result = await run(['pricey'], big);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/chain "pricey" could cost up to \$\d\.\d+, over its budget_usd of \$0\.01/);
    expect(fake.requests).toEqual([]);
  });

  it('refuses an input that makes more chunks than max_items before any call (exit 6)', async () => {
    const result = await run(['pricey', '--no-budget'], 'word '.repeat(80_000));
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/llmo: foreach "each": the input makes \d+ chunks of at most 1000 tokens, over its max_items of 100/);
    expect(fake.requests).toEqual([]);
  });

  it('says in the dry-run plan how many chunks the input makes, and what a chunk may hold', async () => {
    const input = `${'word '.repeat(12_000)}`;
    const result = await run(['summarise', '--dry-run'], input);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /summaries \(foreach chunks of at most \d+ tokens of input\) · decided at run time.*\(× \d+ chunks of the input\)/,
    );
    expect(fake.requests).toEqual([]);
  });
});
