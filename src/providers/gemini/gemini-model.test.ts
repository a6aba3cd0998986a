// Drives the real @google/genai SDK, through createModel, against the fake Gemini server
// (test/fake-providers/gemini.mjs), which replays the recorded wire format and errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server.mjs';
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
  type ToolCall,
  type ToolDefinition,
} from '../spec.js';
import { createModel } from './index.js';

const API_KEY = 'AIzaSyFAKE-gemini-test-key-0123456789ab';
const MODEL_ID = 'gemini-2.5-flash';
const DEFAULT_REPLY = replyText('gemini', MODEL_ID, {});
const request: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say hello.' },
  ],
};

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['gemini'] });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function model(overrides: Partial<ProviderSettings> = {}) {
  return createModel({ provider: 'gemini', modelId: MODEL_ID, apiKey: API_KEY, baseURL: fake.baseURLs.gemini, ...overrides });
}

async function partsOf(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const textOf = (parts: StreamPart[]) => parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
const reasoningOf = (parts: StreamPart[]) => parts.map((part) => (part.type === 'reasoning-delta' ? part.text : '')).join('');

function onlyError(parts: StreamPart[]) {
  const errors = parts.filter((part) => part.type === 'error');
  expect(errors).toHaveLength(1);
  expect(parts.at(-1)?.type).toBe('error');
  expect(parts.some((part) => part.type === 'finish')).toBe(false);
  return (errors[0] as Extract<StreamPart, { type: 'error' }>).error;
}

function lastRequest() {
  const requests = fake.requestsFor('gemini');
  expect(requests.length).toBeGreaterThan(0);
  return requests.at(-1)!;
}

describe('GeminiModel against the fake Gemini API', () => {
  it('streams the reply, and generate() returns the same text', async () => {
    const parts = await partsOf(model().stream(request));
    expect(textOf(parts)).toBe(DEFAULT_REPLY);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    const finishes = parts.filter((part) => part.type === 'finish');
    expect(finishes).toHaveLength(1);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', responseModel: MODEL_ID });
    expect(parts.at(-1)).toHaveProperty('requestId', expect.stringMatching(/^[\w-]{23}$/));
    expect(lastRequest()).toMatchObject({ stream: true, completed: true, aborted: false });
    expect(lastRequest().path).toBe(`/v1beta/models/${MODEL_ID}:streamGenerateContent?alt=sse`);

    const generated = await model().generate(request);
    expect(generated).toMatchObject({ text: DEFAULT_REPLY, reasoning: '', finishReason: 'stop', responseModel: MODEL_ID, warnings: [] });
    expect(lastRequest()).toMatchObject({ stream: false, path: `/v1beta/models/${MODEL_ID}:generateContent` });
  });

  it('reports the usage the server sent, thinking tokens counted as output', async () => {
    // 30 output tokens of which 12 are thinking: on the wire candidatesTokenCount 18 + thoughtsTokenCount 12.
    const scenario = { reasoning: 'The user wants a greeting.', usage: { inputTokens: 120, outputTokens: 30, reasoningTokens: 12 } };
    fake.enqueue('gemini', scenario, scenario);
    const parts = await partsOf(model().stream(request));
    const expected = { inputTokens: 120, outputTokens: 30, reasoningTokens: 12 };
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: expected });
    expect((await model().generate(request)).usage).toEqual(expected);
  });

  it('reports the default usage of the fake (no thinking, nothing cached)', async () => {
    const parts = await partsOf(model().stream({ messages: [{ role: 'user', content: 'Say hello.' }] }));
    // usageFor: about four characters a token, prompt "Say hello." and the default reply.
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 3, outputTokens: Math.ceil(DEFAULT_REPLY.length / 4) } });
  });

  it('sends the system prompt as systemInstruction, the settings as generationConfig, and the key in x-goog-api-key', async () => {
    await partsOf(model().stream({ ...request, maxTokens: 64, temperature: 0.2, stop: ['END'] }));
    const sent = lastRequest();
    expect(sent.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }],
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      generationConfig: { maxOutputTokens: 64, temperature: 0.2, stopSequences: ['END'] },
    });
    expect(sent.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent.path).not.toContain(API_KEY);
    expect(String(sent.headers['x-goog-api-client'])).toMatch(/^google-genai-sdk\//);
  });

  it('sends the configured extra headers', async () => {
    await partsOf(model({ headers: { 'x-team': 'llmo' } }).stream(request));
    expect(lastRequest().headers['x-team']).toBe('llmo');
  });

  it('maps MAX_TOKENS to finish reason "length"', async () => {
    fake.enqueue('gemini', { finishReason: 'length' }, { finishReason: 'length' });
    const parts = await partsOf(model().stream(request));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
    expect((await model().generate(request)).finishReason).toBe('length');
  });

  it('streams thought parts as reasoning deltas before the text', async () => {
    const reasoning = 'The user wants a greeting, so I will greet them briefly.';
    fake.enqueue('gemini', { reasoning }, { reasoning });
    const parts = await partsOf(model().stream(request));
    expect(reasoningOf(parts)).toBe(reasoning);
    expect(textOf(parts)).toBe(DEFAULT_REPLY);
    const lastReasoning = parts.findLastIndex((part) => part.type === 'reasoning-delta');
    const firstText = parts.findIndex((part) => part.type === 'text-delta');
    expect(lastReasoning).toBeLessThan(firstText);
    expect(await model().generate(request)).toMatchObject({ reasoning, text: DEFAULT_REPLY });
  });

  it('passes settings Gemini cannot honour as warnings, then answers', async () => {
    const tooMany = { ...request, stop: ['a', 'b', 'c', 'd', 'e', 'f'] };
    const warning = {
      type: 'unsupported',
      provider: 'work',
      feature: 'stop sequences',
      details: 'Gemini accepts at most 5; only the first 5 were sent',
    };
    const parts = await partsOf(model({ provider: 'work' }).stream(tooMany));
    expect(parts[0]).toEqual({ type: 'warning', warning });
    expect(parts.at(-1)?.type).toBe('finish');
    expect(lastRequest().body.generationConfig.stopSequences).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await model({ provider: 'work' }).generate(tooMany)).warnings).toEqual([warning]);
  });

  describe('errors', () => {
    it("turns a rejected key into ProviderAuthError with Google's message, never the key", async () => {
      fake.enqueue('gemini', { error: { status: 401 } }, { error: { status: 400 } });
      const streamed = onlyError(await partsOf(model().stream(request)));
      const generated = await model()
        .generate(request)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      for (const error of [streamed, generated]) {
        expect(error).toBeInstanceOf(ProviderAuthError);
        const authError = error as ProviderAuthError;
        expect(authError.message).toBe('gemini: API key rejected: API key not valid. Please pass a valid API key. (HTTP 400)');
        expect(authError.status).toBe(400);
        expect(authError.exitCode).toBe(4);
        expect(authError.message).not.toContain(API_KEY);
        expect(String(authError.stack)).not.toContain(API_KEY);
        expect(JSON.stringify(authError)).not.toContain(API_KEY);
      }
    });

    it('turns a 429 into RateLimitError with retryAfterMs from RetryInfo, without the SDK retrying', async () => {
      fake.enqueue('gemini', { error: { status: 429, retryAfterSeconds: 2 } }, { error: { status: 429 } });
      const error = onlyError(await partsOf(model().stream(request)));
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBe(2000);
      expect(error.message).toMatch(/^gemini: rate limit reached: You exceeded your current quota.* \(HTTP 429\)$/);
      expect(fake.requestsFor('gemini')).toHaveLength(1);

      const unspecified = await model()
        .generate(request)
        .then(
          () => undefined,
          (rejection: unknown) => rejection,
        );
      expect(unspecified).toBeInstanceOf(RateLimitError);
      expect((unspecified as RateLimitError).retryAfterMs).toBe(0);
    });

    it('turns a 503 into ProviderUnavailableError, without the SDK retrying', async () => {
      fake.enqueue('gemini', { error: { status: 503 } });
      const error = onlyError(await partsOf(model().stream(request)));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toBe('gemini: server error: The model is overloaded. Please try again later. (HTTP 503)');
      expect(error.retryable).toBe(true);
      expect(fake.requestsFor('gemini')).toHaveLength(1);
    });

    it('turns an unknown model (404 on the stream endpoint, sent as text/event-stream) into BadRequestError', async () => {
      fake.enqueue('gemini', { error: { status: 404 } });
      const error = onlyError(await partsOf(model().stream(request)));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toMatch(/^gemini: request rejected: models\/.* is not found.* \(HTTP 404\)$/);
    });

    it('passes on the text before an error inside the stream, then the error', async () => {
      fake.enqueue('gemini', { midstreamError: true });
      const parts = await partsOf(model().stream(request));
      expect(parts[0]?.type).toBe('text-delta');
      const error = onlyError(parts);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/^gemini: failed mid-stream: An internal error has occurred.* \(HTTP 500\)$/);
    });

    it('reports a connection cut after two chunks as a cut-off stream, after their text', async () => {
      // The delay lets the chunks reach the client before the cut. server.mjs destroys the socket
      // right after writing the last chunk, which can discard that chunk, so one or two arrive.
      fake.enqueue('gemini', { words: 30, cutAfterChunks: 2, chunkDelayMs: 20 });
      const parts = await partsOf(model().stream(request));
      const deltas = parts.filter((part) => part.type === 'text-delta');
      expect(deltas.length).toBeGreaterThanOrEqual(1);
      expect(deltas.length).toBeLessThanOrEqual(2);
      expect(parts[0]?.type).toBe('text-delta');
      const full = replyText('gemini', MODEL_ID, { words: 30 });
      expect(full.startsWith(textOf(parts))).toBe(true);
      expect(textOf(parts).length).toBeLessThan(full.length);
      const error = onlyError(parts);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/^gemini: the response was cut off mid-stream/);
    });

    it('turns a refused connection into ProviderUnavailableError', async () => {
      const error = onlyError(await partsOf(model({ baseURL: 'http://127.0.0.1:9' }).stream(request)));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.message).toMatch(/^gemini: could not connect: fetch failed/);
    });

    it('without a key sends the keyless placeholder, never a key the SDK found for itself', async () => {
      const parts = await partsOf(model({ apiKey: undefined }).stream(request));
      expect(parts.at(-1)?.type).toBe('finish');
      expect(fake.requestsFor('gemini').at(-1)?.headers['x-goog-api-key']).toBe(KEYLESS_API_KEY);
    });
  });

  describe('abort', () => {
    it('rethrows the AbortError from the stream, and the server sees the connection go', async () => {
      fake.enqueue('gemini', { words: 60, chunkDelayMs: 30 });
      const controller = new AbortController();
      const seen: StreamPart[] = [];
      const consume = async () => {
        for await (const part of model().stream(request, { signal: controller.signal })) {
          seen.push(part);
          if (part.type === 'text-delta') controller.abort();
        }
      };
      await expect(consume()).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen.filter((part) => part.type === 'error')).toHaveLength(0);
      await expect.poll(() => lastRequest().aborted).toBe(true);
      expect(lastRequest().completed).toBe(false);
    });

    it('rejects generate() with the AbortError', async () => {
      fake.enqueue('gemini', { firstChunkDelayMs: 2000 });
      const controller = new AbortController();
      const pending = model().generate(request, { signal: controller.signal });
      await expect.poll(() => fake.requestsFor('gemini').length).toBe(1);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      await expect.poll(() => lastRequest().aborted).toBe(true);
    });
  });

  it('closes the connection when the consumer stops reading early', async () => {
    fake.enqueue('gemini', { words: 60, chunkDelayMs: 30 });
    for await (const part of model().stream(request)) {
      if (part.type === 'text-delta') break;
    }
    await expect.poll(() => lastRequest().aborted).toBe(true);
  });

  it('leaves no listener behind on a signal shared by many calls', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      for (let call = 0; call < 12; call += 1) await partsOf(model().stream(request, { signal: shared.signal }));
      await model().generate(request, { signal: shared.signal });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('works through collectStream, as the CLI uses it', async () => {
    const result = await collectStream(model().stream(request));
    expect(result.text).toBe(DEFAULT_REPLY);
  });

  describe('tools', () => {
    const tools: ToolDefinition[] = [
      {
        name: 'get_weather',
        description: 'The weather in a city',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      {
        name: 'get_time',
        description: 'The time in a zone',
        inputSchema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
      },
    ];
    const calls = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
    ];
    const question: ModelRequest = { messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools };
    const answer = 'Sunny, and it is noon in Paris.';

    function followUp(toolCalls: ToolCall[]): ModelRequest {
      return {
        ...question,
        messages: [
          ...question.messages,
          { role: 'assistant', content: '', toolCalls },
          {
            role: 'tool',
            results: [
              { toolCallId: toolCalls[0]!.id, name: 'get_weather', content: 'sunny, 21 °C' },
              { toolCallId: toolCalls[1]!.id, name: 'get_time', content: '12:00' },
            ],
          },
        ],
      };
    }

    it('streams two parallel calls, each as start, arguments and the call, then finishes with "tool-calls"; the follow-up gets the text', async () => {
      fake.enqueue('gemini', { toolCalls: calls }, { text: answer });
      const parts = await partsOf(model().stream(question));
      expect(parts.map((part) => part.type)).toEqual([
        'tool-call-start',
        'tool-call-delta',
        'tool-call',
        'tool-call-start',
        'tool-call-delta',
        'tool-call',
        'finish',
      ]);
      const toolCalls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []));
      expect(toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(calls);
      const [weather, time] = toolCalls;
      expect(weather!.id).not.toBe(time!.id);
      expect(parts[0]).toEqual({ type: 'tool-call-start', id: weather!.id, name: 'get_weather' });
      expect(parts[1]).toEqual({ type: 'tool-call-delta', id: weather!.id, argumentsDelta: '{"city":"Paris"}' });
      expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
      // As recorded, the model signs the step on its first call only.
      expect(weather!.providerMetadata).toEqual({ thoughtSignature: expect.any(String) });
      expect(time!.providerMetadata).toBeUndefined();
      expect(lastRequest().body.tools).toEqual([
        {
          functionDeclarations: tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            parametersJsonSchema: tool.inputSchema,
          })),
        },
      ]);
      expect(lastRequest().body).not.toHaveProperty('toolConfig');

      const parts2 = await partsOf(model().stream(followUp(toolCalls)));
      expect(parts2.map((part) => part.type)).toEqual(expect.arrayContaining(['text-delta', 'finish']));
      expect(await collectStream(replayParts(parts2))).toMatchObject({ text: answer, finishReason: 'stop', toolCalls: [] });
      expect(lastRequest().body.contents.slice(1)).toEqual([
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: weather!.providerMetadata!.thoughtSignature,
            },
            { functionCall: { name: 'get_time', args: { zone: 'Europe/Paris' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: 'sunny, 21 °C' } } },
            { functionResponse: { name: 'get_time', response: { output: '12:00' } } },
          ],
        },
      ]);
    });

    it('generate() agrees with the stream: the same calls, finish "tool-calls", then the text', async () => {
      fake.enqueue('gemini', { toolCalls: calls }, { text: answer });
      const result = await model().generate(question);
      expect(result).toMatchObject({ text: '', finishReason: 'tool-calls' });
      expect(result.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(calls);
      expect(result.toolCalls[0]!.providerMetadata).toEqual({ thoughtSignature: expect.any(String) });
      expect(await model().generate(followUp(result.toolCalls))).toMatchObject({ text: answer, finishReason: 'stop', toolCalls: [] });
    });

    it('gives a call without arguments `{}`', async () => {
      fake.enqueue('gemini', { toolCalls: [{ name: 'get_time', arguments: {} }] });
      const parts = await partsOf(model().stream(question));
      expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({ toolCall: { name: 'get_time', arguments: {} } });
      expect(parts.find((part) => part.type === 'tool-call-delta')).toMatchObject({ argumentsDelta: '{}' });
    });

    it('encodes names Gemini refuses and decodes them in the reply', async () => {
      const dotted: ToolDefinition = { name: 'files.read file', inputSchema: { type: 'object', properties: {} } };
      fake.enqueue('gemini', { toolCalls: [{ name: 'files__read_file', arguments: { path: 'a' } }] });
      const result = await model().generate({ ...question, tools: [dotted], toolChoice: { type: 'tool', name: 'files.read file' } });
      expect(result.toolCalls).toMatchObject([{ name: 'files.read file', arguments: { path: 'a' } }]);
      expect(lastRequest().body.tools[0].functionDeclarations[0].name).toBe('files__read_file');
      expect(lastRequest().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['files__read_file'] } });
      await model().generate({
        ...question,
        tools: [dotted],
        messages: [
          ...question.messages,
          { role: 'assistant', content: 'Reading.', toolCalls: result.toolCalls },
          {
            role: 'tool',
            results: [{ toolCallId: result.toolCalls[0]!.id, name: 'files.read file', content: 'no such file', isError: true }],
          },
        ],
      });
      expect(lastRequest().body.contents.slice(1)).toEqual([
        {
          role: 'model',
          parts: [
            { text: 'Reading.' },
            { functionCall: { name: 'files__read_file', args: { path: 'a' } }, thoughtSignature: expect.any(String) },
          ],
        },
        // A failed call's words go under `error`, so the model knows the call failed.
        { role: 'user', parts: [{ functionResponse: { name: 'files__read_file', response: { error: 'no such file' } } }] },
      ]);
    });

    it('maps toolChoice none and required to modes NONE and ANY', async () => {
      await model().generate({ ...question, toolChoice: 'none' });
      expect(lastRequest().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
      await model().generate({ ...question, toolChoice: 'required' });
      expect(lastRequest().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    });
  });

  it('sends an image URL as fileData for Gemini to fetch', async () => {
    await model().generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', mediaType: 'image/png', source: { type: 'url', url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
    expect(lastRequest().body.contents).toEqual([
      { role: 'user', parts: [{ text: 'What is this?' }, { fileData: { fileUri: 'https://example.com/a.png', mimeType: 'image/png' } }] },
    ]);
  });

  it('answers a structured-output request with the scenario text', async () => {
    const json = '{"name":"John","age":30}';
    fake.enqueue('gemini', { text: json }, { text: json });
    const responseFormat = {
      type: 'json' as const,
      schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } },
    };
    expect((await model().generate({ ...request, responseFormat })).text).toBe(json);
    expect((await collectStream(model().stream({ ...request, responseFormat }))).text).toBe(json);
    expect(lastRequest().body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: responseFormat.schema,
    });
  });

  it('embeds with the fake: the scenario vectors, or deterministic ones of the asked size', async () => {
    const embedder = model({ modelId: 'gemini-embedding-001' });
    fake.enqueue('gemini', {
      embeddings: [
        [1, 0],
        [0, 1],
      ],
    });
    expect((await embedder.embed!(['a', 'b'])).embeddings).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const first = await embedder.embed!(['same', 'other'], { dimensions: 8 });
    const second = await embedder.embed!(['same'], { dimensions: 8 });
    expect(first.embeddings.map((vector) => vector.length)).toEqual([8, 8]);
    expect(second.embeddings[0]).toEqual(first.embeddings[0]);
    expect(first.embeddings[1]).not.toEqual(first.embeddings[0]);
  });
});

/** Parts already read, as a stream again (to look at them and collect them). */
async function* replayParts(parts: StreamPart[]): AsyncIterable<StreamPart> {
  yield* parts;
}
