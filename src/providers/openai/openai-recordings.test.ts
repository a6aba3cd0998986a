// Every recorded OpenAI and DeepSeek exchange the layer can consume, replayed through the real SDK:
// the spec request is built from the recorded request's content, the request the adapter sends
// must have the recorded shape, and the recorded reply must come out as the expected parts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, type GenerateResult, type Message, type ModelRequest, type StreamPart, type ToolCall } from '../spec.js';
import { collect, type FakeProviders, fakeModel, lastRequestOf, startFakeProviders } from './openai-fake.test-support.js';
import { readRecordedJson, type RecordingVendor, readRecording } from './openai-recordings.test-support.js';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'deepseek'] });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => fake.reset());

/** What models.yaml gives DeepSeek (prov-core fills these); OpenAI runs on the adapter's defaults. */
const DEEPSEEK_CAPABILITIES = new Set(['tools', 'json_object_only', 'prompt_cache']);

type WireRecord = Record<string, unknown>;
type WireMessage = {
  role: string;
  content?: string | null | Array<Record<string, unknown>>;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
};

function recordedRequest(vendor: RecordingVendor, name: string): WireRecord {
  const meta = JSON.parse(readRecording(vendor, `${name}.meta.json`)) as { request: { body: WireRecord } };
  return meta.request.body;
}

/** A recorded chat-completions body as the spec request that should produce it. */
function specRequestFrom(body: WireRecord): ModelRequest {
  const messages: Message[] = [];
  const toolNames = new Map<string, string>();
  for (const message of body.messages as WireMessage[]) {
    if (message.role === 'system') messages.push({ role: 'system', content: message.content as string });
    else if (message.role === 'user') messages.push({ role: 'user', content: userContentFrom(message.content) });
    else if (message.role === 'assistant') {
      const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call) => {
        toolNames.set(call.id, call.function.name);
        return { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as Record<string, unknown> };
      });
      messages.push({
        role: 'assistant',
        content: (message.content as string | undefined) ?? '',
        ...(toolCalls.length ? { toolCalls } : {}),
      });
    } else if (message.role === 'tool') {
      const result = {
        toolCallId: message.tool_call_id as string,
        name: toolNames.get(message.tool_call_id as string) ?? '',
        content: message.content as string,
      };
      const previous = messages.at(-1);
      if (previous?.role === 'tool') previous.results.push(result);
      else messages.push({ role: 'tool', results: [result] });
    }
  }
  const request: ModelRequest = { messages };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === 'number') request.maxTokens = maxTokens;
  if (Array.isArray(body.tools)) {
    request.tools = (body.tools as Array<{ function: { name: string; description?: string; parameters: Record<string, unknown> } }>).map(
      ({ function: tool }) => ({
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: tool.parameters,
      }),
    );
  }
  const toolChoice = body.tool_choice as string | { function: { name: string } } | undefined;
  if (typeof toolChoice === 'string') request.toolChoice = toolChoice as 'auto' | 'none' | 'required';
  else if (toolChoice) request.toolChoice = { type: 'tool', name: toolChoice.function.name };
  const format = body.response_format as
    | { type: string; json_schema?: { name: string; schema: Record<string, unknown>; description?: string } }
    | undefined;
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' };
  if (format?.json_schema) {
    const { name, schema, description } = format.json_schema;
    request.responseFormat = { type: 'json', name, schema, ...(description ? { description } : {}) };
  }
  return request;
}

function userContentFrom(content: WireMessage['content']): Extract<Message, { role: 'user' }>['content'] {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text as string };
    if (part.type === 'image_url') {
      const url = (part.image_url as { url: string }).url;
      const inline = /^data:([^;]+);base64,(.*)$/.exec(url);
      return inline
        ? { type: 'image', mediaType: inline[1] as string, source: { type: 'bytes', data: Buffer.from(inline[2] as string, 'base64') } }
        : { type: 'image', mediaType: 'image/png', source: { type: 'url', url } };
    }
    const file = part.file as { file_data: string; filename: string };
    const data = Buffer.from(file.file_data.replace(/^data:application\/pdf;base64,/, ''), 'base64');
    return { type: 'document', mediaType: 'application/pdf', name: file.filename, source: { type: 'bytes', data } };
  });
}

