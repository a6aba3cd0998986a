// The scenario every vendor must play identically: a reply with two parallel tool calls, their
// results sent back, then text. Driven through the real SDK against the fake's OpenAI, DeepSeek
// and generic compatible servers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest, StreamPart, ToolCall } from '../spec.js';
import { collect, type FakeProviders, fakeModel, lastRequestOf, PROVIDERS, startFakeProviders } from './openai-fake.test-support.js';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: PROVIDERS });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => fake.reset());

const TOOL_CALLS = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
];
const request: ModelRequest = {
  messages: [{ role: 'user', content: 'What is the weather and the time in Paris?' }],
  tools: [
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
  ],
};
const REPLY = 'It is sunny in Paris, and 14:00.';

/** The parts with ids replaced by the call's position, as the cross-vendor comparison sees them. */
function normalised(parts: StreamPart[]): unknown[] {
  const ids: string[] = [];
  const position = (id: string) => {
    if (!ids.includes(id)) ids.push(id);
    return ids.indexOf(id);
  };
  return parts.flatMap((part): unknown[] => {
    switch (part.type) {
      case 'tool-call-start':
        return [{ type: part.type, call: position(part.id), name: part.name }];
      case 'tool-call-delta':
        return [];
      case 'tool-call':
        return [{ type: part.type, call: position(part.toolCall.id), name: part.toolCall.name, arguments: part.toolCall.arguments }];
      case 'finish':
        return [{ type: part.type, finishReason: part.finishReason }];
      default:
        return [{ type: part.type }];
    }
  });
}

describe.each(PROVIDERS)('%s: two parallel tool calls, their results, then text', (provider) => {
  it('streams a start, argument deltas and a finished call for each, then finish tool-calls', async () => {
    fake.enqueue(provider, { toolCalls: TOOL_CALLS });
    const parts = await collect(fakeModel(fake, provider).stream(request));

    expect(normalised(parts)).toEqual([
      { type: 'tool-call-start', call: 0, name: 'get_weather' },
      { type: 'tool-call', call: 0, name: 'get_weather', arguments: { city: 'Paris' } },
      { type: 'tool-call-start', call: 1, name: 'get_time' },
      { type: 'tool-call', call: 1, name: 'get_time', arguments: { zone: 'Europe/Paris' } },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    for (const [index, call] of TOOL_CALLS.entries()) {
      const start = parts.filter((part) => part.type === 'tool-call-start')[index];
      const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' && part.id === start?.id ? [part.argumentsDelta] : []));
      expect(JSON.parse(deltas.join(''))).toEqual(call.arguments);
    }
    expect(lastRequestOf(fake, provider).body.tools).toEqual(
      request.tools?.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      })),
    );
  });

  it('generate() returns the same calls and finish reason', async () => {
    fake.enqueue(provider, { toolCalls: TOOL_CALLS });
    const result = await fakeModel(fake, provider).generate(request);
    expect(result.toolCalls.map(({ name, arguments: input }) => ({ name, arguments: input }))).toEqual(TOOL_CALLS);
    expect(result).toMatchObject({ text: '', finishReason: 'tool-calls' });
  });

  it('sends the calls and one tool message per result back, and gets text with finish stop', async () => {
    fake.enqueue(provider, { toolCalls: TOOL_CALLS });
    const calls: ToolCall[] = (await fakeModel(fake, provider).generate(request)).toolCalls;
    const followUp: ModelRequest = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: '', toolCalls: calls },
        {
          role: 'tool',
          results: [
            { toolCallId: calls[0]?.id ?? '', name: 'get_weather', content: 'sunny, 21°C' },
            { toolCallId: calls[1]?.id ?? '', name: 'get_time', content: '14:00' },
          ],
        },
      ],
    };

    fake.enqueue(provider, { text: REPLY });
    const parts = await collect(fakeModel(fake, provider).stream(followUp));
    expect(parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('')).toBe(REPLY);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });

    expect(lastRequestOf(fake, provider).body.messages).toEqual([
      { role: 'user', content: 'What is the weather and the time in Paris?' },
      {
        role: 'assistant',
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      },
      { role: 'tool', tool_call_id: calls[0]?.id, content: 'sunny, 21°C' },
      { role: 'tool', tool_call_id: calls[1]?.id, content: '14:00' },
    ]);

    fake.enqueue(provider, { text: REPLY });
    expect(await fakeModel(fake, provider).generate(followUp)).toMatchObject({ text: REPLY, toolCalls: [], finishReason: 'stop' });
  });
});

describe('tool names the vendor refuses', () => {
  it('go out encoded and come back as the request named them', async () => {
    fake.enqueue('openai', { toolCalls: [{ name: 'fs__read_file', arguments: { path: 'a.txt' } }] });
    const parts = await collect(
      fakeModel(fake, 'openai').stream({
        messages: [{ role: 'user', content: 'Read a.txt' }],
        tools: [{ name: 'fs.read_file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
        toolChoice: { type: 'tool', name: 'fs.read_file' },
      }),
    );
    expect(parts.find((part) => part.type === 'tool-call-start')).toMatchObject({ name: 'fs.read_file' });
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      toolCall: { name: 'fs.read_file', arguments: { path: 'a.txt' } },
    });
    expect(lastRequestOf(fake, 'openai').body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'fs__read_file' } }],
      tool_choice: { type: 'function', function: { name: 'fs__read_file' } },
    });
  });
});
