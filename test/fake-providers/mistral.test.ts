// The fake Mistral on the wire, checked against the recordings it cuts its replies from
// (../shared/wire/mistral, copied under ./recordings/mistral).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProviders, startFakeProviders } from './server.mjs';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['mistral'] });
});
afterAll(async () => {
  await fake?.close();
});

const messages = [{ role: 'user', content: 'Count from 1 to 3' }];

async function post(path: string, body: object, scenario?: object) {
  if (scenario) fake.enqueue('mistral', scenario);
  const response = await fetch(`${fake.baseURLs.mistral}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fake' },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

function recording(name: string): string {
  return readFileSync(new URL(`./recordings/mistral/${name}`, import.meta.url), 'utf8');
}

type Chunk = Record<string, unknown> & { choices: Array<Record<string, unknown> & { delta: Record<string, unknown> }> };

function chunksOf(text: string): Chunk[] {
  expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((frame) => frame !== '' && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as Chunk);
}

/** A value's shape: its keys in order, all the way down; leaves by type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([key, inner]) => [key, shape(inner)]);
  return typeof value;
}

describe('fake mistral', () => {
  it('streams text in the recorded frames: role chunk without padding, padded content chunks, usage on the last', async () => {
    const { response, text } = await post(
      '/v1/chat/completions',
      { model: 'mistral-small-latest', stream: true, messages },
      { text: '1, 2, 3' },
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const chunks = chunksOf(text);
    const recorded = chunksOf(recording('stream_text.sse'));
    expect(shape(chunks[0])).toEqual(shape(recorded[0]));
    expect(shape(chunks.at(-1))).toEqual(shape(recorded.at(-1)));
    for (const chunk of chunks.slice(1, -1)) expect(shape(chunk)).toEqual(shape(recorded[1]));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content).join('')).toBe('1, 2, 3');
  });

  it('streams tool calls whole, in the chunk that ends the answer, as stream_tool_calls.sse does', async () => {
    const toolCalls = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
    ];
    const { text } = await post('/v1/chat/completions', { model: 'mistral-small-latest', stream: true, messages }, { toolCalls });
    const chunks = chunksOf(text);
    const recorded = chunksOf(recording('stream_tool_calls.sse'));
    expect(chunks).toHaveLength(recorded.length);
    const [call] = (recorded[1]?.choices[0]?.delta.tool_calls ?? []) as unknown[];
    const sent = chunks[1]?.choices[0]?.delta.tool_calls as Array<{ id: string; function: { name: string; arguments: string } }>;
    expect(sent.map(shape)).toEqual([shape(call), shape(call)]);
    expect(sent.map((entry) => [entry.function.name, JSON.parse(entry.function.arguments)])).toEqual(
      toolCalls.map((entry) => [entry.name, entry.arguments]),
    );
    expect(sent.every((entry) => /^[A-Za-z0-9]{9}$/.test(entry.id))).toBe(true);
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers without streaming in the recorded key order, tool calls with content ""', async () => {
    const plain = JSON.parse((await post('/v1/chat/completions', { model: 'mistral-small-latest', messages }, { text: 'Hi' })).text);
    expect(shape(plain)).toEqual(shape(JSON.parse(recording('nonstream_text.json'))));
    const withCalls = JSON.parse(
      (
        await post(
          '/v1/chat/completions',
          { model: 'mistral-small-latest', messages },
          { toolCalls: [{ name: 'weather', arguments: { a: 1 } }] },
        )
      ).text,
    );
    expect(shape(withCalls)).toEqual(shape(JSON.parse(recording('nonstream_tool_calls.json'))));
    expect(withCalls.choices[0].message.content).toBe('');
  });

  it('serves embeddings in the recorded shape, and the scenario’s vectors when it has them', async () => {
    const { text } = await post(
      '/v1/embeddings',
      { model: 'mistral-embed', input: ['a', 'b'] },
      {
        embeddings: [
          [1, 2],
          [3, 4],
        ],
      },
    );
    const reply = JSON.parse(text);
    const recorded = JSON.parse(recording('embeddings.json'));
    expect(Object.keys(reply)).toEqual(Object.keys(recorded));
    expect(reply.data).toEqual([
      { object: 'embedding', embedding: [1, 2], index: 0 },
      { object: 'embedding', embedding: [3, 4], index: 1 },
    ]);
  });

  it('replays a recording byte for byte with its status and request id', async () => {
    const { response, text } = await post(
      '/v1/chat/completions',
      { model: 'mistral-small-latest', messages },
      { replay: 'nonstream_tool_calls' },
    );
    expect(response.status).toBe(200);
    expect(text).toBe(recording('nonstream_tool_calls.json'));
    expect(response.headers.get('mistral-correlation-id')).toBe('01a01a71-cfae-7ede-a1cc-25f52956dbb0');
    expect(response.headers.get('x-ratelimit-tokens-query-cost')).toBe('187');
  });
});
