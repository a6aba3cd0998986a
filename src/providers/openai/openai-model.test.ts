// Drives the real openai SDK, through createModel, against the fake providers, which speak the
// recorded wire protocol of OpenAI, DeepSeek and a generic OpenAI-compatible server.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  KEYLESS_API_KEY,
  BadRequestError,
  ProviderAuthError,
  ProviderUnavailableError,
  RateLimitError,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
} from '../spec.js';
import { createModel } from './index.js';
import {
  API_KEY,
  collect,
  countTokens,
  type FakeProviders,
  fakeModel,
  lastRequestOf,
  MODELS,
  type Provider,
  PROVIDERS,
  startFakeProviders,
  shippedCapabilities,
} from './openai-fake.test-support.js';

let fake: FakeProviders;

beforeAll(async () => {
  fake = await startFakeProviders({ providers: PROVIDERS });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  fake.reset();
  vi.unstubAllEnvs();
});

function modelFor(provider: Provider, settings: Partial<ProviderSettings> = {}) {
  return fakeModel(fake, provider, settings);
}

const PROMPT = 'Count from 1 to 3';
const request: ModelRequest = { messages: [{ role: 'user', content: PROMPT }] };

function textOf(parts: StreamPart[], type: 'text-delta' | 'reasoning-delta' = 'text-delta'): string {
  return parts.map((part) => (part.type === type ? part.text : '')).join('');
}

function lastPart(parts: StreamPart[]): StreamPart | undefined {
  return parts.at(-1);
}

function errorOf(parts: StreamPart[]) {
  const part = lastPart(parts);
  if (part?.type !== 'error') throw new Error(`expected the stream to end with an error part, got ${JSON.stringify(part)}`);
  return part.error;
}

function lastRequest(provider: Provider) {
  return lastRequestOf(fake, provider);
}

/** What the fake's usageFor() reports, in spec form, for a usage override without reasoning. */
const USAGE_OVERRIDE = { inputTokens: 21, outputTokens: 8, cachedInputTokens: 3 };
const EXPECTED_USAGE: Record<Provider, object> = {
  openai: { ...USAGE_OVERRIDE, reasoningTokens: 0 },
  // DeepSeek sends completion_tokens_details only in thinking mode.
  deepseek: USAGE_OVERRIDE,
  compat: { ...USAGE_OVERRIDE, reasoningTokens: 0 },
};

