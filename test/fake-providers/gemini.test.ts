// The fake Gemini server's bytes, checked with plain fetch against the recordings (the adapter
// tests check that the real SDK understands them): streams are framed and keyed as recorded,
// tool calls come as the recorded ones do, replays are verbatim.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders, type FakeScenario } from './server.mjs';

const recordings = new URL('./recordings/gemini/', import.meta.url);
const recording = (file: string) => readFileSync(new URL(file, recordings), 'utf8');

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

const body = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };

function post(method: string, scenario?: FakeScenario, payload: unknown = body): Promise<Response> {
  if (scenario) fake.enqueue('gemini', scenario);
  return fetch(`${fake.baseURLs.gemini}/v1beta/models/gemini-2.5-flash:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
    body: JSON.stringify(payload),
  });
}

/** The JSON of each `data:` frame; every frame must end with CRLF CRLF, as Google's do. */
function framesOf(text: string): Array<Record<string, unknown>> {
  expect(text.endsWith('\r\n\r\n')).toBe(true);
  return text
    .slice(0, -4)
    .split('\r\n\r\n')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      return JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>;
    });
}

/** Every key path of a JSON value, in order: the shape of a frame without its values. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => [`${prefix}.${key}`, ...keyPaths(member, `${prefix}.${key}`)]);
}

describe('the fake Gemini stream', () => {
  it('frames and keys text chunks as the recorded sse_text stream does', async () => {
    const response = await post('streamGenerateContent?alt=sse', { text: 'hello world', usage: { reasoningTokens: 17 } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    // Google's spacing: `": "` after keys, no space after commas.
    expect(text).toMatch(
      /^data: \{"candidates": \[\{"content": \{"parts": \[\{"text": "hello world"\}\],"role": "model"\},"finishReason": "STOP"/,
    );
    const recorded = framesOf(recording('sse_text.sse'));
    const frames = framesOf(text);
    expect(keyPaths(frames.at(-1)).join(' ')).toBe(keyPaths(recorded.at(-1)).join(' '));
  });

  it('sends parallel tool calls in one chunk, as sse_functionCall does: no ids, the first call signed, finishMessage', async () => {
    const toolCalls = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
    ];
    const frames = framesOf(await (await post('streamGenerateContent?alt=sse', { toolCalls })).text());
    const [recorded] = framesOf(recording('sse_functionCall.sse')) as Array<{ candidates: Array<Record<string, unknown>> }>;
    expect(frames).toHaveLength(1);
    const [candidate] = (frames[0] as { candidates: Array<Record<string, unknown>> }).candidates;
    expect(Object.keys(candidate!)).toEqual(Object.keys(recorded!.candidates[0]!));
    expect(candidate).toMatchObject({
      finishReason: 'STOP',
      finishMessage: 'Model generated function call(s).',
      content: {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: expect.any(String) },
          { functionCall: { name: 'get_time', args: { zone: 'Europe/Paris' } } },
        ],
      },
    });
  });

  it('replays a recorded stream verbatim', async () => {
    const response = await post('streamGenerateContent?alt=sse', { replay: 'sse_thinking_include_thoughts' });
    expect(await response.text()).toBe(recording('sse_thinking_include_thoughts.sse'));
  });
});

describe('the fake Gemini non-streaming endpoints', () => {
  it('keys a generated reply as the recorded generateContent_text body', async () => {
    const generated = await (await post('generateContent', { text: 'Hi.', usage: { reasoningTokens: 31 } })).json();
    expect(keyPaths(generated).join(' ')).toBe(keyPaths(JSON.parse(recording('generateContent_text.json'))).join(' '));
  });

  it('replays a recorded body verbatim, with its recorded headers', async () => {
    let response = await post('generateContent', { replay: 'generateContent_toolConfig_any' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gemini-service-tier')).toBe('standard');
    expect(response.headers.get('vary')).toBe('Origin, Referer, X-Origin');
    expect(await response.text()).toBe(recording('generateContent_toolConfig_any.json'));
    fake.enqueue('gemini', { replay: 'generateContent_functionCall' });
    response = await post('generateContent');
    expect(await response.text()).toBe(recording('generateContent_functionCall.json'));
  });

  it('serves the recorded model list', async () => {
    const response = await fetch(`${fake.baseURLs.gemini}/v1beta/models?pageSize=50`, { headers: { 'x-goog-api-key': 'k' } });
    expect(await response.text()).toBe(recording('models_list.json'));
  });
});
