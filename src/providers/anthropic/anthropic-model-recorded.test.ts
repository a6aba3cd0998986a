// The second-wave recordings through the real @anthropic-ai/sdk: each recorded response replays
// (fake scenario `replay`) to the normalised parts, and for each recorded request the adapter,
// given the same content as spec messages, sends a body of the recorded shape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProviders, type FakeScenario, startFakeProviders } from '../../../test/fake-providers/server.mjs';
import {
  collectStream,
  type Message,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
  type ToolDefinition,
  type UserContentPart,
} from '../spec.js';
import { readRecording } from './anthropic-recordings.test-support.js';
import { createModel } from './index.js';

const API_KEY = 'sk-ant-api03-FAKE-test-key-0123456789abcdefghijklmnop';

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
  return createModel({
    provider: 'anthropic',
    modelId: 'claude-haiku-4-5',
    apiKey: API_KEY,
    baseURL: fake.baseURLs.anthropic,
    ...overrides,
  });
}

async function partsOf(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function lastSentBody(): Record<string, unknown> {
  const sent = fake.requestsFor('anthropic').at(-1);
  expect(sent).toBeDefined();
  return sent?.body as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Recorded requests as spec requests

/** One content block of a recorded message, as far as these tests read it. */
interface RecordedBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: Record<string, unknown>;
  tool_use_id?: string;
  content?: string;
  is_error?: boolean;
  source?: { type: string; url?: string; data?: string; media_type?: string };
}

interface RecordedBody {
  model: string;
  max_tokens: number;
  system?: string | Array<{ type: 'text'; text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | RecordedBlock[] }>;
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
  tool_choice?: Record<string, unknown>;
  output_config?: { format: { type: 'json_schema'; schema: Record<string, unknown> } };
}

function recordedBody(name: string): RecordedBody {
  return (JSON.parse(readRecording(`${name}.meta.json`)) as { request: { body: RecordedBody } }).request.body;
}

/** The spec request that carries what a recorded request carries. */
function specRequestFrom(body: RecordedBody): ModelRequest {
  const messages: Message[] = [];
  if (body.system !== undefined) messages.push({ role: 'system', content: systemText(body.system) });
  const toolNames = new Map<string, string>();
  for (const message of body.messages) {
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: message.content });
    } else if (message.role === 'assistant') {
      const text = message.content.filter((block) => block.type === 'text').map((block) => block.text as string);
      const toolCalls = message.content
        .filter((block) => block.type === 'tool_use')
        .map((block) => ({ id: block.id as string, name: block.name as string, arguments: block.input as Record<string, unknown> }));
      for (const call of toolCalls) toolNames.set(call.id, call.name);
      messages.push({ role: 'assistant', content: text.join(''), toolCalls });
    } else if (message.content.every((block) => block.type === 'tool_result')) {
      messages.push({
        role: 'tool',
        results: message.content.map((block) => ({
          toolCallId: block.tool_use_id as string,
          name: toolNames.get(block.tool_use_id as string) ?? '',
          content: block.content as string,
          isError: block.is_error as boolean,
        })),
      });
    } else {
      messages.push({ role: 'user', content: message.content.map(userPart) });
    }
  }
  const request: ModelRequest = { messages, maxTokens: body.max_tokens };
  if (body.tools) request.tools = body.tools.map(toolDefinition);
  return request;
}

function userPart(block: RecordedBlock): UserContentPart {
  const source =
    block.source?.type === 'url'
      ? { type: 'url' as const, url: String(block.source.url) }
      : { type: 'bytes' as const, data: new Uint8Array(Buffer.from(String(block.source?.data), 'base64')) };
  switch (block.type) {
    case 'image':
      return { type: 'image', mediaType: block.source?.media_type ?? 'image/png', source };
    case 'document':
      return { type: 'document', mediaType: 'application/pdf', source };
    default:
      return { type: 'text', text: block.text ?? '' };
  }
}

function toolDefinition(tool: NonNullable<RecordedBody['tools']>[number]): ToolDefinition {
  return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), inputSchema: tool.input_schema };
}

function withoutTools({ tools: _tools, ...body }: RecordedBody): RecordedBody {
  return body;
}

function systemText(system: NonNullable<RecordedBody['system']>): string {
  return typeof system === 'string' ? system : system.map((block) => block.text).join('');
}

/**
 * The fields that carry the request's meaning, without the caching hints (`cache_control`) the
 * recording's client added and llmo has no spec for; `system` as its text.
 */