/**
 * The fields of a request body the comparison looks at: roles, contents and content-part types,
 * tool-call ids, names and (parsed) arguments, tools, tool_choice, response_format, limits.
 * Echoed extras of the recording client (`annotations`, `parallel_tool_calls`, image `detail`)
 * are left out, as is an empty assistant content beside tool calls.
 */
function salient(body: WireRecord): WireRecord {
  const messages = (body.messages as WireMessage[]).map((message) => {
    const content = Array.isArray(message.content)
      ? message.content.map((part) =>
          part.type === 'image_url' ? { type: 'image_url', url: (part.image_url as { url: string }).url } : part,
        )
      : message.content;
    return {
      role: message.role,
      ...(content ? { content } : {}),
      ...(message.tool_calls
        ? {
            tool_calls: message.tool_calls.map((call) => ({
              id: call.id,
              type: call.type,
              name: call.function.name,
              arguments: JSON.parse(call.function.arguments) as unknown,
            })),
          }
        : {}),
      ...(message.tool_call_id ? { tool_call_id: message.tool_call_id } : {}),
    };
  });
  const fields = ['model', 'stream_options', 'tools', 'tool_choice', 'response_format', 'max_tokens', 'max_completion_tokens'];
  // The JS SDK leaves `stream` out of a non-streamed request where others send `false`.
  return {
    messages,
    stream: body.stream === true,
    ...Object.fromEntries(fields.filter((field) => field in body).map((field) => [field, body[field]])),
  };
}

interface Case {
  vendor: RecordingVendor;
  name: string;
  /** What the reply comes out as, in spec form. */
  check(result: GenerateResult): void;
}

const BOOK = { title: 'THE NAME OF THE WIND', author: { first_name: 'Patrick', last_name: 'Rothfuss' }, rating: 7 };
const openaiUsage = (inputTokens: number, outputTokens: number, cachedInputTokens = 0) => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
  reasoningTokens: 0,
});

