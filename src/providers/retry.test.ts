import { describe, expect, it } from 'vitest';
import { withRetry, retryDelayMs, type RetryPolicy } from './retry.js';
import {
  BadRequestError,
  collectStream,
  ProviderUnavailableError,
  RateLimitError,
  type GenerateResult,
  type LanguageModel,
  type StreamPart,
} from './spec.js';

const policy: RetryPolicy = { retries: 3, baseDelayMs: 1, maxDelayMs: 4, random: () => 1 };
const finish: StreamPart = { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };

/** A model whose successive stream() calls play the given scripts. */
function scripted(scripts: StreamPart[][]): LanguageModel & { calls: number } {
  const model = {
    provider: 'test',
    modelId: 'scripted',
    calls: 0,
    async *stream() {
      const script = scripts[model.calls] ?? [];
      model.calls += 1;
      yield* script;
    },
    async generate(): Promise<GenerateResult> {
      throw new Error('not used');
    },
  };
  return model;
}

const unavailable = () => new ProviderUnavailableError('overloaded', { provider: 'test', status: 529 });

describe('withRetry', () => {
  it('retries failures that happen before any text', async () => {
    const model = scripted([[{ type: 'error', error: unavailable() }], [{ type: 'text-delta', text: 'ok' }, finish]]);
    const retried: number[] = [];
    const result = await collectStream(
      withRetry(model, { ...policy, onRetry: ({ attempt }) => retried.push(attempt) }).stream({ messages: [] }),
    );
    expect(result.text).toBe('ok');
    expect(model.calls).toBe(2);
    expect(retried).toEqual([1]);
  });

  it('never retries once text has been passed on', async () => {
    const model = scripted([
      [
        { type: 'text-delta', text: 'par' },
        { type: 'error', error: unavailable() },
      ],
      [finish],
    ]);
    const parts: StreamPart[] = [];
    for await (const part of withRetry(model, policy).stream({ messages: [] })) parts.push(part);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'error']);
    expect(model.calls).toBe(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    const model = scripted(Array.from({ length: 10 }, () => [{ type: 'error', error: unavailable() } as StreamPart]));
    await expect(collectStream(withRetry(model, policy).stream({ messages: [] }))).rejects.toThrow('overloaded');
    expect(model.calls).toBe(4);
  });

  it('does not retry a bad request', async () => {
    const model = scripted([[{ type: 'error', error: new BadRequestError('bad', { provider: 'test', status: 400 }) }], [finish]]);
    await expect(collectStream(withRetry(model, policy).stream({ messages: [] }))).rejects.toThrow('bad');
    expect(model.calls).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('honours the vendor retry-after', () => {
    const error = new RateLimitError('slow down', { provider: 'test', status: 429, retryAfterMs: 1234 });
    expect(retryDelayMs(error, 0, policy)).toBe(1234);
  });

  it('gives up instead of sleeping longer than the cap', () => {
    const error = new RateLimitError('slow down', { provider: 'test', status: 429, retryAfterMs: 65_000 });
    expect(retryDelayMs(error, 0, policy)).toBeUndefined();
  });

  it('backs off exponentially with full jitter up to the maximum', () => {
    const error = unavailable();
    const base = { retries: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(error, 0, { ...base, random: () => 1 })).toBe(100);
    expect(retryDelayMs(error, 2, { ...base, random: () => 1 })).toBe(400);
    expect(retryDelayMs(error, 6, { ...base, random: () => 1 })).toBe(1000);
    expect(retryDelayMs(error, 2, { ...base, random: () => 0.5 })).toBe(200);
  });
});

describe('the silence timer', () => {
  /** A model that, on its first attempt, waits until its signal aborts (a provider gone quiet). */
  function silentOnce(then: StreamPart[]): LanguageModel & { calls: number; loaded: number } {
    const model = {
      provider: 'test',
      modelId: 'silent',
      calls: 0,
      loaded: 0,
      async load() {
        model.loaded += 1;
      },
      async *stream(_request: unknown, options: { signal?: AbortSignal } = {}) {
        model.calls += 1;
        if (model.calls === 1) {
          await new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(options.signal?.reason)));
        }
        yield* then;
      },
      async generate(): Promise<GenerateResult> {
        throw new Error('not used');
      },
    };
    return model;
  }

  it('gives up on a silent provider with one final error, and loads the SDK before the timer starts', async () => {
    const model = silentOnce([finish]);
    const parts: StreamPart[] = [];
    for await (const part of withRetry(model, { ...policy, silenceTimeoutMs: 20 }).stream({ messages: [] })) parts.push(part);
    const last = parts.at(-1);
    expect(last?.type === 'error' && last.error.message).toBe('test: no response for 20 ms; gave up');
    expect(last?.type === 'error' && last.error.retryable).toBe(false);
    expect(model.calls).toBe(1);
    expect(model.loaded).toBe(1);
  });

  it('does not count the wait a 429 asks for as silence', async () => {
    const limited = new RateLimitError('test: rate limit reached', { provider: 'test', status: 429, retryAfterMs: 60 });
    const model = scripted([[{ type: 'error', error: limited }], [{ type: 'text-delta', text: 'ok' }, finish]]);
    const result = await collectStream(withRetry(model, { ...policy, silenceTimeoutMs: 20 }).stream({ messages: [] }));
    expect(result.text).toBe('ok');
    expect(model.calls).toBe(2);
  });

  it('a caller abort stays an abort', async () => {
    const model = silentOnce([finish]);
    const controller = new AbortController();
    const stream = withRetry(model, { ...policy, silenceTimeoutMs: 10_000 }).stream({ messages: [] }, { signal: controller.signal });
    setImmediate(() => controller.abort(new DOMException('stop', { name: 'AbortError' })));
    await expect(collectStream(stream)).rejects.toThrow('stop');
  });
});
