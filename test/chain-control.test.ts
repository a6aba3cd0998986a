/**
 * Chains, second edition, end to end: `when:`, `repeat:`, `switch:`, `on_error:`, judges and
 * expression errors, the built CLI against the fake providers in a throwaway LLMO_HOME.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders, type RecordedRequest } from './fake-providers/server.mjs';
import { readRecords } from '../src/usage/usage-log.js';
import { makeHome, removeHome, runLlmo, savedRuns, spawnLlmo, TEST_KEYS } from './helpers/run-llmo.js';
import { waitUntil } from './helpers/wait-until.js';

let fake: FakeProviders;
let home: string;

const CONFIG = `
request:
  retries: 1
  retry_base_delay_ms: 1
  retry_max_delay_ms: 5
chains:
  gate:
    steps:
      - name: grade
        model: openai
        schema: "score int, comment"
      - name: fix
        when: "steps.grade.json.score < 7 and not (input contains 'WIP')"
        model: anthropic
        prompt: "Fix: {{steps.grade.json.comment}}"
      - name: final
        model: gemini
        prompt: "Final: {{previous}}"
  code-check:
    steps:
      - name: draft
        model: openai
      - name: tests
        when: { judge: gemini, question: "Does the text contain code?" }
        model: anthropic
        prompt: "Write tests for: {{previous}}"
  refine:
    steps:
      - name: loop
        repeat:
          max_iterations: 3
          until: "steps.review.output contains 'APPROVED'"
          steps:
            - name: draft
              model: openai
              prompt: "Iteration {{loop.iteration}}. {{loop.previous}}\\nFeedback: {{steps.review.output}}"
            - name: review
              model: anthropic
              prompt: "Say APPROVED or list problems:\\n{{steps.draft.output}}"
  settle:
    steps:
      - name: polish
        repeat:
          max_iterations: 5
          until_stable: true
          steps:
            - name: rewrite
              model: openai
              prompt: "Polish: {{loop.previous}}"
  triage:
    steps:
      - name: route
        switch:
          on: { judge: gemini, question: "Bug, feature or question?", answers: [bug, feature, question] }
          cases:
            bug: [ { name: fix-bug, model: anthropic, prompt: "Triage: {{input}}" } ]
            feature: [ { name: spec, model: openai } ]
          default: [ { name: answer, model: mistral } ]
  classify:
    steps:
      - name: kind
        model: openai
      - name: route
        switch:
          on: "steps.kind.output"
          cases:
            bug: [ { name: fix-bug, model: anthropic } ]
          default: [ { name: answer, model: gemini, prompt: "Answer: {{input}}" } ]
  tolerant:
    steps:
      - name: first
        model: openai
      - name: flaky
        model: anthropic
        on_error: skip
      - name: last
        model: gemini
        prompt: "Last: {{previous}}"
  rescued:
    steps:
      - name: flaky
        model: anthropic
        fallback: [gemini]
        on_error: fallback
      - name: last
        model: openai
  costly:
    budget_usd: 0.5
    steps:
      - name: loop
        repeat:
          max_iterations: 100
          until: { judge: haiku, question: "Good enough?" }
          steps:
            - { name: draft, model: sonnet }
  unbounded:
    steps:
      - name: loop
        repeat:
          max_iterations: 100
          until: "steps.draft.output contains 'DONE'"
          steps:
            - { name: draft, model: sonnet }
  broken:
    steps:
      - name: grade
        model: openai
      - name: fix
        when: "steps.grade.output contains 'x' and"
        model: anthropic
`;

const run = (args: string[]) => runLlmo(args, { home, env: { ...fake.env(), ...TEST_KEYS } });
const bodyText = (request: RecordedRequest) => JSON.stringify(request.body);
const providers = () => fake.requests.map((request) => request.provider);

beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  home = makeHome();
  writeFileSync(path.join(home, 'config.yaml'), CONFIG);
});
afterEach(() => removeHome(home));

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

describe('repeat:', () => {
  it('stops on APPROVED at iteration 2, feeding the review back to the draft', async () => {
    fake.enqueue('openai', { text: 'DRAFT-1' }, { text: 'DRAFT-2' });
    fake.enqueue('anthropic', { text: 'too vague' }, { text: 'APPROVED' });
    const result = await run(['chain', 'run', 'refine', 'a plan']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('APPROVED\n');
    expect(providers()).toEqual(['openai', 'anthropic', 'openai', 'anthropic']);
    const second = bodyText(fake.requestsFor('openai')[1]!);
    expect(second).toContain('Iteration 2. APPROVED'.replace('APPROVED', 'too vague'));
    expect(second).toContain('Feedback: too vague');
    expect(result.stderr).toContain('loop: iteration 2 of 3');
    expect(result.stderr).toContain(`loop: stopped at iteration 2 (output "APPROVED" contains 'APPROVED' is true)`);
    const [saved] = savedRuns(home);
    expect(saved!.steps[0].decision).toMatchObject({ kind: 'until', iterations: 2, stoppedBy: 'until', taken: true });
    expect(saved!.steps[0].iterations).toHaveLength(2);
    expect(saved!.steps[0].iterations[1][0].output).toBe('DRAFT-2');
    const shown = await run(['chain', 'runs', 'show', saved!.id]);
    expect(shown.stdout).toContain(`until: steps.review.output contains 'APPROVED' → true · 2 iterations · stopped by until`);
    expect(shown.stdout).toMatch(/ {3}iteration 2\n {3}1\. draft · ok/);
  });

  it('Ctrl-C inside an iteration exits 130, keeping what the iteration had finished', async () => {
    fake.enqueue('openai', { text: 'DRAFT-1' });
    fake.enqueue('anthropic', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const child = spawnLlmo(['chain', 'run', 'refine', 'a plan'], { home, env: { ...fake.env(), ...TEST_KEYS } });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin!.end('');
    await waitUntil(() => fake.requestsFor('anthropic').length === 1, 'the review request');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted during step "review"');
    const [saved] = savedRuns(home);
    expect(saved).toMatchObject({ status: 'interrupted', exit_code: 130 });
    expect(saved!.steps[0].status).toBe('aborted');
    expect(saved!.steps[0].iterations[0].map((step: { status: string }) => step.status)).toEqual(['ok', 'aborted']);
  });

  it('ends at max_iterations with exit 10, the last output on stdout, saying so', async () => {
    fake.enqueue('openai', { text: 'D1' }, { text: 'D2' }, { text: 'D3' });
    fake.enqueue('anthropic', { text: 'no' }, { text: 'still no' }, { text: 'LAST-REVIEW' });
    const result = await run(['chain', 'run', 'refine', 'a plan']);
    expect(result.code).toBe(10);
    expect(result.stdout).toBe('LAST-REVIEW\n');
    expect(result.stderr).toContain('repeat "loop" reached max_iterations (3) without its until: being true; the last output is kept');
    expect(fake.requests).toHaveLength(6);
    expect(savedRuns(home)[0]!.steps[0].decision).toMatchObject({ stoppedBy: 'max_iterations', iterations: 3 });
  });

  it('stops when the output no longer changes (until_stable)', async () => {
    fake.enqueue('openai', { text: 'First take' }, { text: 'The settled answer.' }, { text: 'the  settled answer.' });
    const result = await run(['chain', 'run', 'settle', 'draft']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('the  settled answer.\n');
    expect(fake.requests).toHaveLength(3);
    expect(savedRuns(home)[0]!.steps[0].decision).toMatchObject({ stoppedBy: 'stable', iterations: 3 });
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

describe('worst case', () => {
  it('counts a repeat at max_iterations and its judge, refusing over budget_usd before any call', async () => {
    const plan = await run(['chain', 'run', 'costly', '--dry-run', '--json', 'text']);
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout);
    const block = json.steps[0].block;
    expect(block).toMatchObject({ kind: 'repeat', decided_at_run_time: true, max_iterations: 100, until: 'judge haiku: "Good enough?"' });
    expect(block.worst_case_usd).toBeGreaterThan(0.5);
    expect(json.worst_case_usd).toBeCloseTo(block.worst_case_usd, 9);
    const text = await run(['chain', 'run', 'costly', '--dry-run', 'text']);
    expect(text.stdout).toMatch(
      /1\. loop \(repeat, at most 100 iterations, until judge haiku: "Good enough\?"\) · decided at run time · worst case \$[\d.]+ \(× 100 iterations\)/,
    );

    const result = await run(['chain', 'run', 'costly', 'text']);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/chain "costly" could cost up to \$[\d.]+, over its budget_usd of \$0\.50/);
    expect(fake.requests).toHaveLength(0);
  });

  it('checks the configured budgets against the same worst case', async () => {
    writeFileSync(path.join(home, 'config.yaml'), `${CONFIG}\nbudgets:\n  daily_usd: 0.5\n`);
    const result = await run(['chain', 'run', 'unbounded', 'text']);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('daily');
    expect(fake.requests).toHaveLength(0);
  });
});
