import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server.mjs';
import {
  collectStream,
  type LanguageModel,
  type Message,
  type ModelRequest,
  ProviderError,
  type StreamPart,
  type ToolDefinition,
} from '../spec.js';
import { createModel } from './index.js';

// Tool calls, results and structured output through the real SDK against the fake Mistral's
// scenarios (test/fake-providers/mistral.mjs builds them from the recorded frames).

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

function model(): LanguageModel {
  return createModel({
    provider: 'mistral',
    modelId: 'mistral-small-latest',
    apiKey: 'mistral-test-key-5f3c9a7e1d2b4c6a',
    baseURL: fake.baseURLs.mistral,
  });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const TOOLS: ToolDefinition[] = [
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

const QUESTION: ModelRequest = { messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: TOOLS };

const CALLS = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
];

/** The parts without ids (the fake makes them up), to compare shapes. */
function withoutIds(parts: StreamPart[]) {
  return parts.map((part) => {
    if (part.type === 'tool-call-start' || part.type === 'tool-call-delta') return { ...part, id: '*' };
    if (part.type === 'tool-call') return { ...part, toolCall: { ...part.toolCall, id: '*' } };
    if (part.type === 'finish') return { type: part.type, finishReason: part.finishReason };
    return part;
  });
}

describe('the common scenario: two parallel calls, their results, then text', () => {
  it('streams each call as start, delta, parsed call; finish tool-calls; the follow-up gets the text', async () => {
    fake.enqueue('mistral', { toolCalls: CALLS }, { text: 'Sunny, and it is noon.' });
    const parts = await collect(model().stream(QUESTION));
    expect(withoutIds(parts)).toEqual([
      { type: 'tool-call-start', id: '*', name: 'get_weather' },
      { type: 'tool-call-delta', id: '*', argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call', toolCall: { id: '*', name: 'get_weather', arguments: { city: 'Paris' } } },
      { type: 'tool-call-start', id: '*', name: 'get_time' },
      { type: 'tool-call-delta', id: '*', argumentsDelta: '{"zone":"Europe/Paris"}' },
      { type: 'tool-call', toolCall: { id: '*', name: 'get_time', arguments: { zone: 'Europe/Paris' } } },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []));
    // Every part of one call carries the id of that call.
    for (const call of calls) {
      expect(
        parts.filter((part) => (part.type === 'tool-call-start' || part.type === 'tool-call-delta') && part.id === call.id),
      ).toHaveLength(2);
    }
    expect(calls.map((call) => call.id)).toEqual([expect.stringMatching(/^[A-Za-z0-9]{9}$/), expect.stringMatching(/^[A-Za-z0-9]{9}$/)]);

    const followUp: Message[] = [
      ...QUESTION.messages,
      { role: 'assistant', content: '', toolCalls: calls },
      {
        role: 'tool',
        results: [
          { toolCallId: calls[0]?.id ?? '', name: 'get_weather', content: 'Sunny, 21 °C' },
          { toolCallId: calls[1]?.id ?? '', name: 'get_time', content: '12:00' },
        ],
      },
    ];
    const answer = await collect(model().stream({ ...QUESTION, messages: followUp }));
    expect(
      answer
        .filter((part) => part.type === 'text-delta')
        .map((part) => part.text)
        .join(''),
    ).toBe('Sunny, and it is noon.');
    expect(answer.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });

    const sent = fake.requestsFor('mistral')[1]?.body;
    expect(sent.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: calls.map((call, index) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          index,
        })),
        prefix: false,
      },
      { role: 'tool', content: 'Sunny, 21 °C', tool_call_id: calls[0]?.id, name: 'get_weather' },
      { role: 'tool', content: '12:00', tool_call_id: calls[1]?.id, name: 'get_time' },
    ]);
  });

  it('generate() returns the same calls and finish reason, and the follow-up text', async () => {
    fake.enqueue('mistral', { toolCalls: CALLS }, { text: 'Sunny, and it is noon.' });
    const result = await model().generate(QUESTION);
    expect(result.toolCalls.map(({ name, arguments: input }) => ({ name, arguments: input }))).toEqual(CALLS);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.text).toBe('');
    const followUp = await model().generate({
      ...QUESTION,
      messages: [
        ...QUESTION.messages,
        { role: 'assistant', content: '', toolCalls: result.toolCalls },
        {
          role: 'tool',
          results: result.toolCalls.map((call) => ({ toolCallId: call.id, name: call.name, content: 'done' })),
        },
      ],
    });
    expect(followUp).toMatchObject({ text: 'Sunny, and it is noon.', toolCalls: [], finishReason: 'stop' });
  });

  it('stream and generate agree on the same scenario', async () => {
    fake.enqueue('mistral', { toolCalls: CALLS }, { toolCalls: CALLS });
    const streamed = await collectStream(model().stream(QUESTION));
    const generated = await model().generate(QUESTION);
    const shape = (result: typeof streamed) => ({
      text: result.text,
      finishReason: result.finishReason,
      toolCalls: result.toolCalls.map(({ name, arguments: input }) => ({ name, arguments: input })),
    });
    expect(shape(streamed)).toEqual(shape(generated));
  });
});