const CASES: Case[] = [
  {
    vendor: 'openai',
    name: 'nonstream_parallel_tool_calls',
    check: (result) => {
      expect(result.toolCalls).toEqual([
        { id: 'call_SE0PTRjN6OKtlSByGkLyJjJ0', name: 'secret_retrieval_tool', arguments: { password: 'mellon' } },
        { id: 'call_BnLDrTOL0yoQU74ap3fIqIzm', name: 'secret_retrieval_tool', arguments: { password: 'radiance' } },
      ]);
      expect(result).toMatchObject({ text: '', finishReason: 'tool-calls', usage: openaiUsage(87, 53) });
    },
  },
  {
    vendor: 'openai',
    name: 'stream_parallel_tool_calls_include_usage',
    check: (result) => {
      expect(result.toolCalls).toEqual([
        { id: 'call_KfqqY0CqapxDWHLEiw251OiT', name: 'secret_retrieval_tool', arguments: { password: 'mellon' } },
        { id: 'call_y9ieKDj0XgZ0FXzBRGjVatj1', name: 'secret_retrieval_tool', arguments: { password: 'radiance' } },
      ]);
      expect(result).toMatchObject({ text: '', finishReason: 'tool-calls', usage: openaiUsage(87, 53) });
    },
  },
  ...(['nonstream_tool_choice_function', 'stream_tool_choice_function'] as const).map(
    (name): Case => ({
      vendor: 'openai',
      name,
      check: (result) => {
        // The wire says `stop`; a reply of tool calls ends in 'tool-calls' either way.
        expect(result.toolCalls).toEqual([
          { id: expect.stringMatching(/^call_/), name: '__mirascope_formatted_output_tool__', arguments: BOOK },
        ]);
        expect(result).toMatchObject({ finishReason: 'tool-calls', usage: openaiUsage(172, 29) });
      },
    }),
  ),
  {
    vendor: 'openai',
    name: 'nonstream_tool_result_followup',
    check: (result) => {
      expect(result.text).toContain('For "mellon": **Welcome to Moria!**');
      expect(result).toMatchObject({ toolCalls: [], finishReason: 'stop', usage: openaiUsage(161, 36) });
    },
  },
  {
    vendor: 'openai',
    name: 'stream_tool_result_followup',
    check: (result) => {
      expect(result.text).toMatch(/Welcome to Moria!.*Life before Death/s);
      expect(result).toMatchObject({ toolCalls: [], finishReason: 'stop' });
    },
  },
  ...(['nonstream_json_schema', 'stream_json_schema'] as const).map(
    (name): Case => ({
      vendor: 'openai',
      name,
      check: (result) => {
        expect(JSON.parse(result.text)).toEqual(BOOK);
        expect(result).toMatchObject({ toolCalls: [], finishReason: 'stop', usage: openaiUsage(172, 29) });
      },
    }),
  ),
  {
    vendor: 'openai',
    name: 'nonstream_cached_tokens',
    check: (result) => expect(result.usage).toEqual(openaiUsage(3663, 117, 3584)),
  },
  {
    vendor: 'openai',
    name: 'nonstream_image_base64',
    check: (result) =>
      expect(result).toMatchObject({
        text: 'The image shows a spherical logo representing Wikipedia, featuring puzzle pieces and various language characters.',
        finishReason: 'stop',
      }),
  },
  {
    vendor: 'openai',
    name: 'nonstream_image_url',
    check: (result) => expect(result.text).toBe('The image depicts a stylized globe made of puzzle pieces, representing Wikipedia.'),
  },
  {
    vendor: 'openai',
    name: 'nonstream_pdf_file',
    check: (result) => expect(result.text).toBe('The text in the PDF document is "Hello, world!"'),
  },
  {
    vendor: 'deepseek',
    name: 'nonstream_parallel_tool_calls',
    check: (result) => {
      expect(result.text).toBe('Let me look up both pieces of information for you!');
      expect(result.toolCalls).toEqual([
        { id: 'call_00_PY4jZerU5C9MoO3wQIwi1346', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } },
        { id: 'call_01_TyBfcy9ufcThybwyvzrZ6553', name: 'best_language_to_learn', arguments: {} },
      ]);
      expect(result).toMatchObject({ finishReason: 'tool-calls', usage: { inputTokens: 407, outputTokens: 94, cachedInputTokens: 0 } });
    },
  },
  {
    vendor: 'deepseek',
    name: 'stream_tool_calls_include_usage',
    check: (result) => {
      expect(result.toolCalls).toEqual([
        { id: 'call_00_MRi7F2sfOet5LgvlZL3W5236', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } },
      ]);
      expect(result).toMatchObject({ finishReason: 'tool-calls', usage: { inputTokens: 348, outputTokens: 65, cachedInputTokens: 0 } });
    },
  },
  {
    vendor: 'deepseek',
    name: 'nonstream_tool_choice_function',
    check: (result) => {
      expect(result.toolCalls).toEqual([
        { id: 'call_00_9zZbon5Xz9G75FUaggrW8241', name: 'weather', arguments: { latitude: '41.9028', longitude: '12.4964' } },
      ]);
      // DeepSeek's prompt_cache_hit_tokens.
      expect(result).toMatchObject({ finishReason: 'tool-calls', usage: { inputTokens: 343, outputTokens: 58, cachedInputTokens: 256 } });
    },
  },
  {
    vendor: 'deepseek',
    name: 'nonstream_tool_result_followup',
    check: (result) => {
      expect(result.text).toContain('**Best language to learn:** **Ruby**');
      expect(result).toMatchObject({ toolCalls: [], finishReason: 'stop', usage: { inputTokens: 547, cachedInputTokens: 384 } });
    },
  },
  {
    vendor: 'deepseek',
    name: 'stream_tool_result_followup',
    check: (result) => {
      expect(result.text).toMatch(/15°C/);
      expect(result).toMatchObject({ toolCalls: [], finishReason: 'stop' });
    },
  },
  {
    vendor: 'deepseek',
    name: 'nonstream_json_object',
    check: (result) => {
      expect(JSON.parse(result.text)).toEqual({ result: 8 });
      expect(result.finishReason).toBe('stop');
    },
  },
];

