// Drives the real @anthropic-ai/sdk, through createModel, against the fake Anthropic server
// (test/fake-providers/anthropic.mjs), which speaks the recorded wire format and replays errors.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countTokens, replyText, startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server.mjs';
import {
  KEYLESS_API_KEY,
  BadRequestError,
  ProviderAuthError,
  ProviderUnavailableError,
  RateLimitError,
  collectStream,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
} from '../spec.js';
import { createModel } from './index.js';
import { waitUntil } from '../../../test/helpers/wait-until.js';

const API_KEY = 'sk-ant-api03-FAKE-test-key-0123456789abcdefghijklmnop';
const MODEL_ID = 'claude-haiku-4-5';
const DEFAULT_REPLY = replyText('anthropic', MODEL_ID, {});
const SYSTEM_PROMPT = 'You are terse.';
const request: ModelRequest = {
  messages: [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: 'Say hello.' },
  ],
};

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['anthropic'] });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function model(overrides: Partial<ProviderSettings> = {}) {
  return createModel({ provider: 'anthropic', modelId: MODEL_ID, apiKey: API_KEY, baseURL: fake.baseURLs.anthropic, ...overrides });
}

async function partsOf(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const textOf = (parts: StreamPart[]) => parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
const reasoningOf = (parts: StreamPart[]) => parts.map((part) => (part.type === 'reasoning-delta' ? part.text : '')).join('');

/** The stream's one error part: it is the last part, and no finish came. */
function onlyError(parts: StreamPart[]) {
  const errors = parts.filter((part) => part.type === 'error');
  expect(errors).toHaveLength(1);
  expect(parts.at(-1)?.type).toBe('error');
  expect(parts.some((part) => part.type === 'finish')).toBe(false);
  return (errors[0] as Extract<StreamPart, { type: 'error' }>).error;
}

function lastRequest() {
  const requests = fake.requestsFor('anthropic');
  expect(requests.length).toBeGreaterThan(0);
  return requests.at(-1)!;
}

/** A port nobody listens on (fetch refuses well-known "bad ports" such as 9 before connecting). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const waitFor = (condition: () => boolean) => waitUntil(condition, 'the fake Anthropic API to see it');

describe('AnthropicModel against the fake Anthropic API', () => {
  it('streams the reply, and generate() returns the same text', async () => {
    const parts = await partsOf(model().stream(request));
    expect(textOf(parts)).toBe(DEFAULT_REPLY);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      responseModel: MODEL_ID,
      requestId: expect.stringMatching(/^req_fake_\d+$/),
    });
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/v1/messages', stream: true, completed: true, aborted: false });

    const generated = await model().generate(request);
    expect(generated).toMatchObject({ text: DEFAULT_REPLY, reasoning: '', finishReason: 'stop', responseModel: MODEL_ID, warnings: [] });
    expect(generated.requestId).toMatch(/^req_fake_\d+$/);
    expect(lastRequest()).toMatchObject({ stream: false, completed: true });
  });

  it('sends the system prompt as `system`, max_tokens 4096 by default, the key, and no SDK retries', async () => {
    await partsOf(model({ headers: { 'x-llmo-test': 'yes' } }).stream(request));
    const sent = lastRequest();
    expect(sent.body).toEqual({
      model: MODEL_ID,
      max_tokens: 4096,
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', content: 'Say hello.' }],
      stream: true,
    });
    // This SDK sends the key as a bearer token, and pins its API version.
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['anthropic-version']).toBe('2026-10-21');
    expect(sent.headers['x-llmo-test']).toBe('yes');
    expect(sent.headers['x-stainless-retry-count']).toBe('0');
  });

  it('reports the usage the server reported, cached prompt tokens included', async () => {
    const usage = { inputTokens: 1200, outputTokens: 42, cachedInputTokens: 1000 };
    fake.enqueue('anthropic', { usage }, { usage });
    const parts = await partsOf(model().stream(request));
    const expected = { inputTokens: 1200, outputTokens: 42, cachedInputTokens: 1000, cacheWriteTokens: 0 };
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: expected });
    expect((await model().generate(request)).usage).toEqual(expected);
  });

  it("counts usage the fake's way when the scenario sets none", async () => {
    const result = await collectStream(model().stream(request));
    const promptText = `${SYSTEM_PROMPT}\nSay hello.`;
    expect(result.usage).toEqual({
      inputTokens: countTokens(promptText),
      outputTokens: countTokens(DEFAULT_REPLY),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it("maps max_tokens to 'length' and passes the request's maxTokens", async () => {
    fake.enqueue('anthropic', { words: 30, finishReason: 'length' }, { finishReason: 'length' });
    const parts = await partsOf(model().stream({ ...request, maxTokens: 20 }));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
    expect(lastRequest().body).toMatchObject({ max_tokens: 20 });
    expect((await model().generate(request)).finishReason).toBe('length');
  });

  it('stops at a stop sequence, which is sent as stop_sequences', async () => {
    fake.enqueue('anthropic', { text: 'one two STOP three' });
    const result = await collectStream(model().stream({ ...request, stop: ['STOP'] }));
    expect(result).toMatchObject({ text: 'one two ', finishReason: 'stop' });
    expect(lastRequest().body).toMatchObject({ stop_sequences: ['STOP'] });
  });

  it('streams thinking as reasoning deltas before the text, and generate() returns it too', async () => {
    const reasoning = 'The user wants a greeting. A short one will do.';
    fake.enqueue('anthropic', { reasoning }, { reasoning });
    const parts = await partsOf(model().stream({ ...request, providerOptions: { anthropic: { thinking: { type: 'adaptive' } } } }));
    expect(reasoningOf(parts)).toBe(reasoning);
    expect(textOf(parts)).toBe(DEFAULT_REPLY);
    const lastReasoning = parts.findLastIndex((part) => part.type === 'reasoning-delta');
    const firstText = parts.findIndex((part) => part.type === 'text-delta');
    expect(lastReasoning).toBeLessThan(firstText);
    expect(lastRequest().body).toMatchObject({ thinking: { type: 'adaptive' } });

    const generated = await model().generate(request);
    expect(generated).toMatchObject({ reasoning, text: DEFAULT_REPLY });
  });

  it('turns a temperature into a warning part, not a request field', async () => {
    const parts = await partsOf(model().stream({ ...request, temperature: 0.3 }));
    const warning = { type: 'unsupported', provider: 'anthropic', feature: 'temperature', details: expect.any(String) };
    expect(parts[0]).toEqual({ type: 'warning', warning });
    expect(lastRequest().body).not.toHaveProperty('temperature');
    expect((await model().generate({ ...request, temperature: 0.3 })).warnings).toEqual([warning]);
  });
});

describe('AnthropicModel failures', () => {
  it('401 → one ProviderAuthError part with the message and request id, and no key anywhere', async () => {
    fake.enqueue('anthropic', { error: { status: 401 } });
    const error = onlyError(await partsOf(model().stream(request)));
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toContain('invalid x-api-key');
    expect(error.requestId).toBe('req_011CeCGmBjaWkq37Sf5iU7so');
    expect(error.message).toContain(error.requestId);
    expect(error.status).toBe(401);
    // Not even part of the key, in anything a user or a log might print.
    const printed = [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
    expect(printed).not.toContain(API_KEY);
    expect(printed).not.toContain('FAKE-test-key');
    expect(lastRequest().stream).toBe(true);
  });

  it('401 from generate() throws the same error', async () => {
    fake.enqueue('anthropic', { error: { status: 401 } });
    await expect(model().generate(request)).rejects.toBeInstanceOf(ProviderAuthError);
  });

  it('429 with retry-after → RateLimitError with retryAfterMs, after exactly one request', async () => {
    fake.enqueue('anthropic', { error: { status: 429, retryAfterSeconds: 7 } });
    const error = onlyError(await partsOf(model().stream(request)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(error.message).toContain('rate limit');
    expect(fake.requestsFor('anthropic')).toHaveLength(1);

    fake.enqueue('anthropic', { error: { status: 429, retryAfterMs: 250 } });
    await expect(model().generate(request)).rejects.toMatchObject({ retryAfterMs: 250 });
  });

  it('429 without retry-after → RateLimitError without a wait (the recorded 65 s is never sent)', async () => {
    fake.enqueue('anthropic', { error: { status: 429 } });
    const error = onlyError(await partsOf(model().stream(request)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it('529 overloaded → ProviderUnavailableError, one request (the SDK does not retry)', async () => {
    fake.enqueue('anthropic', { error: { status: 529 } });
    const error = onlyError(await partsOf(model().stream(request)));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toContain('Overloaded');
    expect(error.status).toBe(529);
    expect(fake.requestsFor('anthropic')).toHaveLength(1);
  });

  it.each([
    [400, BadRequestError, 'prompt is too long'],
    [404, BadRequestError, 'request rejected: model: invalid-model-that-does-not-exist-12345 (HTTP 404'],
    [500, ProviderUnavailableError, 'Internal server error'],
    [503, ProviderUnavailableError, 'upstream connect error'],
  ])('%i → %o', async (status, expected, text) => {
    fake.enqueue('anthropic', { error: { status } });
    const error = onlyError(await partsOf(model().stream(request)));
    expect(error).toBeInstanceOf(expected);
    expect(error.message).toContain(text);
  });

  it('an overloaded error event mid-stream → the text so far, then ProviderUnavailableError', async () => {
    fake.enqueue('anthropic', { words: 30, midstreamError: true });
    const parts = await partsOf(model().stream(request));
    expect(textOf(parts)).toBe('the quick brown');
    const error = onlyError(parts);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toContain('Overloaded');
    expect(error.requestId).toMatch(/^req_fake_\d+$/);
  });

  it('a connection cut after 2 chunks → text deltas, then an error saying the response was cut off', async () => {
    // server.mjs destroys the socket right after writing the second chunk, which can discard that
    // chunk before the client reads it, so one or two arrive; the delay lets the first one land.
    fake.enqueue('anthropic', { words: 30, cutAfterChunks: 2, chunkDelayMs: 20 });
    const parts = await partsOf(model().stream(request));
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.length).toBeLessThanOrEqual(2);
    expect(deltas[0]).toEqual({ type: 'text-delta', text: 'the quick brown' });
    const full = replyText('anthropic', MODEL_ID, { words: 30 });
    expect(full.startsWith(textOf(parts))).toBe(true);
    const error = onlyError(parts);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/^anthropic: the response was cut off mid-stream/);
    expect(error.retryable).toBe(true);
  });

  it('an abort through the signal rethrows the AbortError, and the server sees the request dropped', async () => {
    fake.enqueue('anthropic', { words: 200, chunkDelayMs: 20 });
    const controller = new AbortController();
    const seen: StreamPart[] = [];
    const consume = async () => {
      for await (const part of model().stream(request, { signal: controller.signal })) {
        seen.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.some((part) => part.type === 'error' || part.type === 'finish')).toBe(false);
    await waitFor(() => lastRequest().aborted);
    expect(lastRequest().completed).toBe(false);
  });

  it('an abort before the response rethrows the AbortError from generate() and stream()', async () => {
    fake.enqueue('anthropic', { firstChunkDelayMs: 20_000 }, { firstChunkDelayMs: 20_000 });
    // Each is cancelled once the fake has its request, while it holds the answer back.
    const controller = new AbortController();
    const generating = model().generate(request, { signal: controller.signal });
    await waitFor(() => fake.requestsFor('anthropic').length === 1);
    controller.abort();
    await expect(generating).rejects.toMatchObject({ name: 'AbortError' });

    const again = new AbortController();
    const streaming = partsOf(model().stream(request, { signal: again.signal }));
    await waitFor(() => fake.requestsFor('anthropic').length === 2);
    again.abort();
    await expect(streaming).rejects.toMatchObject({ name: 'AbortError' });
    await waitFor(() => fake.requestsFor('anthropic').every((sent) => sent.aborted));
  });

  it('nothing listening → ProviderUnavailableError saying it could not reach the API', async () => {
    const parts = await partsOf(model({ baseURL: `http://127.0.0.1:${await closedPort()}` }).stream(request));
    const error = onlyError(parts);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/^anthropic: could not connect: fetch failed: .*ECONNREFUSED/);
  });

  it('no key (a keyless endpoint) → the keyless placeholder, never a key the SDK found for itself', async () => {
    const parts = await partsOf(model({ apiKey: undefined }).stream(request));
    expect(parts.at(-1)?.type).toBe('finish');
    const sent = Object.values(fake.requestsFor('anthropic').at(-1)?.headers ?? {}).map(String);
    expect(sent.some((value) => value.includes(KEYLESS_API_KEY))).toBe(true);
  });
});
