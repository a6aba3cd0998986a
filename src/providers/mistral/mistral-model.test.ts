import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { resetEnv } from '@mistralai/mistralai/lib/env.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { replyText, startFakeProviders, usageFor, type FakeProviders, type FakeScenario } from '../../../test/fake-providers/server.mjs';
import {
  KEYLESS_API_KEY,
  BadRequestError,
  ProviderAuthError,
  type ProviderError,
  ProviderUnavailableError,
  RateLimitError,
  type LanguageModel,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
} from '../spec.js';
import { createModel } from './index.js';
import { waitUntil } from '../../../test/helpers/wait-until.js';

// The real SDK against the fake Mistral (test/fake-providers/mistral.mjs), which follows the
// recordings in shared/wire/mistral.

const API_KEY = 'mistral-test-key-5f3c9a7e1d2b4c6a';
const MODEL = 'mistral-small-latest';
const PROMPT = 'Count from 1 to 3';
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: PROMPT }] };

let fake: FakeProviders;

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['mistral'] });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function model(settings: Partial<ProviderSettings> = {}): LanguageModel {
  return createModel({ provider: 'mistral', modelId: MODEL, apiKey: API_KEY, baseURL: fake.baseURLs.mistral, ...settings });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

function textOf(parts: StreamPart[], type: 'text-delta' | 'reasoning-delta' = 'text-delta'): string {
  return parts.map((part) => (part.type === type ? part.text : '')).join('');
}

/** The one error part of a failed stream, which must be its last part. */
function errorOf(parts: StreamPart[]): ProviderError {
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected the stream to end with an error part, got ${JSON.stringify(parts)}`);
  expect(parts.filter((part) => part.type === 'error' || part.type === 'finish')).toHaveLength(1);
  return last.error;
}

async function generateError(scenario: FakeScenario, settings: Partial<ProviderSettings> = {}): Promise<unknown> {
  fake.enqueue('mistral', scenario);
  return model(settings)
    .generate(REQUEST)
    .then(
      () => {
        throw new Error('generate() should have failed');
      },
      (error: unknown) => error,
    );
}

async function streamError(scenario: FakeScenario, settings: Partial<ProviderSettings> = {}): Promise<ProviderError> {
  fake.enqueue('mistral', scenario);
  return errorOf(await collect(model(settings).stream(REQUEST)));
}

/** Everything a user or a log could ever see of an error. */
function everythingShown(error: unknown): string {
  const shown = error as Error;
  return [shown.message, shown.stack, JSON.stringify(error), inspect(error, { depth: 10 }), String((error as { hint?: string }).hint)].join(
    '\n',
  );
}

const until = (condition: () => boolean) => waitUntil(condition, 'the fake Mistral to see it');

describe('MistralModel against the fake Mistral', () => {
  it('streams the reply in pieces and ends with one finish part carrying usage, model and request id', async () => {
    const scenario: FakeScenario = { words: 40 };
    fake.enqueue('mistral', scenario);
    const parts = await collect(model().stream(REQUEST));
    const reply = replyText('mistral', MODEL, scenario);
    expect(textOf(parts)).toBe(reply);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(5);
    const finish = parts.at(-1);
    expect(finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: {
        inputTokens: usageFor(PROMPT, reply, scenario).inputTokens,
        outputTokens: usageFor(PROMPT, reply, scenario).outputTokens,
        cachedInputTokens: 0,
      },
      responseModel: MODEL,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('generate() returns the same text as the stream', async () => {
    const scenario: FakeScenario = { words: 25 };
    fake.enqueue('mistral', scenario, scenario);
    const streamed = textOf(await collect(model().stream(REQUEST)));
    const generated = await model().generate(REQUEST);
    expect(generated.text).toBe(streamed);
    expect(generated.text).toBe(replyText('mistral', MODEL, scenario));
    expect(generated).toMatchObject({ reasoning: '', finishReason: 'stop', responseModel: MODEL, warnings: [] });
    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [streamRequest, generateRequest] = fake.requestsFor('mistral');
    expect(streamRequest).toMatchObject({ stream: true, path: '/v1/chat/completions' });
    expect(generateRequest).toMatchObject({ stream: false, path: '/v1/chat/completions' });
  });

  it('reports exactly the usage the fake sent, cached tokens included, in both modes', async () => {
    const scenario: FakeScenario = { usage: { inputTokens: 1234, outputTokens: 56, cachedInputTokens: 1024 } };
    fake.enqueue('mistral', scenario, scenario);
    const expected = { inputTokens: 1234, outputTokens: 56, cachedInputTokens: 1024 };
    const finish = (await collect(model().stream(REQUEST))).at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage: expected });
    expect((await model().generate(REQUEST)).usage).toEqual(expected);
  });

  it("maps finish_reason 'length' in both modes", async () => {
    fake.enqueue('mistral', { finishReason: 'length' }, { finishReason: 'length' });
    expect((await collect(model().stream(REQUEST))).at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
    expect((await model().generate(REQUEST)).finishReason).toBe('length');
  });

  it('turns array content into reasoning deltas ahead of the text, in both modes', async () => {
    const scenario: FakeScenario = {
      reasoning: 'The user is asking for the product of 12 multiplied by 12. That is 144.',
      text: 'The answer is 144, as asked.',
    };
    fake.enqueue('mistral', scenario, scenario);
    const parts = await collect(model().stream(REQUEST));
    expect(textOf(parts, 'reasoning-delta')).toBe(scenario.reasoning);
    expect(textOf(parts)).toBe(scenario.text);
    const kinds = parts.map((part) => part.type);
    expect(kinds.lastIndexOf('reasoning-delta')).toBeLessThan(kinds.indexOf('text-delta'));
    expect(kinds.filter((kind) => kind === 'reasoning-delta').length).toBeGreaterThan(1);
    const generated = await model().generate(REQUEST);
    expect(generated).toMatchObject({ reasoning: scenario.reasoning, text: scenario.text });
  });

  it('sends the settings Mistral understands, with system messages hoisted and the key as a bearer token', async () => {
    fake.enqueue('mistral', {});
    const parts = await collect(
      model({ headers: { 'x-llmo-test': 'yes' } }).stream({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: PROMPT },
        ],
        maxTokens: 64,
        temperature: 0.2,
        stop: ['\n\n'],
        providerOptions: { mistral: { randomSeed: 7 }, openai: { seed: 1 } },
      }),
    );
    expect(parts.at(-1)?.type).toBe('finish');
    const [recorded] = fake.requestsFor('mistral');
    expect(recorded?.body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.', prefix: false },
        { role: 'user', content: PROMPT },
      ],
      max_tokens: 64,
      temperature: 0.2,
      stop: ['\n\n'],
      random_seed: 7,
      stream: true,
    });
    expect(recorded?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(recorded?.headers['x-llmo-test']).toBe('yes');
  });

  it('ignores MISTRAL_API_KEY and MISTRAL_DEBUG: keys come from llmo, and the SDK must not log them', async () => {
    vi.stubEnv('MISTRAL_API_KEY', 'key-from-the-environment-0042');
    vi.stubEnv('MISTRAL_DEBUG', '1');
    // The SDK reads the environment once and keeps it.
    resetEnv();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const group = vi.spyOn(console, 'group').mockImplementation(() => {});
    try {
      fake.enqueue('mistral', {});
      const parts = await collect(model({ apiKey: undefined }).stream(REQUEST));
      expect(parts.at(-1)?.type).toBe('finish');
      expect(fake.requestsFor('mistral')[0]?.headers.authorization).toBe(`Bearer ${KEYLESS_API_KEY}`);
      expect(log).not.toHaveBeenCalled();
      expect(group).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
      group.mockRestore();
      vi.unstubAllEnvs();
      resetEnv();
    }
  });

  it('turns settings Mistral cannot honour into warnings, first in the stream and in generate()', async () => {
    const request: ModelRequest = { ...REQUEST, providerOptions: { mistral: { thinkingBudget: 1000 } } };
    fake.enqueue('mistral', {}, {});
    const parts = await collect(model().stream(request));
    const warning = {
      type: 'unsupported',
      provider: 'mistral',
      feature: 'providerOptions.mistral.thinkingBudget',
      details: expect.any(String),
    };
    expect(parts[0]).toEqual({ type: 'warning', warning });
    expect(parts.at(-1)?.type).toBe('finish');
    expect((await model().generate(request)).warnings).toEqual([warning]);
  });

  describe('errors', () => {
    it('401 → ProviderAuthError with Mistral’s message and no trace of the key, in both modes', async () => {
      for (const error of [await streamError({ error: { status: 401 } }), await generateError({ error: { status: 401 } })]) {
        expect(error).toBeInstanceOf(ProviderAuthError);
        expect(error).toMatchObject({ status: 401, provider: 'mistral', exitCode: 4, retryable: false });
        expect((error as Error).message).toContain('Invalid API Key');
        expect((error as ProviderError).requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(everythingShown(error)).not.toContain(API_KEY);
        expect(everythingShown(error)).not.toContain(API_KEY.slice(-12));
      }
    });

    it('401 in its 2025 shape → the request id from the body', async () => {
      const error = await streamError({ error: { status: 401, variant: 'request_id' } });
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect(error.message).toContain('Unauthorized');
      expect(error.requestId).toBe('696869367bc8da6c8ed65c2e6fcc8216');
    });

    it('429 with retry-after → RateLimitError with retryAfterMs', async () => {
      const error = await streamError({ error: { status: 429, retryAfterSeconds: 3 } });
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, retryable: true });
      expect(error.message).toContain('Rate limit exceeded');
      const thrown = await generateError({ error: { status: 429, retryAfterMs: 250 } });
      expect(thrown).toMatchObject({ retryAfterMs: 250 });
    });

    it('429 as recorded, without retry-after → no retryAfterMs', async () => {
      const error = await streamError({ error: { status: 429 } });
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBeUndefined();
    });

    it('500 and 503 → ProviderUnavailableError, retryable', async () => {
      for (const status of [500, 503]) {
        const error = await streamError({ error: { status } });
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error).toMatchObject({ status, retryable: true, exitCode: 5 });
        expect(error.message).toContain('Service unavailable.');
      }
      expect(await generateError({ error: { status: 500 } })).toBeInstanceOf(ProviderUnavailableError);
    });

    it('422 → BadRequestError with pydantic’s detail message and the x-kong request id', async () => {
      for (const error of [await streamError({ error: { status: 422 } }), await generateError({ error: { status: 422 } })]) {
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as Error).message).toContain('Input should be a valid string');
        expect((error as Error).message).toContain('Input should be a valid list');
        // The recorded 422 has no mistral-correlation-id.
        expect((error as ProviderError).requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('400 → BadRequestError with Mistral’s message', async () => {
      const error = await streamError({ error: { status: 400 } });
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toContain("Unexpected role 'system' after role 'assistant'");
    });

    it('a connection cut after two chunks → the text so far, then an error part saying it was cut', async () => {
      fake.enqueue('mistral', { words: 60, cutAfterChunks: 2, chunkDelayMs: 50 });
      const parts = await collect(model().stream(REQUEST));
      const text = textOf(parts);
      expect(text.length).toBeGreaterThan(0);
      expect(replyText('mistral', MODEL, { words: 60 }).startsWith(text)).toBe(true);
      const error = errorOf(parts);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/cut off mid-stream/);
      expect(parts.some((part) => part.type === 'finish')).toBe(false);
    });

    it('an error event inside the stream → the text so far, then an error part', async () => {
      fake.enqueue('mistral', { words: 30, midstreamError: true });
      const parts = await collect(model().stream(REQUEST));
      expect(textOf(parts)).not.toBe('');
      const error = errorOf(parts);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/^mistral: unreadable stream event \(request id /);
    });

    it('nobody listening → ProviderUnavailableError, not a throw', async () => {
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const address = server.address();
          server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
        });
      });
      const parts = await collect(model({ baseURL: `http://127.0.0.1:${port}` }).stream(REQUEST));
      const error = errorOf(parts);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/^mistral: could not connect: /);
    });
  });

  describe('abort', () => {
    it('rethrows the AbortError from the stream and closes the connection', async () => {
      fake.enqueue('mistral', { words: 60, chunkDelayMs: 30 });
      const controller = new AbortController();
      const parts: StreamPart[] = [];
      const consumed = (async () => {
        for await (const part of model().stream(REQUEST, { signal: controller.signal })) {
          parts.push(part);
          if (parts.length === 2) controller.abort();
        }
      })();
      await expect(consumed).rejects.toMatchObject({ name: 'AbortError' });
      expect(parts.every((part) => part.type === 'text-delta')).toBe(true);
      await until(() => fake.requestsFor('mistral')[0]?.aborted === true);
      expect(fake.requestsFor('mistral')[0]).toMatchObject({ aborted: true, completed: false });
    });

    it('rethrows the AbortError from generate()', async () => {
      fake.enqueue('mistral', { firstChunkDelayMs: 20_000 });
      const controller = new AbortController();
      const generating = model().generate(REQUEST, { signal: controller.signal });
      // Cancelled once the fake has the request, while it holds the answer back.
      await until(() => fake.requestsFor('mistral').length === 1);
      controller.abort();
      await expect(generating).rejects.toMatchObject({ name: 'AbortError' });
      await until(() => fake.requestsFor('mistral')[0]?.aborted === true);
    });

    it('a consumer that stops early closes the connection', async () => {
      fake.enqueue('mistral', { words: 60, chunkDelayMs: 30 });
      for await (const part of model().stream(REQUEST)) {
        if (part.type === 'text-delta') break;
      }
      await until(() => fake.requestsFor('mistral')[0]?.aborted === true);
    });
  });
});
