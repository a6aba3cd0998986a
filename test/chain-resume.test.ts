// `llmo chain resume` end to end: a chain killed in step 3 of 5 continues from step 3, asks
// nothing again for steps 1–2, and ends as an uninterrupted run would.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders } from './fake-providers/server.mjs';
import { savedRuns, spawnLlmo } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';
import { waitUntil } from './helpers/wait-until.js';

const e2e = useE2e();
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;

const CHAIN = `
steps:
  - { name: one, model: openai, prompt: "Start: {{input}}" }
  - { name: two, model: anthropic, prompt: "Two: {{previous}}" }
  - { name: three, model: gemini, prompt: "Three: {{previous}} / {{steps.one.output}}" }
  - { name: four, model: mistral, prompt: "Four: {{previous}}" }
  - { name: five, model: deepseek, prompt: "Five: {{previous}} and {{steps.two.output}}" }
`;

const env = () => e2e.env();
const chainFile = () => path.join(home, 'five.yaml');
const run = (...args: string[]) => e2e.run(['chain', ...args]);

function enqueueReplies(from: number): void {
  const providers = ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'] as const;
  providers.forEach((provider, index) => {
    if (index + 1 >= from) fake.enqueue(provider, { text: `REPLY-${index + 1}` });
  });
}

beforeEach(() => {
  ({ fake, home } = e2e);
  writeFileSync(chainFile(), CHAIN);
});