describe('tool names and choices', () => {
  it('encodes dotted names for the wire and decodes them in the reply, in both modes', async () => {
    const tools: ToolDefinition[] = [{ name: 'fs.read_file', inputSchema: { type: 'object', properties: {} } }];
    fake.enqueue(
      'mistral',
      { toolCalls: [{ name: 'fs__read_file', arguments: {} }] },
      { toolCalls: [{ name: 'fs__read_file', arguments: {} }] },
    );
    const request: ModelRequest = {
      messages: [{ role: 'user', content: 'Read it' }],
      tools,
      toolChoice: { type: 'tool', name: 'fs.read_file' },
    };
    const streamed = await collectStream(model().stream(request));
    const generated = await model().generate(request);
    expect(streamed.toolCalls.map((call) => call.name)).toEqual(['fs.read_file']);
    expect(generated.toolCalls).toEqual([{ id: expect.any(String), name: 'fs.read_file', arguments: {} }]);
    const sent = fake.requestsFor('mistral')[0]?.body;
    expect(sent.tools).toEqual([{ type: 'function', function: { name: 'fs__read_file', parameters: { type: 'object', properties: {} } } }]);
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'fs__read_file' } });
  });

  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'any'],
  ] as const)('tool choice %s goes as %s', async (choice, wire) => {
    await model().generate({ ...QUESTION, toolChoice: choice });
    expect(fake.requestsFor('mistral')[0]?.body.tool_choice).toBe(wire);
  });
});

describe('structured output', () => {
  it('a schema goes as json_schema in both modes; the reply is the text', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } } };
    fake.enqueue('mistral', { text: '{"answer": 4}' }, { text: '{"answer": 4}' });
    const request: ModelRequest = {
      messages: [{ role: 'user', content: '2 + 2?' }],
      responseFormat: { type: 'json', schema, name: 'sum' },
    };
    expect((await collectStream(model().stream(request))).text).toBe('{"answer": 4}');
    expect((await model().generate(request)).text).toBe('{"answer": 4}');
    for (const sent of fake.requestsFor('mistral')) {
      expect(sent.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'sum', schema, strict: true } });
    }
  });

  it('a model that only has json_object gets the schema in the prompt and a warning', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } } };
    const jsonOnly = createModel({
      provider: 'work',
      modelId: 'mistral-small-latest',
      apiKey: 'mistral-test-key-5f3c9a7e1d2b4c6a',
      baseURL: fake.baseURLs.mistral,
      capabilities: new Set(['json_object_only']),
    });
    const result = await jsonOnly.generate({ messages: [{ role: 'user', content: '2 + 2?' }], responseFormat: { type: 'json', schema } });
    expect(result.warnings).toEqual([{ type: 'unsupported', provider: 'work', feature: 'JSON schemas', details: expect.any(String) }]);
    const sent = fake.requestsFor('mistral')[0]?.body;
    expect(sent.response_format).toEqual({ type: 'json_object' });
    expect(sent.messages[0]).toEqual({ role: 'system', content: expect.stringContaining(JSON.stringify(schema)) });
  });
});

describe('embeddings', () => {
  it('one vector per text in input order, shorter when dimensions are asked for', async () => {
    const embedder = createModel({
      provider: 'mistral',
      modelId: 'codestral-embed',
      apiKey: 'mistral-test-key-5f3c9a7e1d2b4c6a',
      baseURL: fake.baseURLs.mistral,
    });
    const result = await embedder.embed?.(['one', 'two'], { dimensions: 8 });
    expect(result?.embeddings.map((vector) => vector.length)).toEqual([8, 8]);
    expect(result?.embeddings[0]).not.toEqual(result?.embeddings[1]);
    expect(result?.responseModel).toBe('codestral-embed');
    expect(fake.requestsFor('mistral')[0]?.body).toEqual({ model: 'codestral-embed', input: ['one', 'two'], output_dimension: 8 });
  });

  it('a rejected key is a ProviderError, as for chat', async () => {
    fake.enqueue('mistral', { error: { status: 401 } });
    await expect(model().embed?.(['one'])).rejects.toBeInstanceOf(ProviderError);
  });
});