function salient(body: Record<string, unknown>) {
  const picked: Record<string, unknown> = {};
  for (const key of ['model', 'max_tokens', 'messages', 'tools', 'tool_choice', 'output_config']) {
    if (body[key] !== undefined) picked[key] = withoutCacheControl(body[key]);
  }
  if (body.system !== undefined) picked.system = systemText(body.system as NonNullable<RecordedBody['system']>);
  return picked;
}

function withoutCacheControl(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCacheControl);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'cache_control')
      .map(([key, entry]) => [key, withoutCacheControl(entry)]),
  );
}

// ---------------------------------------------------------------------------------------------

describe('recorded Anthropic tool calls through the real SDK', () => {
  const mellon = { id: 'toolu_01NW9V1YCeF2aaDjiUnTSUH1', name: 'secret_retrieval_tool', arguments: { password: 'mellon' } };
  const radiance = { id: 'toolu_015k2gzpZWrWT7ZKrmd1sPRg', name: 'secret_retrieval_tool', arguments: { password: 'radiance' } };

  it('stream_tool_use_parallel_with_args: two calls, each started, its arguments streamed, then parsed; finish tool-calls', async () => {
    fake.enqueue('anthropic', { replay: 'stream_tool_use_parallel_with_args' });
    const parts = await partsOf(model().stream(specRequestFrom(recordedBody('stream_tool_use_parallel_with_args'))));
    const types = parts.map((part) => part.type);
    expect(types).toEqual([
      'tool-call-start',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call',
      'tool-call-start',
      ...Array(5).fill('tool-call-delta'),
      'tool-call',
      'finish',
    ]);
    expect(parts.filter((part) => part.type === 'tool-call').map((part) => part.toolCall)).toEqual([mellon, radiance]);
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' && part.id === radiance.id ? [part.argumentsDelta] : []));
    expect(JSON.parse(deltas.join(''))).toEqual(radiance.arguments);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      usage: { inputTokens: 601, outputTokens: 98, cachedInputTokens: 0, cacheWriteTokens: 0 },
      responseModel: 'claude-haiku-4-5-20251001',
      requestId: 'req_011CXeJ82MnH3N8tuTqovacb',
    });
  });

  it('nonstream_tool_use: generate() returns the same two calls and finish reason', async () => {
    fake.enqueue('anthropic', { replay: 'nonstream_tool_use' });
    const result = await model().generate(specRequestFrom(recordedBody('nonstream_tool_use')));
    expect(result).toMatchObject({
      text: '',
      finishReason: 'tool-calls',
      toolCalls: [
        { id: 'toolu_01THTjQUiAECUZQcoCz1k4kW', name: 'secret_retrieval_tool', arguments: { password: 'mellon' } },
        { id: 'toolu_01B7tcV3MwDtehZDSs5PYEpz', name: 'secret_retrieval_tool', arguments: { password: 'radiance' } },
      ],
      usage: { inputTokens: 601, outputTokens: 98 },
    });
  });

  it('stream_tool_use_no_args: tools without arguments are called with {}', async () => {
    fake.enqueue('anthropic', { replay: 'stream_tool_use_no_args' });
    const result = await collectStream(model().stream(specRequestFrom(recordedBody('stream_tool_use_no_args'))));
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01LtHJmixrs9NcWQkK8hu8hj', name: 'pelican_name_generator', arguments: {} },
      { id: 'toolu_01N8a4jWyf116qKTMqKKmjyt', name: 'pelican_name_generator', arguments: {} },
    ]);
    expect(result.finishReason).toBe('tool-calls');
  });

  it('nonstream_tool_choice_tool: a forced tool is sent as tool_choice {type: tool} and its call comes back', async () => {
    const recorded = recordedBody('nonstream_tool_choice_tool');
    fake.enqueue('anthropic', { replay: 'nonstream_tool_choice_tool' });
    const result = await model({ modelId: recorded.model }).generate({
      ...specRequestFrom(recorded),
      toolChoice: { type: 'tool', name: 'weather' },
    });
    expect(salient(lastSentBody())).toEqual(salient(recorded as unknown as Record<string, unknown>));
    expect(result).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ id: 'toolu_01MeWJcfZEJ1yc7Fae57Ne93', name: 'weather', arguments: { latitude: '41.9028', longitude: '12.4964' } }],
    });
  });

  for (const name of ['nonstream_tool_result_followup', 'stream_tool_result_followup']) {
    it(`${name}: the follow-up repeats the calls as tool_use blocks and sends every result in one user message`, async () => {
      const recorded = recordedBody(name);
      fake.enqueue('anthropic', { replay: name });
      const request = specRequestFrom(recorded);
      const result = name.startsWith('stream') ? await collectStream(model().stream(request)) : await model().generate(request);
      expect(salient(lastSentBody())).toEqual(salient(recorded as unknown as Record<string, unknown>));
      expect(result.finishReason).toBe('stop');
      expect(result.toolCalls).toEqual([]);
      expect(result.text).toMatch(/Moria|Life before Death|mellon/i);
    });
  }
});