describe('llmo chain resume', () => {
  it('after a SIGKILL in step 3 of 5: no request for steps 1–2, the same stdout as an uninterrupted run', async () => {
    enqueueReplies(1);
    const whole = await run('run', chainFile(), 'seed');
    expect(whole.code).toBe(0);
    const uninterrupted = fake.requests.map((request) => JSON.stringify(request.body.messages ?? request.body.contents));

    fake.reset();
    // The slow reply for step 3 goes first in gemini's queue.
    fake.enqueue('openai', { text: 'REPLY-1' });
    fake.enqueue('anthropic', { text: 'REPLY-2' });
    fake.enqueue('gemini', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const id = await killInStepThreeWithQueue();

    fake.reset();
    enqueueReplies(3);
    const resumed = await run('resume', id);
    expect(resumed.stderr).toBe(`llmo: resuming run ${id} at step 3 of 5 ("three"); the outputs of steps 1–2 are reused\n`);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(whole.stdout);
    expect(fake.requests.map((request) => request.provider)).toEqual(['gemini', 'mistral', 'deepseek']);
    // Steps 3–5 were sent exactly what the uninterrupted run sent them.
    expect(fake.requests.map((request) => JSON.stringify(request.body.messages ?? request.body.contents))).toEqual(uninterrupted.slice(2));

    const runs = savedRuns(home).filter((saved) => saved.id === id);
    expect(runs).toHaveLength(1);
    const [saved] = runs;
    expect(saved).toMatchObject({ status: 'ok', exit_code: 0, output: 'REPLY-5' });
    expect(saved!.steps.map((step: { output: string }) => step.output)).toEqual(['REPLY-1', 'REPLY-2', 'REPLY-3', 'REPLY-4', 'REPLY-5']);
    // The reused steps keep their calls and costs: the run's usage covers all five.
    const stepTokens = saved!.steps.reduce((sum: number, step: { usage: { output_tokens: number } }) => sum + step.usage.output_tokens, 0);
    expect(saved!.usage.output_tokens).toBe(stepTokens);
    expect(saved!.steps[0].usage.output_tokens).toBeGreaterThan(0);
  });

  it('refuses a chain that changed since the run (exit 3) unless --force', async () => {
    fake.enqueue('openai', { text: 'REPLY-1' });
    fake.enqueue('anthropic', { text: 'REPLY-2' });
    fake.enqueue('gemini', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const id = await killInStepThreeWithQueue();
    writeFileSync(chainFile(), CHAIN.replace('Four: {{previous}}', 'Four, changed: {{previous}}'));
    fake.reset();

    const refused = await run('resume', id);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`llmo: run ${id} was started by a different version of chain "five"`);
    expect(refused.stderr).toContain(`llmo chain resume ${id} --force`);
    expect(fake.requests).toEqual([]);

    enqueueReplies(3);
    const forced = await run('resume', id, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('REPLY-5\n');
    expect(fake.requests.map((request) => request.provider)).toEqual(['gemini', 'mistral', 'deepseek']);
  });

  it('refuses a run whose process is still running it: exit 2', async () => {
    fake.enqueue('openai', { text: 'REPLY-1' });
    fake.enqueue('anthropic', { text: 'REPLY-2' });
    fake.enqueue('gemini', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const child = spawnLlmo(['chain', 'run', chainFile(), 'seed'], { home, env: env() });
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.stdin!.end('');
    await waitUntil(() => fake.requestsFor('gemini').length === 1, 'step 3 to be requested');
    await waitUntil(() => savedRuns(home).some((saved) => saved.steps.length === 2), 'steps 1–2 to be saved');
    const [saved] = savedRuns(home);
    const refused = await run('resume', saved!.id);
    child.kill('SIGKILL');
    await exited;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`llmo: run ${saved!.id} is still running (process ${child.pid})`);
    expect(fake.requests.map((request) => request.provider)).toEqual(['openai', 'anthropic', 'gemini']);
  });

  it('reuses a step skipped by when: and a finished repeat block, as the saved progress has them', async () => {
    writeFileSync(
      chainFile(),
      `steps:
  - { name: one, model: openai }
  - { name: two, model: anthropic, when: "length(previous) > 1000" }
  - name: loop
    repeat:
      max_iterations: 1
      steps: [ { name: inner, model: gemini, prompt: "Inner: {{previous}}" } ]
  - { name: four, model: mistral, prompt: "Four: {{previous}} / {{steps.two.output}}" }
`,
    );
    fake.enqueue('openai', { text: 'ONE' });
    fake.enqueue('gemini', { text: 'INNER' });
    fake.enqueue('mistral', { text: 'never arrives', firstChunkDelayMs: 20_000 });
    const child = spawnLlmo(['chain', 'run', chainFile(), 'seed'], { home, env: env() });
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.stdin!.end('');
    await waitUntil(() => fake.requestsFor('mistral').length === 1, 'step 4 to be requested');
    await waitUntil(() => savedRuns(home).some((saved) => saved.steps.length === 3), 'steps 1–3 to be saved');
    child.kill('SIGKILL');
    await exited;
    const [saved] = savedRuns(home);
    expect(saved!.steps.map((step: { name: string; output: string }) => [step.name, step.output])).toEqual([
      ['one', 'ONE'],
      ['two', ''],
      ['loop', 'INNER'],
    ]);

    fake.reset();
    fake.enqueue('mistral', { text: 'FOUR' });
    const resumed = await run('resume', saved!.id, '-q');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('FOUR\n');
    expect(fake.requests.map((request) => request.provider)).toEqual(['mistral']);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain('Four: INNER / ');
  });

  it('finds the chain again by its name in config, or its inline text', async () => {
    writeFileSync(
      path.join(home, 'config.yaml'),
      `chains:\n  pair:\n    steps:\n      - { name: a, model: openai }\n      - { name: b, model: mistral, prompt: "B: {{previous}}" }\n`,
    );
    for (const target of ['pair', '(openai) -> (mistral)']) {
      fake.reset();
      fake.enqueue('openai', { text: 'FIRST' });
      fake.enqueue('mistral', { error: { status: 400 } });
      const failed = await run('run', target, 'go');
      expect(failed.code).toBe(10);
      const id = savedRuns(home).find((saved) => saved.status === 'partial')!.id;
      fake.reset();
      fake.enqueue('mistral', { text: 'SECOND' });
      const resumed = await run('resume', id, '-q');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toBe('SECOND\n');
      expect(fake.requests.map((request) => request.provider)).toEqual(['mistral']);
    }
  });

  it('continues a run that failed at a step, and refuses one that finished', async () => {
    fake.enqueue('openai', { text: 'REPLY-1' });
    fake.enqueue('anthropic', { text: 'REPLY-2' });
    fake.enqueue('gemini', { error: { status: 400 } });
    const failed = await run('run', chainFile(), 'seed');
    expect(failed.code).toBe(10);
    const [saved] = savedRuns(home);
    expect(failed.stderr).toContain(`llmo chain resume ${saved!.id} continues it`);

    fake.reset();
    enqueueReplies(3);
    const resumed = await run('resume', saved!.id, '-q');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('REPLY-5\n');
    expect(fake.requests).toHaveLength(3);

    const again = await run('resume', saved!.id);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`llmo: run ${saved!.id} finished; there is nothing to resume`);
  });
});

/** Runs the chain with the queues as set, SIGKILLs it in step 3 once steps 1–2 are saved; returns the run id. */
async function killInStepThreeWithQueue(): Promise<string> {
  const child = spawnLlmo(['chain', 'run', chainFile(), 'seed'], { home, env: env() });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  child.stdin!.end('');
  await waitUntil(() => fake.requestsFor('gemini').length === 1, 'step 3 to be requested');
  await waitUntil(() => savedRuns(home).some((saved) => saved.steps.length === 2), 'steps 1–2 to be saved');
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const saved = savedRuns(home).find((record) => record.steps.length === 2)!;
  expect(saved).toMatchObject({ status: 'running', output: null });
  return saved.id;
}
