import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server.mjs';
import { collectStream, type LanguageModel, type Message, type ModelRequest, type StreamPart, type ToolDefinition } from '../spec.js';
import { createModel } from './index.js';

// Every Mistral recording the layer can consume, replayed verbatim by the fake through the real
// SDK, and the request the adapter sends for each recorded scenario compared with the recorded one.

const recordings = new URL('../../../test/fake-providers/recordings/mistral/', import.meta.url);

interface RecordedBody {
  model: string;
  messages: Array<{ role: string; content: unknown; tool_calls?: WireCall[]; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters: Record<string, unknown> } }>;
  tool_choice?: unknown;
  response_format?: unknown;
  reasoning_effort?: string;
  input?: string[];
}

interface WireCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

function recordedRequest(name: string): RecordedBody {
  return JSON.parse(readFileSync(new URL(`${name}.meta.json`, recordings), 'utf8')).request.body;
}

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

function model(modelId = 'mistral-small-latest'): LanguageModel {
  return createModel({ provider: 'mistral', modelId, apiKey: 'mistral-test-key-5f3c9a7e1d2b4c6a', baseURL: fake.baseURLs.mistral });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

/** The body the adapter sent, as the fake received it. */
function sentBody(): RecordedBody {
  const [request] = fake.requestsFor('mistral');
  if (request === undefined) throw new Error('the adapter sent nothing');
  return request.body;
}

/** Our request built from a recorded one: its user/assistant/tool messages and its tools. */
function requestFrom(recorded: RecordedBody): ModelRequest {
  const tools: ToolDefinition[] | undefined = recorded.tools?.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
    inputSchema: tool.function.parameters,
  }));
  const messages: Message[] = [];
  for (const message of recorded.messages) {
    if (message.role === 'user' && typeof message.content === 'string') messages.push({ role: 'user', content: message.content });
    else if (message.role === 'assistant') {
      messages.push({
        role: 'assistant',
        content: String(message.content ?? ''),
        toolCalls: (message.tool_calls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: JSON.parse(call.function.arguments),
        })),
      });
    } else if (message.role === 'tool') {
      const call = recorded.messages
        .flatMap((candidate) => candidate.tool_calls ?? [])
        .find((candidate) => candidate.id === message.tool_call_id);
      messages.push({
        role: 'tool',
        results: [{ toolCallId: String(message.tool_call_id), name: call?.function.name ?? '', content: String(message.content) }],
      });
    }
  }
  return { messages, ...(tools === undefined ? {} : { tools }) };
}

/** The salient fields of a chat body: roles, contents, tool calls (arguments parsed), tool answers, tools. */
function salient(body: RecordedBody) {
  return {
    model: body.model,
    messages: body.messages.map((message) => ({
      role: message.role,
      content: message.content,
      ...(message.tool_calls
        ? {
            tool_calls: message.tool_calls.map((call) => ({
              id: call.id,
              type: call.type,
              name: call.function.name,
              arguments: JSON.parse(call.function.arguments),
            })),
          }
        : {}),
      ...(message.tool_call_id === undefined ? {} : { tool_call_id: message.tool_call_id }),
    })),
    tools: body.tools,
    tool_choice: body.tool_choice,
    response_format: body.response_format,
  };
}

