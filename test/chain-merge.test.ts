import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders, RecordedRequest } from './fake-providers/server.mjs';
import { savedRuns } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';

const CONFIG = `
request:
  retries: 0
chains:
  colour:
    steps:
      - name: opinions
        parallel: [openai, mistral, deepseek, gemini]
        merge: vote
        prompt: "One word: {{input}}"
  majority:
    steps:
      - name: opinions
        parallel: [openai, mistral, deepseek]
        merge: vote
  valid:
    steps:
      - name: extract
        parallel: [openai, mistral, deepseek]
        schema: "answer"
        merge: first_valid
      - name: use
        model: gemini
        prompt: "Use {{steps.extract.json.answer}}"
  judged:
    steps:
      - name: drafts
        parallel: [openai, mistral]
        merge: judge
        merge_model: anthropic
        merge_prompt: "Pick the clearer answer."
  joined:
    steps:
      - name: drafts
        parallel: [openai, mistral]
        merge: concat
  no_schema:
    steps:
      - name: drafts
        parallel: [openai, mistral]
        merge: first_valid
  no_judge:
    steps:
      - name: drafts
        parallel: [openai, mistral]
        merge: judge
`;

const e2e = useE2e({ config: CONFIG });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

const run = (...args: string[]) => e2e.run(['chain', 'run', ...args]);

function anthropicPrompt(request: RecordedRequest): string {
  const content = request.body.messages.at(-1).content;
  return typeof content === 'string' ? content : content.map((block: { text: string }) => block.text).join('');
}

describe('merge: vote', () => {
  it('keeps the majority answer, normalised, and records the votes and the agreement', async () => {
    fake.enqueue('openai', { text: 'Paris' });
    fake.enqueue('mistral', { text: 'Lyon.' });
    fake.enqueue('deepseek', { text: '  paris!\n' });
    const result = await run('majority', 'capital of France?', '--json');
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record.output).toBe('Paris');
    expect(record.steps[0].decision).toEqual({
      kind: 'merge',
      strategy: 'vote',
      votes: { paris: 2, lyon: 1 },
      agreement: 0.667,
      branch: 1,
      value: 'paris',
    });
  });

  it('breaks a tie by the earliest branch and says so on stderr', async () => {
    fake.enqueue('openai', { text: 'Blue' });
    fake.enqueue('mistral', { text: 'red.' });
    fake.enqueue('deepseek', { text: 'RED' });
    fake.enqueue('gemini', { text: 'blue' });
    const result = await run('colour', 'sky?');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Blue\n');
    expect(result.stderr).toBe('› opinions: vote kept branch 1 (2 of 4 agree; a tie goes to the earliest branch)\n');
    expect(fake.requests).toHaveLength(4);
    const [saved] = savedRuns(home);
    expect(saved!.steps[0].decision).toMatchObject({ votes: { blue: 2, red: 2 }, agreement: 0.5, branch: 1 });
  });
});

describe('merge: first_valid', () => {
  it('skips a branch whose reply does not match the schema, without asking it to repair: exit 0', async () => {
    fake.enqueue('openai', { text: 'not json at all' });
    fake.enqueue('mistral', { text: '{"answer":"from mistral"}' });
    fake.enqueue('deepseek', { text: '{"answer":"from deepseek"}' });
    fake.enqueue('gemini', { text: 'USED' });
    const result = await run('valid', 'go', '--json');
    expect(result.code).toBe(0);
    expect(fake.requestsFor('openai')).toHaveLength(1);
    const record = JSON.parse(result.stdout);
    expect(record.status).toBe('ok');
    expect(record.steps[0]).toMatchObject({
      output: '{"answer":"from mistral"}',
      json: { answer: 'from mistral' },
      decision: { kind: 'merge', strategy: 'first_valid', branch: 2 },
    });
    expect(JSON.stringify(fake.requestsFor('gemini')[0]!.body)).toContain('Use from mistral');
  });

  it('fails the stage when no branch is valid: exit 7, as a reply that never matches does', async () => {
    for (const provider of ['openai', 'mistral', 'deepseek'] as const) fake.enqueue(provider, { text: 'nope' });
    const result = await run('valid', 'go');
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('every branch of step "extract" failed');
    expect(fake.requestsFor('gemini')).toHaveLength(0);
  });

  it('is refused before any call on a stage without a schema: exit 3', async () => {
    const result = await run('no_schema', 'go');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("merge: first_valid keeps the first branch whose reply matches the stage's schema");
    expect(fake.requests).toEqual([]);
  });
});

describe('merge: judge', () => {
  it('asks merge_model with every answer; its reply is the output, its call costed in the run', async () => {
    fake.enqueue('openai', { text: 'DRAFT-A' });
    fake.enqueue('mistral', { text: 'DRAFT-B' });
    fake.enqueue('anthropic', { text: 'DRAFT-B, tidied' });
    const result = await run('judged', 'write it', '--json');
    expect(result.code).toBe(0);
    const prompt = anthropicPrompt(fake.requestsFor('anthropic')[0]!);
    expect(prompt).toMatch(
      /^Pick the clearer answer\.\n\nThe request:\nwrite it\n\nThe answers:\n--- output 1 of 2 \(openai:\S+\) ---\nDRAFT-A\n\n--- output 2 of 2 \(mistral:\S+\) ---\nDRAFT-B$/,
    );
    const record = JSON.parse(result.stdout);
    expect(record.output).toBe('DRAFT-B, tidied');
    const step = record.steps[0];
    expect(step.decision).toMatchObject({ kind: 'merge', strategy: 'judge', judge: { answer: 'DRAFT-B, tidied' } });
    expect(step.decision.judge.model).toMatch(/^anthropic:/);
    expect(step.judges[0].usage.output_tokens).toBeGreaterThan(0);
    const branchTokens = step.branches.reduce(
      (sum: number, branch: { usage: { output_tokens: number } }) => sum + branch.usage.output_tokens,
      0,
    );
    expect(step.usage.output_tokens).toBe(branchTokens + step.judges[0].usage.output_tokens);
  });

  it('needs merge_model: exit 3 before any call', async () => {
    const result = await run('no_judge', 'go');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('merge: judge needs merge_model');
    expect(fake.requests).toEqual([]);
  });
});

describe('merge: concat', () => {
  it('is what a stage does without merge:, every answer labelled', async () => {
    fake.enqueue('openai', { text: 'ONE' });
    fake.enqueue('mistral', { text: 'TWO' });
    const result = await run('joined', 'go');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^--- output 1 of 2 \(openai:\S+\) ---\nONE\n\n--- output 2 of 2 \(mistral:\S+\) ---\nTWO\n$/);
    expect(result.stderr).toBe('');
  });
});