describe('recorded Anthropic structured output through the real SDK', () => {
  it('nonstream_output_config_json_schema: a model with json_schema gets output_config.format, and the JSON is the text', async () => {
    const recorded = recordedBody('nonstream_output_config_json_schema');
    const schema = recorded.output_config?.format.schema;
    fake.enqueue('anthropic', { replay: 'nonstream_output_config_json_schema' });
    const result = await model({ modelId: recorded.model, capabilities: new Set(['json_schema']) }).generate({
      ...specRequestFrom(recorded),
      responseFormat: { type: 'json', schema: schema ?? {}, name: 'person' },
    });
    expect(salient(lastSentBody())).toEqual(salient(recorded as unknown as Record<string, unknown>));
    expect(lastSentBody()).not.toHaveProperty('tools');
    expect(result).toMatchObject({ text: '{"name":"John","age":30}', finishReason: 'stop', toolCalls: [] });
  });

  for (const name of ['nonstream_forced_tool_structured', 'stream_forced_tool_structured']) {
    it(`${name}: without json_schema the JSON comes from a forced tool, returned as text with finish stop`, async () => {
      const recorded = recordedBody(name);
      const tool = recorded.tools?.[0];
      fake.enqueue('anthropic', { replay: name });
      const request: ModelRequest = {
        ...specRequestFrom(withoutTools(recorded)),
        responseFormat: { type: 'json', schema: tool?.input_schema ?? {}, name: tool?.name ?? '', description: tool?.description ?? '' },
      };
      const result = name.startsWith('stream') ? await collectStream(model().stream(request)) : await model().generate(request);
      expect(salient(lastSentBody())).toEqual(salient(recorded as unknown as Record<string, unknown>));
      expect(result.finishReason).toBe('stop');
      expect(result.toolCalls).toEqual([]);
      expect(JSON.parse(result.text)).toEqual({
        title: 'THE NAME OF THE WIND',
        author: { firstName: 'Patrick', lastName: 'Rothfuss' },
        rating: 7,
      });
    });
  }

  for (const name of ['nonstream_output_format_beta', 'stream_output_format_beta']) {
    it(`${name}: the beta's reply (llmo sends the GA form) is JSON text like the GA one`, async () => {
      fake.enqueue('anthropic', { replay: name });
      const request = specRequestFrom(recordedBody(name));
      const result = name.startsWith('stream') ? await collectStream(model().stream(request)) : await model().generate(request);
      expect(result.finishReason).toBe('stop');
      expect(JSON.parse(result.text)).toMatchObject({ title: 'THE NAME OF THE WIND', rating: 7 });
    });
  }

  it('generate() and stream() give the same JSON text for a forced-tool reply', async () => {
    const responseFormat = { type: 'json' as const, schema: { type: 'object', properties: { a: { type: 'number' } } } };
    const request: ModelRequest = { messages: [{ role: 'user', content: 'Give me a.' }], responseFormat };
    fake.enqueue('anthropic', { text: '{ "a": 1 }' }, { text: '{ "a": 1 }' });
    const streamed = await collectStream(model().stream(request));
    expect(lastSentBody()).toMatchObject({
      tools: [{ name: 'json_output', input_schema: responseFormat.schema }],
      tool_choice: { type: 'tool', name: 'json_output', disable_parallel_tool_use: true },
    });
    const generated = await model().generate(request);
    expect(streamed).toMatchObject({ text: '{"a":1}', finishReason: 'stop', toolCalls: [] });
    expect(generated).toMatchObject({ text: streamed.text, finishReason: streamed.finishReason, toolCalls: [] });
  });

  it('wraps a schema whose root is not an object as { value }, and unwraps the reply', async () => {
    const schema = { type: 'array', items: { type: 'string' } };
    const request: ModelRequest = { messages: [{ role: 'user', content: 'Three colours.' }], responseFormat: { type: 'json', schema } };
    const reply = { text: '{"value":["red","green","blue"]}' };
    fake.enqueue('anthropic', reply, reply);
    const streamed = await collectStream(model().stream(request));
    expect(lastSentBody()).toMatchObject({
      tools: [{ name: 'json_output', input_schema: { type: 'object', properties: { value: schema }, required: ['value'] } }],
    });
    const generated = await model().generate(request);
    expect(streamed.text).toBe('["red","green","blue"]');
    expect(generated.text).toBe(streamed.text);
  });

  it("with the request's own tools on offer, the output tool joins them and the model must call one", async () => {
    const weather: ToolDefinition = { name: 'weather.get', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };
    fake.enqueue('anthropic', { toolCalls: [{ name: 'weather__get', arguments: { city: 'Oslo' } }] });
    const result = await model().generate({
      messages: [{ role: 'user', content: 'Weather in Oslo, as JSON.' }],
      tools: [weather],
      responseFormat: { type: 'json', schema: { type: 'object' } },
    });
    expect(lastSentBody()).toMatchObject({
      tools: [{ name: 'weather__get' }, { name: 'json_output' }],
      tool_choice: { type: 'any' },
    });
    expect(result).toMatchObject({ finishReason: 'tool-calls', toolCalls: [{ name: 'weather.get', arguments: { city: 'Oslo' } }] });
  });
});

