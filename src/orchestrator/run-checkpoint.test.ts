import { describe, expect, it } from 'vitest';
import { catalog, resolveRef } from './chain-test-catalog.test-support.js';
import { fakeModels } from './fake-language-model.test-support.js';
import { parseInlineChain } from './inline-chain.js';
import { RunCheckpoint } from './run-checkpoint.js';
import { runChain } from './run-chain.js';
import { chainRunRecord, type RunRecord } from './run-record.js';
import { serialiseRun } from './run-store.js';
import { validateChain } from './validate-chain.js';

const INLINE = 'summarize(alpha:one) -> critique(beta:one) -> (gamma:one)';
const started = new Date('2026-12-07T01:02:03Z');
const context = { id: 'chain_20261207_010203', startedAt: started, input: 'the "input"\non two lines', vars: { tone: 'dry' } };

/** A real run of three steps whose replies hold what JSON must escape (quotes, newlines, a tab). */
async function threeSteps() {
  const models = fakeModels((ref) => `reply of ${ref}:\n  "quoted"\tand indented`);
  const chain = parseInlineChain(INLINE);
  const run = await runChain({
    plan: validateChain(chain, { catalog, resolveRef }),
    input: context.input,
    resolve: models.resolve,
    accounting: { checkBudget: async () => {}, record: async () => {} },
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    concurrency: 4,
    source: { kind: 'chain', id: context.id, name: 'inline' },
    enforceBudget: true,
  });
  return { chain, run };
}

const textOf = (checkpoint: RunCheckpoint, elapsedMs: number) => checkpoint.bytes(elapsedMs).toString('utf8');

describe('RunCheckpoint', () => {
  it('writes the record serialiseRun writes: running, with the steps finished so far and their usage', async () => {
    const { chain, run } = await threeSteps();
    const finished = chainRunRecord(context, chain, run);
    const checkpoint = new RunCheckpoint(context, chain);
    expect(JSON.parse(textOf(checkpoint, 0))).toMatchObject({ status: 'running', steps: [], usage: null, pid: process.pid });

    checkpoint.set(0, run.steps[0]!);
    checkpoint.set(1, run.steps[1]!);
    const text = textOf(checkpoint, 1234);
    const saved = JSON.parse(text) as RunRecord;
    // Byte for byte what the whole record serialises to, so nothing reading runs can tell the difference.
    expect(text).toBe(serialiseRun(saved));
    expect(saved).toMatchObject({ id: context.id, status: 'running', exit_code: null, output: null, duration_ms: 1234 });
    expect(saved.chain).toEqual(finished.chain);
    expect(saved.steps).toEqual(finished.steps.slice(0, 2));
    expect(saved.usage).toEqual({ input_tokens: 20, output_tokens: 10 });
    expect(checkpoint.finished).toBe(2);
  });

  it('keeps a resumed run’s earlier steps first, and counts only this run’s as finished', async () => {
    const { chain, run } = await threeSteps();
    const earlier = chainRunRecord(context, chain, run).steps.slice(0, 2);
    const checkpoint = new RunCheckpoint({ ...context, earlier, priorMs: 5000 }, chain);
    expect(checkpoint.finished).toBe(0);
    checkpoint.set(0, run.steps[2]!);
    const saved = JSON.parse(textOf(checkpoint, 100)) as RunRecord;
    expect(saved.steps.map((step) => step.name)).toEqual(['summarize', 'critique', 'step3']);
    expect(saved.steps.slice(0, 2)).toEqual(earlier);
    expect(saved).toMatchObject({ duration_ms: 5100, usage: { input_tokens: 30, output_tokens: 15 } });
  });
});
