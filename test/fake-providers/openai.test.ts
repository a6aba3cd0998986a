// The fake OpenAI, DeepSeek and compatible servers on the wire, checked against what the real
// recordings show (../shared/wire, copies of the replayed ones under ./recordings).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface FakeProviders {
  baseURLs: Record<string, string>;
  enqueue(provider: string, ...scenarios: object[]): void;
  requestsFor(provider: string): Array<{ stream: boolean; completed: boolean }>;
  close(): Promise<void>;
}
// A computed path keeps TypeScript from looking for declarations of the .mjs module.
const serverPath = fileURLToPath(new URL('./server.mjs', import.meta.url));
const { startFakeProviders } = (await import(serverPath)) as {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
};

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'deepseek', 'compat'] });
});
afterAll(async () => {
  await fake?.close();
});

const messages = [{ role: 'user', content: 'Count from 1 to 3' }];

async function post(provider: string, path: string, body: object, scenario?: object) {
  if (scenario) fake.enqueue(provider, scenario);
  const response = await fetch(`${fake.baseURLs[provider]}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fake' },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

type Chunk = Record<string, unknown> & { choices: Array<Record<string, unknown>> };

function framesOf(text: string): string[] {
  expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  return text.split('\n\n').filter(Boolean);
}

function chunksOf(text: string): Chunk[] {
  return framesOf(text)
    .filter((frame) => frame !== 'data: [DONE]')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      return JSON.parse(frame.slice('data: '.length)) as Chunk;
    });
}

function recording(path: string): string {
  return readFileSync(new URL(`./recordings/${path}`, import.meta.url), 'utf8');
}

describe('fake openai', () => {
  it('streams with include_usage as recorded: usage:null everywhere, then a choices:[] usage chunk', async () => {
    const { response, text } = await post(
      'openai',
      '/chat/completions',
      { model: 'gpt-5-mini', messages, stream: true, stream_options: { include_usage: true } },
      { usage: { inputTokens: 11, outputTokens: 139, reasoningTokens: 128 } },
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-request-id')).toMatch(/^req_fake_\d+$/);
    const chunks = chunksOf(text);
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null });
    for (const chunk of chunks) {
      expect(Object.keys(chunk).slice(0, 7)).toEqual(['id', 'object', 'created', 'model', 'service_tier', 'system_fingerprint', 'choices']);
      expect(chunk.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
      expect(chunk.model).toBe('gpt-5-mini');
      expect(typeof chunk.obfuscation).toBe('string');
    }
    const usageChunk = chunks.at(-1)!;
    const finishChunk = chunks.at(-2)!;
    expect(finishChunk.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual({
      prompt_tokens: 11,
      completion_tokens: 139,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(fake.requestsFor('openai').at(-1)).toMatchObject({ stream: true, completed: true });
  });

  it('streams without stream_options: no usage key at all', async () => {
    const { text } = await post('openai', '/chat/completions', { model: 'gpt-4o-mini', messages, stream: true });
    const chunks = chunksOf(text);
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ finish_reason: 'stop' });
  });

  it('answers a non-streamed request with pretty-printed JSON, refusal null and annotations []', async () => {
    const { response, text } = await post('openai', '/chat/completions', { model: 'gpt-5-mini', messages }, { text: '4242' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(text.startsWith('{\n  "id": "chatcmpl-')).toBe(true);
    const body = JSON.parse(text) as Chunk;
    expect(body.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: '4242', refusal: null, annotations: [] },
      finish_reason: 'stop',
    });
    expect(body.usage).toMatchObject({
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('replays the recorded 401 byte for byte, with a request id', async () => {
    const { response, text } = await post(
      'openai',
      '/chat/completions',
      { model: 'gpt-4o-mini', messages, stream: true },
      { error: { status: 401 } },
    );
    expect(response.status).toBe(401);
    expect(text).toBe(recording('openai/error_401_invalid_api_key.json'));
    expect(text).not.toContain('sk-fake');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toMatch(/^req_fake_\d+$/);
  });

  it('adds retry-after headers to a 429 only when asked', async () => {
    const plain = await post('openai', '/chat/completions', { model: 'm', messages }, { error: { status: 429 } });
    expect(plain.response.headers.get('retry-after')).toBeNull();
    expect(plain.text).toBe(recording('openai/error_429_rate_limit_exceeded_tokens.json'));
    const asked = await post(
      'openai',
      '/chat/completions',
      { model: 'm', messages },
      { error: { status: 429, retryAfterSeconds: 3, retryAfterMs: 2500 } },
    );
    expect(asked.response.headers.get('retry-after')).toBe('3');
    expect(asked.response.headers.get('retry-after-ms')).toBe('2500');
  });

  it('sends the recorded error frame inside a 200 stream, then a zero-usage chunk and [DONE]', async () => {
    const { response, text } = await post(
      'openai',
      '/chat/completions',
      { model: 'm', messages, stream: true, stream_options: { include_usage: true } },
      { midstreamError: true },
    );
    expect(response.status).toBe(200);
    const frames = framesOf(text);
    expect(frames.at(-3)).toBe(
      'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}',
    );
    expect(JSON.parse(frames.at(-2)!.slice('data: '.length))).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
  });

  it('rejects a body without messages the way each vendor does', async () => {
    const openai = await post('openai', '/chat/completions', { model: 'm' });
    expect(openai.response.status).toBe(400);
    expect(JSON.parse(openai.text)).toMatchObject({ error: { param: 'messages', code: 'missing_required_parameter' } });
    const deepseek = await post('deepseek', '/chat/completions', { model: 'm' });
    expect(deepseek.response.status).toBe(422);
    expect(deepseek.text).toMatch(/^Failed to deserialize the JSON body into the target type: missing field `messages`/);
  });

  it('answers an unknown route with a 404 in the error envelope', async () => {
    const { response, text } = await post('openai', '/responses', {});
    expect(response.status).toBe(404);
    expect(JSON.parse(text)).toEqual({
      error: { message: 'Invalid URL (POST /v1/responses)', type: 'invalid_request_error', param: null, code: null },
    });
  });
});

describe('fake deepseek', () => {
  it('sends usage on the finish chunk even without include_usage, with UUID ids and no obfuscation', async () => {
    const { response, text } = await post('deepseek', '/chat/completions', { model: 'deepseek-chat', messages, stream: true });
    expect(response.headers.get('x-request-id')).toBeNull();
    expect(response.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    const chunks = chunksOf(text);
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
    for (const chunk of chunks) {
      expect(chunk.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(chunk).not.toHaveProperty('obfuscation');
    }
    expect(chunks.slice(0, -1).every((chunk) => !('usage' in chunk))).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices[0]).toEqual({ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop' });
    expect(last.usage).toMatchObject({ prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: expect.any(Number) });
  });

  it('with include_usage: usage:null before the finish chunk, and no separate usage chunk', async () => {
    const { text } = await post(
      'deepseek',
      '/v1/chat/completions',
      { model: 'deepseek-chat', messages, stream: true, stream_options: { include_usage: true } },
      { usage: { inputTokens: 100, outputTokens: 5, cachedInputTokens: 64 } },
    );
    const chunks = chunksOf(text);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)!.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 5,
      total_tokens: 105,
      prompt_tokens_details: { cached_tokens: 64 },
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    });
  });

  it('streams reasoning_content before content in thinking mode', async () => {
    const { text } = await post(
      'deepseek',
      '/chat/completions',
      { model: 'deepseek-v4-pro', messages, stream: true },
      { reasoning: 'We are asked.' },
    );
    const deltas = chunksOf(text).map((chunk) => chunk.choices[0]!.delta);
    expect(deltas[0]).toEqual({ role: 'assistant', content: null, reasoning_content: '' });
    expect(deltas[1]).toEqual({ content: null, reasoning_content: 'We are asked.' });
    expect(deltas[2]).toMatchObject({ reasoning_content: null });
    expect(deltas.at(-1)).toEqual({ content: '', reasoning_content: null });
  });

  it('replays the context-length 400 as application/octet-stream and the 422 as plain text', async () => {
    const tooLong = await post('deepseek', '/chat/completions', { model: 'deepseek-chat', messages }, { error: { status: 400 } });
    expect(tooLong.response.headers.get('content-type')).toBe('application/octet-stream');
    expect(tooLong.text).toBe(recording('deepseek/error_400_context_length_octet_stream.json'));
    const malformed = await post('deepseek', '/chat/completions', { model: 'deepseek-chat', messages }, { error: { status: 422 } });
    expect(malformed.response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(malformed.text).toBe(recording('deepseek/error_422_plain_text.txt'));
    const auth = await post('deepseek', '/chat/completions', { model: 'deepseek-chat', messages }, { error: { status: 401 } });
    expect(auth.text).toBe(recording('deepseek/error_401_authentication_fails.json'));
  });
});

describe('fake compat', () => {
  it('speaks the OpenAI stream without the obfuscation field', async () => {
    const { text } = await post('compat', '/chat/completions', {
      model: 'llama3.2',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(text);
    expect(chunks.every((chunk) => !('obfuscation' in chunk))).toBe(true);
    expect(chunks.at(-1)!.choices).toEqual([]);
  });
});

/** The recorded chunks of an SSE recording. */
function recordedChunks(path: string): Chunk[] {
  return chunksOf(recording(path));
}

/** A value's shape: its keys all the way down, with each leaf's type instead of its value. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return value === null ? null : typeof value;
}

describe('fake tool calls, in the recorded shape', () => {
  const toolCalls = [
    { name: 'get_weather', arguments: { city: 'Paris' } },
    { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
  ];
  const toolsBody = { model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } };

  it('openai: a chunk naming each call, then its argument fragments, finish tool_calls, then usage', async () => {
    const { text } = await post('openai', '/chat/completions', toolsBody, { toolCalls });
    const chunks = chunksOf(text);
    const recorded = recordedChunks('openai/stream_parallel_tool_calls_include_usage.sse');
    const delta = (chunk: Chunk | undefined) => (chunk?.choices[0] as { delta: unknown } | undefined)?.delta;
    expect(delta(chunks[0])).toEqual(delta(recorded[0]));
    expect(shapeOf(delta(chunks[1]))).toEqual(shapeOf(delta(recorded[1])));
    expect(shapeOf(delta(chunks[2]))).toEqual(shapeOf(delta(recorded[2])));
    expect((delta(chunks[1]) as { tool_calls: Array<{ id: string }> }).tool_calls[0]?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('deepseek: ids numbered by position, usage on the finish chunk', async () => {
    const { text } = await post('deepseek', '/chat/completions', { ...toolsBody, model: 'deepseek-chat' }, { toolCalls });
    const chunks = chunksOf(text);
    const named = chunks.flatMap((chunk) =>
      ((chunk.choices[0] as { delta?: { tool_calls?: Array<{ id?: string }> } } | undefined)?.delta?.tool_calls ?? []).flatMap((call) =>
        call.id ? [call.id] : [],
      ),
    );
    expect(named).toEqual([expect.stringMatching(/^call_00_[A-Za-z0-9]{24}$/), expect.stringMatching(/^call_01_[A-Za-z0-9]{24}$/)]);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: { content: '' }, finish_reason: 'tool_calls' });
    expect(chunks.at(-1)?.usage).toBeTruthy();
  });

  it('non-streamed: tool_calls beside content null, finish tool_calls', async () => {
    const { text } = await post('openai', '/chat/completions', { model: 'gpt-4o-mini', messages }, { toolCalls });
    const message = (JSON.parse(text) as Chunk).choices[0] as { message: Record<string, unknown>; finish_reason: string };
    expect(message.finish_reason).toBe('tool_calls');
    expect(message.message).toMatchObject({
      content: null,
      tool_calls: [
        { type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { type: 'function', function: { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' } },
      ],
    });
  });
});

describe('fake embeddings and model lists', () => {
  it('floats by default, base64 little-endian float32 when asked, the same vectors either way', async () => {
    const floats = await post('compat', '/embeddings', { model: 'nomic', input: ['a', 'b'] });
    const base64 = await post('compat', '/embeddings', { model: 'nomic', input: ['a', 'b'], encoding_format: 'base64' });
    const vectors = (JSON.parse(floats.text) as { data: Array<{ embedding: number[] }> }).data.map((item) => item.embedding);
    const decoded = (JSON.parse(base64.text) as { data: Array<{ embedding: string }> }).data.map((item) => {
      const bytes = Buffer.from(item.embedding, 'base64');
      return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    });
    expect(vectors).toHaveLength(2);
    expect(decoded).toEqual(vectors);
    expect(JSON.parse(floats.text)).toMatchObject({ object: 'list', model: 'nomic', usage: { prompt_tokens: 2, total_tokens: 2 } });
  });

  it('serves the recorded model lists', async () => {
    const openai = await fetch(`${fake.baseURLs.openai}/models`);
    expect(await openai.text()).toBe(recording('openai/models_list.json'));
    const deepseek = await fetch(`${fake.baseURLs.deepseek}/models`);
    expect(await deepseek.text()).toBe(recording('deepseek/models_list.json'));
  });
});