describe('recorded Anthropic cache usage, images and PDFs through the real SDK', () => {
  it('nonstream_cache_creation: the tokens written to the cache count as prompt tokens and as cacheWriteTokens', async () => {
    fake.enqueue('anthropic', { replay: 'nonstream_cache_creation' });
    const result = await model().generate(specRequestFrom(recordedBody('nonstream_cache_creation')));
    expect(result.usage).toEqual({ inputTokens: 8 + 4167, outputTokens: 204, cachedInputTokens: 0, cacheWriteTokens: 4167 });
  });

  it('nonstream_cache_read: the tokens read from the cache count as prompt tokens and as cachedInputTokens', async () => {
    fake.enqueue('anthropic', { replay: 'nonstream_cache_read' });
    const result = await model().generate(specRequestFrom(recordedBody('nonstream_cache_read')));
    expect(result.usage).toEqual({ inputTokens: 12 + 4167, outputTokens: 350, cachedInputTokens: 4167, cacheWriteTokens: 0 });
  });

  for (const name of ['nonstream_image_base64', 'nonstream_image_url', 'nonstream_document_pdf_base64', 'nonstream_document_pdf_url']) {
    it(`${name}: the parts go out as the recorded image/document block, and the reply is text`, async () => {
      const recorded = recordedBody(name);
      fake.enqueue('anthropic', { replay: name });
      const result = await model().generate(specRequestFrom(recorded));
      expect(salient(lastSentBody())).toEqual(salient(recorded as unknown as Record<string, unknown>));
      expect(result.finishReason).toBe('stop');
      expect(result.text.length).toBeGreaterThan(10);
    });
  }

  it('sends a named PDF with its title', async () => {
    await model().generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/a.pdf' }, name: 'a.pdf' },
          ],
        },
      ],
    });
    expect(lastSentBody().messages).toEqual([
      { role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' }, title: 'a.pdf' }] },
    ]);
  });
});

