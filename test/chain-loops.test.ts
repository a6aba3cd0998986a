/**
 * Chains, second edition, end to end: `repeat:` (until, until_stable, max_iterations, Ctrl-C
 * inside an iteration) and the worst case of blocks, the built CLI against the fake providers.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders, RecordedRequest } from './fake-providers/server.mjs';
import { CONFIG } from './helpers/control-chains.js';
import { savedRuns, spawnLlmo } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';
import { waitUntil } from './helpers/wait-until.js';

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
    const child = spawnLlmo(['chain', 'run', 'refine', 'a plan'], { home, env: e2e.env() });
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

  it('on_error: skip on a block lets the chain go on when an inner step fails (exit 10)', async () => {
    fake.enqueue('anthropic', { error: { status: 400 } });
    fake.enqueue('gemini', { text: 'AFTER' });
    const result = await run(['chain', 'run', 'soft-loop', 'go']);
    expect(result.code).toBe(10);
    expect(result.stdout).toBe('AFTER\n');
    expect(bodyText(fake.requestsFor('gemini')[0]!)).toContain('After: go');
    expect(result.stderr).toContain('step "loop" failed and was skipped (on_error: skip)');
    expect(savedRuns(home)[0]!.steps[0]).toMatchObject({ name: 'loop', status: 'failed', output: '', skipped: true });
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