describe('Mistral recordings replayed through the SDK', () => {
  it('stream_text: text deltas, then finish with usage, model and request id', async () => {
    fake.enqueue('mistral', { replay: 'stream_text' });
    const parts = await collect(model().stream({ messages: [{ role: 'user', content: 'Count from 1 to 3' }] }));
    expect(parts).toEqual([
      { type: 'text-delta', text: '1' },
      { type: 'text-delta', text: ', 2,' },
      { type: 'text-delta', text: ' 3' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 22, outputTokens: 8, cachedInputTokens: 0 },
        responseModel: 'mistral-small-latest',
        requestId: '01a01a71-c9a3-7d9c-81a7-9f4a773e4bcb',
      },
    ]);
  });

  it('nonstream_text: the text, finish stop, usage', async () => {
    fake.enqueue('mistral', { replay: 'nonstream_text' });
    const result = await model().generate({ messages: [{ role: 'user', content: "What's 2 + 2?" }] });
    expect(result).toMatchObject({
      text: '2 + 2 equals **4**.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 23, outputTokens: 9, cachedInputTokens: 0 },
    });
  });

  it('stream_tool_calls: a whole call in one delta → start, one delta, the parsed call, finish tool-calls with cached tokens', async () => {
    const recorded = recordedRequest('stream_tool_calls');
    fake.enqueue('mistral', { replay: 'stream_tool_calls' });
    const parts = await collect(model().stream(requestFrom(recorded)));
    expect(parts).toEqual([
      { type: 'tool-call-start', id: 'g6fVbXS8K', name: 'weather' },
      { type: 'tool-call-delta', id: 'g6fVbXS8K', argumentsDelta: '{"latitude": "52.5200", "longitude": "13.4050"}' },
      { type: 'tool-call', toolCall: { id: 'g6fVbXS8K', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } } },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        usage: { inputTokens: 159, outputTokens: 28, cachedInputTokens: 128 },
        responseModel: 'mistral-small-latest',
        requestId: '01a01a73-9727-72c4-aa1d-83eccb11655f',
      },
    ]);
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_tool_calls: the call with its 9-character id and parsed arguments; the tools sent as recorded', async () => {
    const recorded = recordedRequest('nonstream_tool_calls');
    fake.enqueue('mistral', { replay: 'nonstream_tool_calls' });
    const result = await model().generate(requestFrom(recorded));
    expect(result).toMatchObject({
      text: '',
      toolCalls: [{ id: 'bAyGEuxg1', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 159, outputTokens: 28, cachedInputTokens: 0 },
    });
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_parallel_tool_calls: two calls in order, "{}" parsed as no arguments', async () => {
    const recorded = recordedRequest('nonstream_parallel_tool_calls');
    fake.enqueue('mistral', { replay: 'nonstream_parallel_tool_calls' });
    const result = await model().generate(requestFrom(recorded));
    expect(result.toolCalls).toEqual([
      { id: 'wyFNfgjhN', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } },
      { id: '5K7IOShCC', name: 'best_language_to_learn', arguments: {} },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_tool_choice_function: a named tool choice goes as {type: function, function: {name}}', async () => {
    const recorded = recordedRequest('nonstream_tool_choice_function');
    fake.enqueue('mistral', { replay: 'nonstream_tool_choice_function' });
    const result = await model().generate({ ...requestFrom(recorded), toolChoice: { type: 'tool', name: 'weather' } });
    expect(result.toolCalls).toEqual([{ id: 'uNfcQGgtW', name: 'weather', arguments: { latitude: '41.9028', longitude: '12.4964' } }]);
    expect(result.usage).toEqual({ inputTokens: 144, outputTokens: 28, cachedInputTokens: 112 });
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_tool_result_followup: the assistant’s calls and a role-tool answer per result, then the text', async () => {
    const recorded = recordedRequest('nonstream_tool_result_followup');
    fake.enqueue('mistral', { replay: 'nonstream_tool_result_followup' });
    const result = await model().generate(requestFrom(recorded));
    expect(result).toMatchObject({
      text: 'The current weather in Berlin is **15°C** with a wind speed of **10 km/h**.',
      toolCalls: [],
      finishReason: 'stop',
    });
    const sent = sentBody();
    expect(salient(sent)).toEqual(salient(recorded));
    // Beyond the recording (a Faraday client that left it out): the tool's name, which Mistral accepts.
    expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'bAyGEuxg1', name: 'weather' });
  });

  it('stream_tool_result_followup: the same round trip streamed, cached tokens on the last chunk', async () => {
    const recorded = recordedRequest('stream_tool_result_followup');
    fake.enqueue('mistral', { replay: 'stream_tool_result_followup' });
    const result = await collectStream(model().stream(requestFrom(recorded)));
    expect(result).toMatchObject({
      text: 'The current weather in Berlin at coordinates (52.5200, 13.4050) is **15°C** with a wind speed of **10 km/h**.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 222, outputTokens: 43, cachedInputTokens: 192 },
    });
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('stream_thinking_content_chunks: thinking parts become reasoning, the rest text', async () => {
    const recorded = recordedRequest('stream_thinking_content_chunks');
    fake.enqueue('mistral', { replay: 'stream_thinking_content_chunks' });
    const result = await collectStream(
      model().stream({ ...requestFrom(recorded), providerOptions: { mistral: { reasoningEffort: 'high' } } }),
    );
    expect(result.reasoning).toBe(
      'The user is asking for the product of 12 multiplied by 12. I know that 12 times 12 is a basic multiplication fact. Let me calculate it:\n\n12 * 12 = 144\n\nSo, the answer is 144.',
    );
    expect(result.text).toBe('144');
    expect(result.usage).toEqual({ inputTokens: 31, outputTokens: 66, cachedInputTokens: 0 });
    expect(sentBody().reasoning_effort).toBe('high');
  });

  it('nonstream_json_schema: response_format json_schema with name, schema and strict; the JSON as text', async () => {
    const recorded = recordedRequest('nonstream_json_schema');
    const format = recorded.response_format as { json_schema: { name: string; schema: Record<string, unknown> } };
    fake.enqueue('mistral', { replay: 'nonstream_json_schema' });
    const result = await model().generate({
      ...requestFrom(recorded),
      responseFormat: { type: 'json', schema: format.json_schema.schema, name: format.json_schema.name },
    });
    expect(JSON.parse(result.text)).toEqual({ name: 'Bob', age: 30 });
    expect(result.finishReason).toBe('stop');
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_json_object: JSON without a schema is json_object', async () => {
    const recorded = recordedRequest('nonstream_json_object');
    fake.enqueue('mistral', { replay: 'nonstream_json_object' });
    const result = await model().generate({ ...requestFrom(recorded), responseFormat: { type: 'json' } });
    expect(JSON.parse(result.text)).toEqual({ result: 8 });
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('nonstream_image_base64: image bytes go as an image_url data URL string, after the text', async () => {
    const recorded = recordedRequest('nonstream_image_base64');
    const [text, image] = (recorded.messages[0] ?? { content: [] }).content as [{ text: string }, { image_url: string }];
    const base64 = image.image_url.slice('data:image/png;base64,'.length);
    fake.enqueue('mistral', { replay: 'nonstream_image_base64' });
    const result = await model('pixtral-12b').generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: text.text },
            { type: 'image', mediaType: 'image/png', source: { type: 'bytes', data: Buffer.from(base64, 'base64') } },
          ],
        },
      ],
    });
    expect(result.text).toMatch(/^The image displays a red, faceted gemstone\./);
    // As recorded: the answer names another model than the one asked for.
    expect(result.responseModel).toBe('ministral-14b-latest');
    expect(salient(sentBody())).toEqual(salient(recorded));
  });

  it('embeddings: one 1024-float vector per input, in order, with usage and model', async () => {
    const recorded = recordedRequest('embeddings');
    fake.enqueue('mistral', { replay: 'embeddings' });
    const embedder = model('mistral-embed');
    const result = await embedder.embed?.(recorded.input ?? []);
    expect(result?.embeddings).toHaveLength(3);
    expect(result?.embeddings.map((vector) => vector.length)).toEqual([1024, 1024, 1024]);
    expect(result?.embeddings[0]?.slice(0, 2)).toEqual([-0.034271240234375, 0.004253387451171875]);
    expect(result?.usage).toEqual({ inputTokens: 9 });
    expect(result?.responseModel).toBe('mistral-embed');
    expect(sentBody()).toEqual(recorded);
  });

  it('models_list: every model with its context window and creation date', async () => {
    fake.enqueue('mistral', { replay: 'models_list' });
    const models = (await model().listModels?.()) ?? [];
    expect(models).toHaveLength(57);
    expect(models[0]).toEqual({ id: 'mistral-medium-2505', createdAt: '2026-02-10T09:45:37.000Z', contextWindow: 131072 });
    expect(models.map((entry) => entry.id)).toContain('mistral-small-latest');
    const [request] = fake.requestsFor('mistral');
    expect([request?.method, request?.path]).toEqual(['GET', '/v1/models']);
  });
});