describe.each(PROVIDERS)('%s through the real SDK', (provider) => {
  const model = MODELS[provider];
  const fakeReply = `Hello from fake ${provider} (${model}).`;

  it('streams the reply, then one finish part with usage, model and request id', async () => {
    fake.enqueue(provider, { usage: USAGE_OVERRIDE });
    const parts = await collect(modelFor(provider).stream(request));

    expect(textOf(parts)).toBe(fakeReply);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    const finish = lastPart(parts);
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop', usage: EXPECTED_USAGE[provider], responseModel: model });
    expect(finish?.type === 'finish' && finish.requestId).toMatch(provider === 'deepseek' ? /^[0-9a-f]{32}$/ : /^req_fake_\d+$/);

    const sent = lastRequest(provider);
    expect(sent.stream).toBe(true);
    expect(sent.body).toMatchObject({ model, stream: true, stream_options: { include_usage: true }, messages: request.messages });
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['x-stainless-retry-count']).toBe('0');
  });

  it('reports the usage the fake computed when nothing overrides it', async () => {
    const parts = await collect(modelFor(provider).stream(request));
    const finish = lastPart(parts);
    expect(finish?.type === 'finish' && finish.usage).toMatchObject({
      inputTokens: countTokens(PROMPT),
      outputTokens: countTokens(fakeReply),
      cachedInputTokens: 0,
    });
  });

  it('generate() returns the same text as the stream, from the non-streaming endpoint', async () => {
    const streamed = textOf(await collect(modelFor(provider).stream(request)));
    fake.enqueue(provider, { usage: USAGE_OVERRIDE });
    const result = await modelFor(provider).generate(request);

    expect(result.text).toBe(streamed);
    expect(result).toMatchObject({
      text: fakeReply,
      reasoning: '',
      finishReason: 'stop',
      usage: EXPECTED_USAGE[provider],
      responseModel: model,
      warnings: [],
    });
    expect(result.requestId).toBeTruthy();
    const sent = lastRequest(provider);
    expect(sent.stream).toBe(false);
    expect(sent.body).not.toHaveProperty('stream_options');
  });

  it('sends max tokens, temperature and stop under the names the server knows', async () => {
    await collect(modelFor(provider).stream({ ...request, maxTokens: 64, temperature: 0.3, stop: ['END'] }));
    const maxTokensField = provider === 'openai' ? 'max_completion_tokens' : 'max_tokens';
    expect(lastRequest(provider).body).toMatchObject({ [maxTokensField]: 64, temperature: 0.3, stop: ['END'] });
    expect(lastRequest(provider).body).not.toHaveProperty(provider === 'openai' ? 'max_tokens' : 'max_completion_tokens');
  });

  it("maps finish_reason 'length'", async () => {
    fake.enqueue(provider, { finishReason: 'length' }, { finishReason: 'length' });
    expect(lastPart(await collect(modelFor(provider).stream(request)))).toMatchObject({ type: 'finish', finishReason: 'length' });
    expect((await modelFor(provider).generate(request)).finishReason).toBe('length');
  });

  it('401 → ProviderAuthError with the vendor message and request id, and no trace of the key', async () => {
    fake.enqueue(provider, { error: { status: 401 } }, { error: { status: 401 } });
    const streamed = errorOf(await collect(modelFor(provider).stream(request)));
    const thrown = await modelFor(provider)
      .generate(request)
      .catch((error: unknown) => error);

    for (const error of [streamed, thrown]) {
      expect(error).toBeInstanceOf(ProviderAuthError);
      const authError = error as ProviderAuthError;
      expect(authError.status).toBe(401);
      expect(authError.requestId).toBeTruthy();
      expect(authError.message).toContain(`request id ${authError.requestId}`);
      expect(authError.message).toContain(
        provider === 'deepseek' ? 'Authentication Fails, Your api key: ****-key is invalid' : 'Incorrect API key provided',
      );
      for (const text of [authError.message, authError.stack ?? '', JSON.stringify(authError), String(authError.hint)]) {
        expect(text).not.toContain(API_KEY);
      }
    }
  });

  it('429 with retry-after → RateLimitError with retryAfterMs', async () => {
    fake.enqueue(provider, { error: { status: 429, retryAfterSeconds: 2 } }, { error: { status: 429, retryAfterMs: 150 } });
    const fromSeconds = errorOf(await collect(modelFor(provider).stream(request)));
    expect(fromSeconds).toBeInstanceOf(RateLimitError);
    expect((fromSeconds as RateLimitError).retryAfterMs).toBe(2000);
    expect(fromSeconds.retryable).toBe(true);

    const fromMilliseconds = await modelFor(provider)
      .generate(request)
      .catch((error: unknown) => error);
    expect(fromMilliseconds).toBeInstanceOf(RateLimitError);
    expect((fromMilliseconds as RateLimitError).retryAfterMs).toBe(150);
  });

  it('500 → ProviderUnavailableError', async () => {
    fake.enqueue(provider, { error: { status: 500 } }, { error: { status: 503 } });
    expect(errorOf(await collect(modelFor(provider).stream(request)))).toBeInstanceOf(ProviderUnavailableError);
    await expect(modelFor(provider).generate(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('404 → BadRequestError naming the model asked for', async () => {
    fake.enqueue(provider, { error: { status: 404 } });
    const error = errorOf(await collect(modelFor(provider).stream(request)));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain(`The model \`${model}\` does not exist`);
  });

  it('an error frame inside a 200 stream → text so far, then an error part', async () => {
    fake.enqueue(provider, { midstreamError: true });
    const parts = await collect(modelFor(provider).stream(request));
    expect(parts[0]).toMatchObject({ type: 'text-delta' });
    const error = errorOf(parts);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/failed mid-stream: The server had an error while processing your request/);
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('a connection cut mid-stream → the text that arrived, then an error saying it was cut off', async () => {
    // writeStream destroys the socket in the same tick as its last write, which discards that
    // frame; the delay lets the earlier frames leave first.
    fake.enqueue(provider, { words: 30, cutAfterChunks: 2, chunkDelayMs: 5 });
    const parts = await collect(modelFor(provider).stream(request));
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.length).toBeLessThanOrEqual(2);
    const error = errorOf(parts);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/the response was cut off mid-stream/);
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('an abort by the caller rethrows an AbortError and closes the connection', async () => {
    fake.enqueue(provider, { words: 300, chunkDelayMs: 20 });
    const controller = new AbortController();
    const seen: StreamPart[] = [];
    const reading = (async () => {
      for await (const part of modelFor(provider).stream(request, { signal: controller.signal })) {
        seen.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.filter((part) => part.type === 'error')).toEqual([]);
    await vi.waitFor(() => expect(lastRequest(provider).aborted).toBe(true));
  });

  it('an abort of generate() rejects with an AbortError', async () => {
    fake.enqueue(provider, { firstChunkDelayMs: 2_000 });
    const controller = new AbortController();
    const outcome = modelFor(provider)
      .generate(request, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.waitFor(() => expect(fake.requestsFor(provider)).toHaveLength(1));
    controller.abort();
    expect(await outcome).toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(lastRequest(provider).aborted).toBe(true));
  });
});

describe('DeepSeek specifics', () => {
  const reasoning = 'The user wants a count. One, two, three.';

  it('streams reasoning_content as reasoning-delta parts, before the text', async () => {
    fake.enqueue('deepseek', { reasoning });
    const parts = await collect(modelFor('deepseek').stream(request));
    expect(textOf(parts, 'reasoning-delta')).toBe(reasoning);
    expect(textOf(parts)).toBe('Hello from fake deepseek (deepseek-chat).');
    const lastReasoning = parts.findLastIndex((part) => part.type === 'reasoning-delta');
    expect(lastReasoning).toBeLessThan(parts.findIndex((part) => part.type === 'text-delta'));
    const finish = lastPart(parts);
    expect(finish?.type === 'finish' && finish.usage?.reasoningTokens).toBe(countTokens(reasoning));
  });

  it('returns reasoning_content from generate()', async () => {
    fake.enqueue('deepseek', { reasoning });
    const result = await modelFor('deepseek').generate(request);
    expect(result.reasoning).toBe(reasoning);
    expect(result.usage?.reasoningTokens).toBe(countTokens(reasoning));
  });

  it('passes providerOptions.deepseek through to the request body', async () => {
    await collect(modelFor('deepseek').stream({ ...request, providerOptions: { deepseek: { thinking: { type: 'enabled' } } } }));
    expect(lastRequest('deepseek').body).toMatchObject({ thinking: { type: 'enabled' } });
  });

  it("context too long (400, sent as application/octet-stream) → BadRequestError with DeepSeek's message", async () => {
    fake.enqueue('deepseek', { error: { status: 400 } });
    const error = await modelFor('deepseek')
      .generate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("This model's maximum context length is 1048565 tokens");
  });

  it('a 422 plain-text body → BadRequestError carrying the text', async () => {
    fake.enqueue('deepseek', { error: { status: 422 } });
    const error = errorOf(await collect(modelFor('deepseek').stream(request)));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('Failed to deserialize the JSON body into the target type');
  });

  it('does not pick up OpenAI settings from the environment', async () => {
    vi.stubEnv('OPENAI_ORG_ID', 'org-should-not-travel');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj_should_not_travel');
    vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
    await collect(modelFor('deepseek').stream(request));
    const headers = lastRequest('deepseek').headers;
    expect(headers['openai-organization']).toBeUndefined();
    expect(headers['openai-project']).toBeUndefined();
  });
});

describe('OpenAI-compatible servers', () => {
  it('work without a key (Ollama, LM Studio) and carry the configured headers', async () => {
    const parts = await collect(modelFor('compat', { apiKey: undefined, headers: { 'x-llmo-test': 'yes' } }).stream(request));
    expect(lastPart(parts)).toMatchObject({ type: 'finish' });
    expect(lastRequest('compat').headers.authorization).toBe(`Bearer ${KEYLESS_API_KEY}`);
    expect(lastRequest('compat').headers['x-llmo-test']).toBe('yes');
  });

  it('a server that cannot be reached → ProviderUnavailableError naming where', async () => {
    const unreachable = modelFor('compat', { baseURL: 'http://127.0.0.1:9/v1' });
    const error = errorOf(await collect(unreachable.stream(request)));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/^compat: could not connect to 127\.0\.0\.1:9: /);
    await expect(unreachable.generate(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('the same model under another name', () => {
  it('a provider called `work` with api openai sends exactly what `openai` sends', async () => {
    const capabilities = new Set(['max_completion_tokens', 'no_temperature', 'json_schema', 'tools']);
    const asked: ModelRequest = { ...request, maxTokens: 50, temperature: 0.4, responseFormat: { type: 'json' } };
    const sent = [];
    for (const provider of ['openai', 'work']) {
      const parts = await collect(
        createModel({ provider, modelId: 'gpt-5-mini', apiKey: API_KEY, baseURL: fake.baseURLs.openai, capabilities }).stream(asked),
      );
      expect(parts[0]).toMatchObject({ type: 'warning', warning: { provider, feature: 'temperature' } });
      const { body, headers } = lastRequest('openai');
      sent.push({ body, organization: headers['openai-organization'], project: headers['openai-project'] });
    }
    expect(sent[1]).toEqual(sent[0]);
  });
});

describe('OpenAI specifics', () => {
  it('turns an unsupported temperature into a warning part, not an exception', async () => {
    const parts = await collect(
      createModel({
        provider: 'openai',
        modelId: 'gpt-5-mini',
        apiKey: API_KEY,
        baseURL: fake.baseURLs.openai,
        capabilities: shippedCapabilities('openai', 'gpt-5-mini'),
      }).stream({
        ...request,
        temperature: 0.2,
      }),
    );
    expect(parts[0]).toEqual({
      type: 'warning',
      warning: {
        type: 'unsupported',
        provider: 'openai',
        feature: 'temperature',
        details: 'gpt-5-mini takes only the default temperature; it was not sent',
      },
    });
    expect(lastPart(parts)).toMatchObject({ type: 'finish' });
    expect(lastRequest('openai').body).not.toHaveProperty('temperature');
  });

  it('an abort with a custom reason still surfaces as an AbortError, the reason as its cause', async () => {
    fake.enqueue('openai', { firstChunkDelayMs: 2_000 });
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const outcome = modelFor('openai')
      .generate(request, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.waitFor(() => expect(fake.requestsFor('openai')).toHaveLength(1));
    controller.abort(reason);
    expect(await outcome).toMatchObject({ name: 'AbortError', cause: reason });
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(modelFor('openai').stream(request, { signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fake.requestsFor('openai')).toHaveLength(0);
  });
});
