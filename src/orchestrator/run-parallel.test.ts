import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { noAccounting } from '../usage/accounting.js';
import { fakeModels, type FakeReply } from './fake-language-model.test-support.js';
import { runParallel, type ParallelEvent } from './run-parallel.js';

function setup(refs: string[], reply: (ref: string) => FakeReply, signal?: AbortSignal) {
  const models = fakeModels((ref) => reply(ref));
  const events: ParallelEvent[] = [];
  const run = (resolve = models.resolve) =>
    runParallel({
      refs,
      request: { messages: [{ role: 'user', content: 'same question' }] },
      resolve,
      accounting: noAccounting,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
      concurrency: 8,
      source: { kind: 'parallel', id: 'parallel_test' },
      signal,
      onEvent: (event) => events.push(event),
    });
  return { models, events, run };
}

describe('runParallel', () => {
  it('asks every model at once, keeping the given order', async () => {
    const refs = ['alpha:one', 'beta:one', 'gamma:one', 'delta:one', 'epsilon:one'];
    const { models, run } = setup(refs, (ref) => ({ text: `answer of ${ref}`, delayMs: 200 }));
    const result = await run();
    expect(models.peakInFlight()).toBe(5);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, error: undefined });
    expect(result.results.map((entry) => [entry.label, entry.text])).toEqual(refs.map((ref) => [ref, `answer of ${ref}`]));
    expect(models.prompts()).toEqual(refs.map(() => 'same question'));
  });

  it('one failure never hides the other answers: exit 10', async () => {
    const { run, events } = setup(['alpha:one', 'beta:one', 'gamma:one'], (ref) =>
      ref === 'beta:one' ? { error: 'unavailable' } : `answer of ${ref}`,
    );
    const result = await run();
    expect(result).toMatchObject({ status: 'partial', exitCode: 10 });
    expect(result.results.map((entry) => entry.status)).toEqual(['ok', 'error', 'ok']);
    expect(result.error!.message).toBe('1 of 3 models failed: beta:one: 503 overloaded');
    expect(events.filter((event) => event.type === 'end')).toHaveLength(3);
  });

  it('a model without a key is its own failure, not the run’s', async () => {
    const { models, run } = setup(['alpha:one', 'beta:one'], () => 'fine');
    const result = await run(async (ref) => {
      if (ref === 'beta:one') throw new AuthError('no API key for beta');
      return models.resolve(ref);
    });
    expect(result.results.map((entry) => [entry.label, entry.status, entry.error?.message])).toEqual([
      ['alpha:one', 'ok', undefined],
      ['beta:one', 'error', 'no API key for beta'],
    ]);
    expect(result.exitCode).toBe(10);
  });

  it('exits 5 when no model answers', async () => {
    const { run } = setup(['alpha:one', 'beta:one'], () => ({ error: 'unavailable' }));
    const result = await run();
    expect(result).toMatchObject({ status: 'failed', exitCode: 5 });
  });

  it('cancels every in-flight request on abort: exit 130', async () => {
    const controller = new AbortController();
    const { models, run } = setup(
      ['alpha:one', 'beta:one'],
      // Longer than the test's timeout: only the abort can end it.
      (ref) => (ref === 'alpha:one' ? 'quick' : { text: 'slow', delayMs: 600_000 }),
      controller.signal,
    );
    void Promise.all([models.finished('alpha:one'), models.started('beta:one')]).then(() => controller.abort());
    const result = await run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(result.results.map((entry) => entry.status)).toEqual(['ok', 'aborted']);
    expect(models.calls.map((call) => call.aborted)).toEqual([false, true]);
  });
});
