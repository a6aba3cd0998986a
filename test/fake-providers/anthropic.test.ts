// The fake Anthropic server's wire format, checked with plain fetch against the real recordings'
// shapes (the adapter tests check that the real SDK understands it; these check the bytes).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders, type FakeScenario } from './server.mjs';

const recordings = new URL('./recordings/anthropic/', import.meta.url);
const recording = (file: string) => readFileSync(new URL(file, recordings), 'utf8');

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

const body = { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

function post(payload: unknown, scenario?: FakeScenario): Promise<Response> {
  if (scenario) fake.enqueue('anthropic', scenario);
  return fetch(`${fake.baseURLs.anthropic}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify(payload),
  });
}

interface Frame {
  event: string;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded vendor JSON, read field by field
  data: Record<string, any>;
}

function framesOf(text: string): Frame[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const match = /^event: (\w+)\ndata: (.*)$/.exec(frame);
      expect(match, frame).not.toBeNull();
      return { event: match![1]!, raw: match![2]!, data: JSON.parse(match![2]!) };
    });
}

describe('the fake Anthropic Messages stream', () => {
  it('sends the recorded event order, usage and headers', async () => {
    const response = await post(
      { ...body, stream: true },
      { words: 12, usage: { inputTokens: 50, cachedInputTokens: 30, outputTokens: 9 } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toMatch(/^req_fake_\d+$/);
    const frames = framesOf(await response.text());
    expect(frames.map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[2]!.raw).toBe('{"type": "ping"}');
    expect(frames[0]!.data.message).toMatchObject({
      model: 'claude-haiku-4-5',
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 30,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 1,
        service_tier: 'standard',
      },
    });
    expect(frames[1]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const text = frames
      .filter((frame) => frame.event === 'content_block_delta')
      .map((frame) => frame.data.delta.text)
      .join('');
    expect(text).toBe('the quick brown fox jumps over the lazy dog while a careful.');
    expect(frames[8]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 30, output_tokens: 9 },
    });
    expect(fake.requestsFor('anthropic')[0]).toMatchObject({ stream: true, completed: true });
  });

  it('pads frames with a random run of spaces before the last brace, like the real server', async () => {
    const response = await post({ ...body, stream: true }, { words: 300 });
    const frames = framesOf(await response.text());
    const padded = frames.filter((frame) => /\} +\}$/.test(frame.raw));
    expect(padded.length).toBeGreaterThan(0);
    expect(padded.length).toBeLessThan(frames.length);
  });

  it('streams a thinking block (thinking deltas, then the signature) before the text block', async () => {
    const response = await post({ ...body, stream: true }, { reasoning: 'Think first.', text: 'Done.' });
    const frames = framesOf(await response.text());
    expect(frames.map((frame) => `${frame.event}${frame.data.index ?? ''}`)).toEqual([
      'message_start',
      'content_block_start0',
      'ping',
      'content_block_delta0',
      'content_block_delta0',
      'content_block_stop0',
      'content_block_start1',
      'content_block_delta1',
      'content_block_stop1',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[1]!.data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(frames[3]!.data.delta).toEqual({ type: 'thinking_delta', thinking: 'Think first.' });
    expect(frames[4]!.data.delta.type).toBe('signature_delta');
    expect(frames[7]!.data.delta).toEqual({ type: 'text_delta', text: 'Done.' });
  });

  it('reports max_tokens and stop_sequence stops', async () => {
    const length = framesOf(await (await post({ ...body, stream: true }, { finishReason: 'length' })).text());
    expect(length.at(-2)!.data.delta).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });

    const stopped = await post({ ...body, stop_sequences: ['##', 'B'], stream: true }, { text: 'A B ## C' });
    const frames = framesOf(await stopped.text());
    expect(frames.at(-2)!.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'B' });
    expect(
      frames
        .filter((frame) => frame.event === 'content_block_delta')
        .map((frame) => frame.data.delta.text)
        .join(''),
    ).toBe('A ');
  });

  it('sends the recorded overload error event after the first piece of text', async () => {
    const response = await post({ ...body, stream: true }, { words: 30, midstreamError: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.endsWith(recording('stream_error_event_overloaded.sse'))).toBe(true);
    expect(framesOf(text).map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'error',
    ]);
  });
});

describe('the fake Anthropic tool calls and replays', () => {
  const toolCalls = [
    { name: 'get_weather', arguments: { city: 'Paris' } },
    { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
  ];

  it('streams scenario tool calls as the recording does: tool_use blocks opening with {}, "" first, then the JSON', async () => {
    const response = await post({ ...body, stream: true }, { toolCalls });
    const frames = framesOf(await response.text());
    const recorded = framesOf(recording('stream_tool_use_parallel_with_args.sse'));
    const shape = (list: Frame[]) => list.map((frame) => `${frame.event}${frame.data.delta?.type ? `:${frame.data.delta.type}` : ''}`);
    // The same event kinds in the same order; only the number of argument pieces differs.
    const squeeze = (list: string[]) => list.filter((entry, index) => entry !== list[index - 1]);
    expect(squeeze(shape(frames))).toEqual(squeeze(shape(recorded)));
    const starts = frames.filter((frame) => frame.event === 'content_block_start').map((frame) => frame.data.content_block);
    expect(starts).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_weather', input: {} },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_time', input: {} },
    ]);
    for (const [index, call] of toolCalls.entries()) {
      const pieces = frames.filter((frame) => frame.event === 'content_block_delta' && frame.data.index === index);
      expect(pieces[0]?.data.delta).toEqual({ type: 'input_json_delta', partial_json: '' });
      expect(JSON.parse(pieces.map((frame) => frame.data.delta.partial_json).join(''))).toEqual(call.arguments);
    }
    expect(frames.find((frame) => frame.event === 'message_delta')?.data.delta).toMatchObject({ stop_reason: 'tool_use' });
  });

  it('answers a forced tool with a call to it whose input is the scenario text as JSON, and no text block', async () => {
    const forced = { ...body, tools: [{ name: 'out', input_schema: { type: 'object' } }], tool_choice: { type: 'tool', name: 'out' } };
    const message = (await (await post(forced, { text: '{"a":1}' })).json()) as Record<string, unknown>;
    expect(message).toMatchObject({ content: [{ type: 'tool_use', name: 'out', input: { a: 1 } }], stop_reason: 'tool_use' });
    expect(message.content).toHaveLength(1);
  });

  it('replays a recording verbatim, with its status, content type and request id', async () => {
    const response = await post({ ...body, stream: true }, { replay: 'stream_tool_use_no_args' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toBe('req_011CZkTfmdQovVWg8SG5f6Lq');
    expect(await response.text()).toBe(recording('stream_tool_use_no_args.sse'));
  });
});

describe('the fake Anthropic non-streamed message', () => {
  it('is compact JSON with the recorded key order', async () => {
    const response = await post(body, { text: 'Hi there.', reasoning: 'Greet back.' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('request-id')).toMatch(/^req_fake_\d+$/);
    const text = await response.text();
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    const message = JSON.parse(text);
    expect(Object.keys(message)).toEqual(['model', 'id', 'type', 'role', 'content', 'stop_reason', 'stop_sequence', 'usage']);
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Greet back.', signature: expect.any(String) },
      { type: 'text', text: 'Hi there.' },
    ]);
    expect(message.stop_reason).toBe('end_turn');
    expect(fake.requestsFor('anthropic')[0]).toMatchObject({ stream: false });
  });
});

describe('the fake Anthropic errors', () => {
  it.each([
    [400, 'error_400_prompt_too_long.json', 'false'],
    [401, 'error_401_authentication_error.json', 'false'],
    [404, 'error_404_not_found_stream_request.json', 'false'],
    [500, 'error_500_api_error.json', 'false'],
    [529, 'error_529_overloaded.json', 'true'],
  ])('%i replays %s as JSON, even for a stream request', async (status, file, shouldRetry) => {
    const response = await post({ ...body, stream: true }, { error: { status } });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-should-retry')).toBe(shouldRetry);
    const text = await response.text();
    expect(text).toBe(recording(file));
    // The request-id header agrees with the body's request_id where the recording has one.
    const bodyRequestId = JSON.parse(text).request_id;
    expect(response.headers.get('request-id')).toEqual(bodyRequestId ?? expect.stringMatching(/^req_fake_\d+$/));
  });

  it('429 sends retry-after only as the scenario says, never the recorded 65 s', async () => {
    const plain = await post(body, { error: { status: 429 } });
    expect(plain.status).toBe(429);
    expect(await plain.text()).toBe(recording('error_429_rate_limit_retry_after.json'));
    expect(plain.headers.get('retry-after')).toBeNull();
    expect(plain.headers.get('x-should-retry')).toBe('true');
    expect(plain.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('0');

    const seconds = await post(body, { error: { status: 429, retryAfterSeconds: 2 } });
    expect(seconds.headers.get('retry-after')).toBe('2');
    const milliseconds = await post(body, { error: { status: 429, retryAfterMs: 20 } });
    expect(milliseconds.headers.get('retry-after-ms')).toBe('20');
    expect(milliseconds.headers.get('retry-after')).toBeNull();
  });

  it("503 is the edge proxy's recorded text/plain body, without a request id", async () => {
    const response = await post({ ...body, stream: true }, { error: { status: 503 } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('request-id')).toBeNull();
    expect(await response.text()).toBe(recording('error_503_upstream_reset_text_plain.txt'));
  });

  it('synthesises the vendor shape for a status without a recording', async () => {
    const response = await post(body, { error: { status: 403 } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'permission_error' },
      request_id: expect.stringMatching(/^req_fake_/),
    });
  });

  it('rejects a request without max_tokens, as the API does', async () => {
    const response = await post({ model: 'claude-haiku-4-5', messages: [] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  it('answers any other path with 404 not_found_error', async () => {
    const response = await fetch(`${fake.baseURLs.anthropic}/v1/complete`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('the fake Anthropic model list', () => {
  it('lists the recorded models, finds one by id or alias, and fails the way a scenario says', async () => {
    const response = await fetch(`${fake.baseURLs.anthropic}/v1/models`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(recording('models_list.json'));

    const one = await fetch(`${fake.baseURLs.anthropic}/v1/models/claude-haiku-4-5`);
    expect(await one.json()).toMatchObject({ type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5' });
    expect((await fetch(`${fake.baseURLs.anthropic}/v1/models/nope`)).status).toBe(404);

    fake.enqueue('anthropic', { error: { status: 401 } });
    const rejected = await fetch(`${fake.baseURLs.anthropic}/v1/models`);
    expect(rejected.status).toBe(401);
  });
});