/** Each tool call's parts come in order: start, deltas whose text is its arguments, then the call. */
function expectToolCallOrder(parts: StreamPart[]): void {
  for (const call of parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []))) {
    const start = parts.findIndex((part) => part.type === 'tool-call-start' && part.id === call.id);
    const end = parts.findIndex((part) => part.type === 'tool-call' && part.toolCall.id === call.id);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(start).toBeLessThan(end);
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' && part.id === call.id ? [part.argumentsDelta] : []));
    expect(JSON.parse(deltas.join('') || '{}')).toEqual(call.arguments);
  }
  expect(parts.at(-1)?.type).toBe('finish');
}

describe.each(CASES)('$vendor/$name', ({ vendor, name, check }) => {
  const streamed = name.startsWith('stream_');
  const provider = vendor;
  const recorded = recordedRequest(vendor, name);
  const request = specRequestFrom(recorded);
  const model = () =>
    fakeModel(fake, provider, {
      modelId: recorded.model as string,
      ...(vendor === 'deepseek' ? { capabilities: DEEPSEEK_CAPABILITIES } : {}),
    });

  it('sends the recorded request shape and reads the recorded reply', async () => {
    fake.enqueue(provider, { replay: name });
    let result: GenerateResult;
    if (streamed) {
      const parts = await collect(model().stream(request));
      expectToolCallOrder(parts);
      result = await collectStream(
        (async function* () {
          yield* parts;
        })(),
      );
    } else {
      result = await model().generate(request);
    }
    check(result);
    expect(result.warnings).toEqual([]);
    expect(salient(lastRequestOf(fake, provider).body)).toEqual(salient(recorded));
  });
});

describe('the recorded stream of parallel tool calls, part by part', () => {
  it('names each call, streams its argument fragments as they came, and finishes it before the next begins', async () => {
    fake.enqueue('openai', { replay: 'stream_parallel_tool_calls_include_usage' });
    const request = specRequestFrom(recordedRequest('openai', 'stream_parallel_tool_calls_include_usage'));
    const parts = await collect(fakeModel(fake, 'openai').stream(request));
    const first = 'call_KfqqY0CqapxDWHLEiw251OiT';
    expect(parts.slice(0, 6)).toEqual([
      { type: 'tool-call-start', id: first, name: 'secret_retrieval_tool' },
      { type: 'tool-call-delta', id: first, argumentsDelta: '{"pa' },
      { type: 'tool-call-delta', id: first, argumentsDelta: 'sswor' },
      { type: 'tool-call-delta', id: first, argumentsDelta: 'd": "m' },
      { type: 'tool-call-delta', id: first, argumentsDelta: 'ello' },
      { type: 'tool-call-delta', id: first, argumentsDelta: 'n"}' },
    ]);
    // The second call's first chunk finishes the first call.
    expect(parts[6]).toEqual({
      type: 'tool-call',
      toolCall: { id: first, name: 'secret_retrieval_tool', arguments: { password: 'mellon' } },
    });
    expect(parts[7]).toEqual({ type: 'tool-call-start', id: 'call_y9ieKDj0XgZ0FXzBRGjVatj1', name: 'secret_retrieval_tool' });
    expect(parts.map((part) => part.type).slice(-3)).toEqual(['tool-call-delta', 'tool-call', 'finish']);
  });
});

