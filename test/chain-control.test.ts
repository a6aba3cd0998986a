import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders, RecordedRequest } from './fake-providers/server.mjs';
import { CONFIG } from './helpers/control-chains.js';
import { readRecords } from '../src/usage/usage-log.js';
import { savedRuns } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({ config: CONFIG });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

const run = (args: string[]) => e2e.run(args);
const bodyText = (request: RecordedRequest) => JSON.stringify(request.body);
const providers = () => fake.requests.map((request) => request.provider);

describe('when:', () => {
  it('skips a step whose expression is false, recording why, and {{previous}} reads the step before it', async () => {
    fake.enqueue('openai', { text: '{"score": 8, "comment": "fine"}' });
    fake.enqueue('gemini', { text: 'DONE' });
    const result = await run(['chain', 'run', 'gate', 'some code']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('DONE\n');
    expect(providers()).toEqual(['openai', 'gemini']);
    expect(bodyText(fake.requestsFor('gemini')[0]!)).toContain('Final: {\\"score\\":8');
    expect(result.stderr).toContain("fix: skipped (steps.grade.json.score < 7 and not (input contains 'WIP') is false)");
    const [saved] = savedRuns(home);
    expect(saved!.steps[1]).toMatchObject({
      name: 'fix',
      output: '',
      skipped: true,
      decision: { kind: 'when', taken: false, value: false },
    });
  });

  it('runs a step whose expression is true', async () => {
    fake.enqueue('openai', { text: '{"score": 3, "comment": "use a join"}' });
    fake.enqueue('anthropic', { text: 'FIXED' });
    fake.enqueue('gemini', { text: 'DONE' });
    const result = await run(['chain', 'run', 'gate', 'some code']);
    expect(result.code).toBe(0);
    expect(providers()).toEqual(['openai', 'anthropic', 'gemini']);
    expect(bodyText(fake.requestsFor('anthropic')[0]!)).toContain('Fix: use a join');
    expect(bodyText(fake.requestsFor('gemini')[0]!)).toContain('Final: FIXED');
    expect(savedRuns(home)[0]!.steps[1].decision).toMatchObject({ kind: 'when', taken: true });
  });

  it('answers with the step before a skipped last step, as {{previous}} would', async () => {
    fake.enqueue('openai', { text: 'just prose' });
    fake.enqueue('gemini', { text: 'no' });
    const result = await run(['chain', 'run', 'code-check', 'write add']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('just prose\n');
    expect(result.stderr).toContain('tests: skipped (judge said no)');
  });

  it('asks a judge, a costed call of its own, and runs the step when it says yes', async () => {
    fake.enqueue('openai', { text: 'def add(a, b): return a + b' });
    fake.enqueue('gemini', { text: 'Yes.' });
    fake.enqueue('anthropic', { text: 'TESTS' });
    const result = await run(['chain', 'run', 'code-check', 'write add']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('TESTS\n');
    expect(providers()).toEqual(['openai', 'gemini', 'anthropic']);
    const judge = fake.requestsFor('gemini')[0]!;
    expect(bodyText(judge)).toContain('Does the text contain code?');
    expect(bodyText(judge)).toContain('def add(a, b)');
    expect(result.stderr).toContain('tests: runs (judge said yes)');
    const step = savedRuns(home)[0]!.steps[1];
    expect(step.decision).toMatchObject({ kind: 'when', taken: true, judge: { answer: 'yes' } });
    expect(step.judges).toHaveLength(1);
    // The judge's call is in the usage log, under the chain, like the steps' calls.
    const { records } = await readRecords(path.join(home, 'usage'));
    const judged = records.find((record) => JSON.stringify(record).includes('tests:judge'));
    expect(judged).toMatchObject({ provider: 'gemini' });
    expect(JSON.stringify(judged)).toContain('code-check');
  });

  it('fails the step like a provider error when the judge answers something else', async () => {
    fake.enqueue('openai', { text: 'prose' });
    fake.enqueue('gemini', { text: 'Perhaps' });
    const result = await run(['chain', 'run', 'code-check', 'write add']);
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('the judge answered "Perhaps" instead of yes or no');
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
  });
});

describe('switch:', () => {
  it("runs the case a judge's answer names", async () => {
    fake.enqueue('gemini', { text: 'Bug' });
    fake.enqueue('anthropic', { text: 'TRIAGED' });
    const result = await run(['chain', 'run', 'triage', 'it crashes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('TRIAGED\n');
    expect(providers()).toEqual(['gemini', 'anthropic']);
    expect(bodyText(fake.requestsFor('gemini')[0]!)).toContain('bug, feature, question');
    expect(result.stderr).toContain('route: judge said bug');
    expect(savedRuns(home)[0]!.steps[0]).toMatchObject({ decision: { kind: 'switch', case: 'bug', judge: { answer: 'bug' } } });
  });

  it('runs the default case when no case matches the expression', async () => {
    fake.enqueue('openai', { text: 'A question' });
    fake.enqueue('gemini', { text: 'ANSWERED' });
    const result = await run(['chain', 'run', 'classify', 'why?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ANSWERED\n');
    expect(providers()).toEqual(['openai', 'gemini']);
    expect(savedRuns(home)[0]!.steps[1]).toMatchObject({ decision: { kind: 'switch', case: 'default', value: 'A question' } });
  });
});

describe('--json', () => {
  it('prints the run with its decisions, as it is saved', async () => {
    fake.enqueue('openai', { text: 'bug' });
    fake.enqueue('anthropic', { text: 'FIXED' });
    const result = await run(['chain', 'run', 'classify', '--json', 'it crashes']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.steps[1]).toMatchObject({
      name: 'route',
      output: 'FIXED',
      decision: { kind: 'switch', expression: 'steps.kind.output', value: 'bug', case: 'bug' },
      steps: [{ name: 'fix-bug', output: 'FIXED' }],
    });
    expect(printed.steps[1].usage).toEqual(printed.steps[1].steps[0].usage);
    expect(savedRuns(home)[0]!.steps[1].decision).toEqual(printed.steps[1].decision);
  });
});

describe('on_error:', () => {
  it('fallback: when the fallback models fail too, the step is skipped and the chain goes on (exit 10)', async () => {
    fake.enqueue('anthropic', { error: { status: 400 } });
    fake.enqueue('gemini', { error: { status: 400 } });
    fake.enqueue('openai', { text: 'END' });
    const result = await run(['chain', 'run', 'rescued', 'go']);
    expect(result.code).toBe(10);
    expect(result.stdout).toBe('END\n');
    expect(result.stderr).toContain('step "flaky" failed and was skipped (on_error: fallback)');
  });

  it('skip: a failed step gives "" and the chain goes on, exiting 10', async () => {
    fake.enqueue('openai', { text: 'ONE' });
    fake.enqueue('anthropic', { error: { status: 500 } }, { error: { status: 500 } });
    fake.enqueue('gemini', { text: 'THREE' });
    const result = await run(['chain', 'run', 'tolerant', 'go']);
    expect(result.code).toBe(10);
    expect(result.stdout).toBe('THREE\n');
    expect(bodyText(fake.requestsFor('gemini')[0]!)).toContain('Last: ONE');
    expect(result.stderr).toContain('step "flaky" failed and was skipped (on_error: skip)');
  });

  it('fallback: tries the fallback models first', async () => {
    fake.enqueue('anthropic', { error: { status: 400 } });
    fake.enqueue('gemini', { text: 'RESCUED' });
    fake.enqueue('openai', { text: 'END' });
    const result = await run(['chain', 'run', 'rescued', 'go']);
    expect(result.code).toBe(0);
    expect(providers()).toEqual(['anthropic', 'gemini', 'openai']);
    expect(bodyText(fake.requestsFor('openai')[0]!)).toContain('RESCUED');
  });
});

describe('expression errors', () => {
  it('puts a caret under the mistake and exits 3 before any request', async () => {
    const result = await run(['chain', 'run', 'broken', 'go']);
    expect(result.code).toBe(3);
    expect(fake.requests).toEqual([]);
    expect(result.stderr).toContain(
      'chains.broken.steps[1].when: chain "broken", step "fix", when: expression, column 36: expected a condition after "and"',
    );
    expect(result.stderr).toContain("steps.grade.output contains 'x' and\n");
    expect(result.stderr).toMatch(/\n {2,}\^\n/);
  });
});