describe('the Anthropic model list through the real SDK', () => {
  it('models_list: every recorded model, with its display name and date', async () => {
    const models = await model().listModels?.();
    expect(models).toHaveLength(10);
    expect(models?.[0]).toEqual({ id: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', createdAt: '2026-02-04T00:00:00Z' });
    expect(models?.map((entry) => entry.id)).toContain('claude-haiku-4-5-20251001');
    expect(fake.requestsFor('anthropic').at(-1)).toMatchObject({ method: 'GET', path: expect.stringMatching(/^\/v1\/models/) });
  });
});

describe('the common two-tool scenario', () => {
  const tools: ToolDefinition[] = [
    { name: 'get_weather', description: 'Current weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
    { name: 'get_time', description: 'Current time', inputSchema: { type: 'object', properties: { zone: { type: 'string' } } } },
  ];
  const calls: NonNullable<FakeScenario['toolCalls']> = [
    { name: 'get_weather', arguments: { city: 'Paris' } },
    { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
  ];
  const question: Message = { role: 'user', content: 'Weather and time in Paris?' };

  it('streams both calls (start, deltas, parsed call), finishes tool-calls, then answers the results with text', async () => {
    fake.enqueue('anthropic', { toolCalls: calls });
    const parts = await partsOf(model().stream({ messages: [question], tools }));
    const toolParts = parts.filter((part) => part.type.startsWith('tool-call'));
    for (const [index, call] of calls.entries()) {
      const done = toolParts.filter((part) => part.type === 'tool-call')[index];
      expect(done).toMatchObject({ type: 'tool-call', toolCall: { name: call.name, arguments: call.arguments } });
      const id = done?.type === 'tool-call' ? done.toolCall.id : '';
      const own = toolParts.filter((part) => (part.type === 'tool-call' ? part.toolCall.id : 'id' in part && part.id) === id);
      expect(own[0]).toEqual({ type: 'tool-call-start', id, name: call.name });
      expect(own.slice(1, -1).every((part) => part.type === 'tool-call-delta')).toBe(true);
      expect(own.at(-1)?.type).toBe('tool-call');
    }
    expect(parts.filter((part) => part.type === 'text-delta')).toEqual([]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(lastSentBody().tools).toEqual(
      tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema })),
    );

    const toolCalls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []));
    fake.enqueue('anthropic', { text: 'Sunny, and it is noon.' });
    const followUp = await collectStream(
      model().stream({
        messages: [
          question,
          { role: 'assistant', content: '', toolCalls },
          {
            role: 'tool',
            results: [
              { toolCallId: toolCalls[0]?.id ?? '', name: 'get_weather', content: 'sunny' },
              { toolCallId: toolCalls[1]?.id ?? '', name: 'get_time', content: '12:00', isError: false },
            ],
          },
        ],
        tools,
      }),
    );
    expect(followUp).toMatchObject({ text: 'Sunny, and it is noon.', finishReason: 'stop', toolCalls: [] });
    expect(lastSentBody().messages).toEqual([
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        role: 'assistant',
        content: toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments })),
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: toolCalls[0]?.id, content: 'sunny', is_error: false },
          { type: 'tool_result', tool_use_id: toolCalls[1]?.id, content: '12:00', is_error: false },
        ],
      },
    ]);
  });

  it('generate() returns the same calls and finish reason as the stream', async () => {
    fake.enqueue('anthropic', { toolCalls: calls }, { toolCalls: calls });
    const streamed = await collectStream(model().stream({ messages: [question], tools }));
    const generated = await model().generate({ messages: [question], tools });
    const strip = (result: typeof streamed) => result.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }));
    expect(strip(generated)).toEqual(strip(streamed));
    expect(generated.finishReason).toBe(streamed.finishReason);
    expect(generated.text).toBe(streamed.text);
  });

  it('sends tool names with dots encoded, and hands calls back under the names the request used', async () => {
    fake.enqueue('anthropic', { toolCalls: [{ name: 'fs__read_file', arguments: { path: 'a.txt' } }] });
    const result = await collectStream(
      model().stream({
        messages: [question],
        tools: [{ name: 'fs.read_file', inputSchema: { type: 'object' } }],
        toolChoice: 'required',
      }),
    );
    expect(lastSentBody()).toMatchObject({ tools: [{ name: 'fs__read_file' }], tool_choice: { type: 'any' } });
    expect(result.toolCalls).toMatchObject([{ name: 'fs.read_file', arguments: { path: 'a.txt' } }]);
  });
});

describe('thinking before tool calls', () => {
  const tools: ToolDefinition[] = [{ name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const question: Message = { role: 'user', content: 'Weather in Paris?' };
  const reasoning = 'The user wants the weather; I will call the tool.';

  it('keeps the signed thinking with the first call, in stream and generate alike, and sends it back first in the follow-up', async () => {
    const scenario = { reasoning, toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
    fake.enqueue('anthropic', scenario, scenario);
    const request: ModelRequest = { messages: [question], tools, providerOptions: { anthropic: { thinking: { type: 'adaptive' } } } };
    const streamed = await collectStream(model().stream(request));
    const generated = await model().generate(request);
    const thinking = { type: 'thinking', thinking: reasoning, signature: expect.any(String) };
    for (const result of [streamed, generated]) {
      expect(result.reasoning).toBe(reasoning);
      expect(result.toolCalls).toEqual([
        {
          id: expect.any(String),
          name: 'get_weather',
          arguments: { city: 'Paris' },
          providerMetadata: { anthropic: { thinking: [thinking] } },
        },
      ]);
    }

    const [call] = streamed.toolCalls;
    await model().generate({
      ...request,
      messages: [
        question,
        { role: 'assistant', content: '', toolCalls: streamed.toolCalls },
        { role: 'tool', results: [{ toolCallId: call?.id ?? '', name: 'get_weather', content: 'sunny' }] },
      ],
    });
    expect((lastSentBody().messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [thinking, { type: 'tool_use', id: call?.id, name: 'get_weather', input: { city: 'Paris' } }],
    });
  });
});