/** The model's `embed`, which the OpenAI adapter always has. */
function embedderFor(modelId: string) {
  const model = fakeModel(fake, 'openai', { modelId });
  if (!model.embed) throw new Error('the OpenAI adapter has no embed()');
  return model.embed.bind(model);
}

async function listModelsOf(provider: 'openai' | 'deepseek') {
  const model = fakeModel(fake, provider);
  if (!model.listModels) throw new Error('the OpenAI adapter has no listModels()');
  return model.listModels();
}

describe('embeddings through the real SDK', () => {
  it('reads float arrays (embeddings), though the adapter asked for base64', async () => {
    fake.enqueue('openai', { replay: 'embeddings' });
    const result = await embedderFor('text-embedding-3-small')(["Ruby is a programmer's best friend"]);
    const recorded = readRecordedJson('openai', 'embeddings.json') as { data: Array<{ embedding: number[] }> };
    expect(result.embeddings).toEqual([recorded.data[0]?.embedding]);
    expect(result).toMatchObject({ usage: { inputTokens: 7 }, responseModel: 'text-embedding-3-small' });
    expect(lastRequestOf(fake, 'openai').body).toEqual({
      model: 'text-embedding-3-small',
      input: "Ruby is a programmer's best friend",
      encoding_format: 'base64',
    });
  });

  it('asks for shorter vectors and keeps them in input order (embeddings_multi_dimensions)', async () => {
    fake.enqueue('openai', { replay: 'embeddings_multi_dimensions' });
    const result = await embedderFor('text-embedding-3-small')(['Ruby', 'Python', 'JavaScript'], {
      dimensions: 768,
    });
    expect(result.embeddings.map((vector) => vector.length)).toEqual([768, 768, 768]);
    expect(result.usage).toEqual({ inputTokens: 3 });
    expect(lastRequestOf(fake, 'openai').body).toMatchObject({ input: ['Ruby', 'Python', 'JavaScript'], dimensions: 768 });
  });

  it('decodes base64 little-endian float32 vectors (embeddings_base64)', async () => {
    fake.enqueue('openai', { replay: 'embeddings_base64' });
    const result = await embedderFor('text-embedding-ada-002')(['Tell me a joke about opentelemetry']);
    const recorded = readRecordedJson('openai', 'embeddings_base64.json') as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(recorded.data[0]?.embedding ?? '', 'base64');
    const expected = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(result.embeddings).toEqual([expected]);
    expect(expected).toHaveLength(1536);
  });

  it('nothing to embed sends nothing', async () => {
    expect(await embedderFor('text-embedding-3-small')([])).toEqual({ embeddings: [], usage: undefined });
    expect(fake.requestsFor('openai')).toHaveLength(0);
  });

  it('the fake answers in either format with the same vectors', async () => {
    const vectors = [
      [0.5, -0.25, 0.125],
      [1, 0, -1],
    ];
    fake.enqueue('openai', { embeddings: vectors });
    const result = await embedderFor('text-embedding-3-small')(['a', 'b']);
    expect(result.embeddings).toEqual(vectors);
  });
});

describe('model lists through the real SDK', () => {
  it('OpenAI: the recorded list, with creation dates', async () => {
    const models = await listModelsOf('openai');
    expect(models[0]).toEqual({ id: 'gpt-4-0613', createdAt: new Date(1686588896 * 1000).toISOString() });
    const recorded = readRecordedJson('openai', 'models_list.json') as { data: Array<{ id: string }> };
    expect(models.map((model) => model.id)).toEqual(recorded.data.map((model) => model.id));
    expect(lastRequestOf(fake, 'openai')).toMatchObject({ method: 'GET', path: '/v1/models' });
  });

  it('DeepSeek: ids only, from /models without /v1', async () => {
    expect(await listModelsOf('deepseek')).toEqual([{ id: 'deepseek-chat' }, { id: 'deepseek-reasoner' }]);
    expect(lastRequestOf(fake, 'deepseek')).toMatchObject({ method: 'GET', path: '/models' });
  });
});
