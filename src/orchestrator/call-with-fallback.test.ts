import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { noAccounting } from '../usage/accounting.js';
import { callModel, type ResolvedModel } from './call-model.js';
import { callWithFallback } from './call-with-fallback.js';
import { fakeModels } from './fake-language-model.test-support.js';

const retry = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };
/** One call without retries, as ask makes it. */
const call = (resolved: ResolvedModel) =>
  callModel({
    resolved,
    request: { messages: [{ role: 'user', content: 'hi' }] },
    source: { kind: 'ask' },
    accounting: noAccounting,
    retry,
  });

describe('callWithFallback', () => {
  it('answers from the next model when the first fails, and says so', async () => {
    const models = fakeModels((ref) => (ref === 'a:one' ? { error: 'unavailable' } : `answer from ${ref}`));
    const notices: string[] = [];
    const result = await callWithFallback({
      first: await models.resolve('a:one'),
      fallbacks: ['b:two', 'c:three'],
      resolve: models.resolve,
      call,
      onFallback: (message) => notices.push(message),
    });
    expect(result.status).toBe('ok');
    expect(result.text).toBe('answer from b:two');
    expect(models.calls.map((call) => `${call.provider}:${call.modelId}`)).toEqual(['a:one', 'b:two']);
    expect(notices).toEqual([expect.stringMatching(/^a:one failed \(.*503.*\); trying b:two$/)]);
  });

  it('skips a fallback that cannot be resolved and one that repeats a model already tried', async () => {
    const models = fakeModels((ref) => (ref === 'c:three' ? 'third' : { error: 'unavailable' }));
    const notices: string[] = [];
    const result = await callWithFallback({
      first: await models.resolve('a:one'),
      fallbacks: ['nokey:x', 'a:one', 'c:three'],
      resolve: async (ref) => {
        if (ref.startsWith('nokey')) throw new AuthError('nokey: no API key');
        return models.resolve(ref);
      },
      call,
      onFallback: (message) => notices.push(message),
    });
    expect(result.text).toBe('third');
    expect(models.calls).toHaveLength(2);
    expect(notices[0]).toBe('fallback nokey:x skipped: nokey: no API key');
  });

  it('returns the last failure when every model fails', async () => {
    const models = fakeModels(() => ({ error: 'unavailable' }));
    const result = await callWithFallback({
      first: await models.resolve('a:one'),
      fallbacks: ['b:two'],
      resolve: models.resolve,
      call,
    });
    expect(result.status).toBe('error');
    expect(result.provider).toBe('b');
  });

  it("falls back to a routed model's runners-up when no fallback is named, and to the named ones when some are", async () => {
    const models = fakeModels((ref) => (ref === 'a:one' ? { error: 'unavailable' } : `answer from ${ref}`));
    const first = { ...(await models.resolve('a:one')), routed: { mode: 'auto:cheap', reason: 'cheapest', runnersUp: ['c:three'] } };
    const routed = await callWithFallback({ first, fallbacks: [], resolve: models.resolve, call });
    expect(routed.text).toBe('answer from c:three');
    const named = await callWithFallback({ first, fallbacks: ['b:two'], resolve: models.resolve, call });
    expect(named.text).toBe('answer from b:two');
    expect(models.calls.map((call) => `${call.provider}:${call.modelId}`)).toEqual(['a:one', 'c:three', 'a:one', 'b:two']);
  });
});
