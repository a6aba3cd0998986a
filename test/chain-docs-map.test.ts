/**
 * The chain examples of docs/chains.md's merge and foreach sections, run for real: the built CLI
 * against the fake providers, each example's requests counted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateWords, type FakeProviders } from './fake-providers/server.mjs';
import { repoRoot } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';

/** The ```yaml chain examples under a heading of docs/chains.md, in order. */
function examplesUnder(heading: string): string[] {
  const text = readFileSync(path.join(repoRoot, 'docs/chains.md'), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(0);
  const end = text.indexOf('\n#', start + heading.length + 2);
  const section = text.slice(start, end);
  return [...section.matchAll(/```yaml\n(steps:\n[\s\S]*?)```/g)].map((match) => match[1]!);
}

const e2e = useE2e();
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;

const runExample = (yaml: string, input: string, ...args: string[]) => {
  const file = path.join(home, 'example.yaml');
  writeFileSync(file, yaml);
  return e2e.run(['chain', 'run', file, ...args], { input });
};

beforeEach(() => {
  ({ fake, home } = e2e);
});

describe('docs/chains.md: merging a parallel stage', () => {
  const [vote, judge] = examplesUnder('### Merging a parallel stage: `merge:`');

  it('the vote example keeps the majority answer', async () => {
    fake.enqueue('anthropic', { text: 'Yes.' });
    fake.enqueue('openai', { text: 'no' });
    fake.enqueue('gemini', { text: 'yes' }, { text: 'NOTE: spam' });
    const result = await runExample(vote!, 'Win a prize now!!!');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('NOTE: spam\n');
    expect(result.stderr).toBe('› opinions: vote kept branch 1 (2 of 3 agree)\n');
    expect(JSON.stringify(fake.requestsFor('gemini')[1]!.body)).toContain('The verdict was Yes.');
    expect(fake.requests).toHaveLength(4);
  });

  it('the judge example asks merge_model with both drafts', async () => {
    fake.enqueue('anthropic', { text: 'Fix the retry loop' });
    fake.enqueue('openai', { text: 'Retry loop fixed' });
    fake.enqueue('gemini', { text: 'Fix the retry loop' });
    const result = await runExample(judge!, 'diff --git …');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Fix the retry loop\n');
    const judged = JSON.stringify(fake.requestsFor('gemini')[0]!.body);
    expect(judged).toContain('Pick the clearer commit message');
    expect(judged).toContain('Retry loop fixed');
  });
});

describe('docs/chains.md: foreach', () => {
  const [mapReduce, items] = examplesUnder('### `foreach:`');

  it('the map-reduce example summarises each chunk of a long input, then merges them', async () => {
    const input = Array.from({ length: 60 }, (_, index) => `Part ${index + 1}. ${generateWords(80)}`).join('\n\n');
    fake.setDefault('gemini', { text: 'a partial summary' });
    fake.enqueue('anthropic', { text: 'ONE SUMMARY' });
    const result = await runExample(mapReduce!, input, '-q');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ONE SUMMARY\n');
    const chunks = fake.requestsFor('gemini');
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((request) => request.inFlight))).toBeLessThanOrEqual(4);
    expect(fake.requestsFor('anthropic')).toHaveLength(1);
  });

  it('the items example runs one step per product name', async () => {
    fake.enqueue('openai', { text: JSON.stringify({ names: ['Widget', 'Gadget', 'Gizmo'] }) });
    fake.setDefault('gemini', { text: 'a line' });
    fake.enqueue('anthropic', { text: '| table |' });
    const result = await runExample(items!, 'We sell Widget, Gadget and Gizmo.', '-q');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('| table |\n');
    const prompts = fake.requestsFor('gemini').map((request) => JSON.stringify(request.body));
    expect(prompts).toHaveLength(3);
    for (const [index, name] of ['Widget', 'Gadget', 'Gizmo'].entries())
      expect(prompts.filter((prompt) => prompt.includes(`Describe ${name} (product ${index + 1})`))).toHaveLength(1);
  });
});
