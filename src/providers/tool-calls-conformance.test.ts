// One scenario, every vendor: a reply with two parallel tool calls, their results sent back, then
// text. Through each vendor's real SDK against the fake providers (which answer a `toolCalls`
// scenario in the vendor's recorded shape), the normalised parts must be identical: the calls'
// names and parsed arguments in order, the argument text the deltas carried, the finish reasons,
// and the final text. Vendor-specific ids and the way a vendor splits argument text are not part
// of the comparison; everything a caller acts on is.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../config/catalog.js';
import { packageRoot } from '../config/paths.js';
import { parseYaml } from '../config/yaml-file.js';
import { createLanguageModel, resolveModelRef } from './registry.js';
import type { GenerateResult, LanguageModel, Message, ModelRequest, StreamPart, ToolCall, ToolDefinition } from './spec.js';

interface FakeProviders {
  baseURLs: Record<string, string>;
  enqueue(provider: string, ...scenarios: object[]): void;
  reset(): void;
  close(): Promise<void>;
}
const fakeServerPath = fileURLToPath(new URL('../../test/fake-providers/server.mjs', import.meta.url));
const { startFakeProviders } = (await import(fakeServerPath)) as {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
};

/** The vendors whose fakes answer the `toolCalls` scenario. */
const VENDORS = [
  { provider: 'anthropic', model: 'claude-haiku-4-5' },
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'gemini', model: 'gemini-2.5-flash' },
  { provider: 'mistral', model: 'mistral-small-latest' },
  { provider: 'deepseek', model: 'deepseek-chat' },
] as const;

const CALLS = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'get_time', arguments: { zone: 'Europe/Paris' } },
];
const FINAL_TEXT = 'In Paris it is sunny, and the time is 14:00.';

const question: Message = { role: 'user', content: 'What is the weather and the time in Paris?' };
const tools: ToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  {
    name: 'get_time',
    description: 'The current time in a time zone',
    inputSchema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
  },
];

let fake: FakeProviders;
const catalog = buildCatalog([parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8'))]);

beforeAll(async () => {
  fake = await startFakeProviders({ providers: VENDORS.map((vendor) => vendor.provider) });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

async function modelFor(provider: string, model: string): Promise<LanguageModel> {
  const env = { [`${provider.toUpperCase()}_BASE_URL`]: fake.baseURLs[provider] };
  return createLanguageModel(resolveModelRef(catalog, `${provider}:${model}`), { apiKey: 'sk-conformance-0123456789', env });
}

interface NormalisedStep {
  calls: { name: string; arguments: Record<string, unknown>; argumentText: Record<string, unknown> | null }[];
  text: string;
  finishReason: string | undefined;
}

/**
 * What a caller acts on, in call order. `argumentText` is the deltas' text parsed (null when the
 * vendor sent the whole call at once, with no deltas): it must agree with the parsed arguments.
 */
function normalise(parts: StreamPart[]): { step: NormalisedStep; toolCalls: ToolCall[] } {
  const order: string[] = [];
  const names = new Map<string, string>();
  const deltas = new Map<string, string>();
  const finished = new Map<string, ToolCall>();
  let text = '';
  let finishReason: string | undefined;
  for (const part of parts) {
    switch (part.type) {
      case 'tool-call-start':
        order.push(part.id);
        names.set(part.id, part.name);
        break;
      case 'tool-call-delta':
        deltas.set(part.id, (deltas.get(part.id) ?? '') + part.argumentsDelta);
        break;
      case 'tool-call':
        if (!order.includes(part.toolCall.id)) order.push(part.toolCall.id);
        finished.set(part.toolCall.id, part.toolCall);
        break;
      case 'text-delta':
        text += part.text;
        break;
      case 'error':
        throw part.error;
      case 'finish':
        finishReason = part.finishReason;
        break;
    }
  }
  const toolCalls = order.map((id) => {
    const call = finished.get(id);
    if (!call) throw new Error(`tool call ${id} (${names.get(id)}) started but never finished`);
    if (names.has(id)) expect(names.get(id)).toBe(call.name);
    return call;
  });
  const calls = toolCalls.map((call) => {
    const argumentText = deltas.get(call.id);
    return {
      name: call.name,
      arguments: call.arguments,
      argumentText: argumentText ? (JSON.parse(argumentText) as Record<string, unknown>) : null,
    };
  });
  return { step: { calls, text, finishReason }, toolCalls };
}

function fromGenerated(result: GenerateResult): { step: NormalisedStep; toolCalls: ToolCall[] } {
  return {
    step: {
      calls: result.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments, argumentText: null })),
      text: result.text,
      finishReason: result.finishReason,
    },
    toolCalls: result.toolCalls,
  };
}

const expectedFirstStep = (withDeltas: boolean): NormalisedStep => ({
  calls: CALLS.map((call) => ({ ...call, argumentText: withDeltas ? call.arguments : null })),
  text: '',
  finishReason: 'tool-calls',
});

function followUp(toolCalls: ToolCall[]): ModelRequest {
  return {
    messages: [
      question,
      { role: 'assistant', content: '', toolCalls },
      {
        role: 'tool',
        results: [
          { toolCallId: toolCalls[0]!.id, name: toolCalls[0]!.name, content: '{"sky":"sunny","celsius":21}' },
          { toolCallId: toolCalls[1]!.id, name: toolCalls[1]!.name, content: '14:00' },
        ],
      },
    ],
    tools,
  };
}

describe.each(VENDORS)('two parallel tool calls, their results, then text: $provider', ({ provider, model }) => {
  it('streams the same normalised parts as every other vendor', async () => {
    fake.enqueue(provider, { toolCalls: CALLS }, { text: FINAL_TEXT });
    const llm = await modelFor(provider, model);
    const parts: StreamPart[] = [];
    for await (const part of llm.stream({ messages: [question], tools })) parts.push(part);
    const first = normalise(parts);
    // Whether a vendor streams argument text in deltas or whole, what it carried parses the same.
    const withDeltas = first.step.calls.some((call) => call.argumentText !== null);
    expect(first.step).toEqual(expectedFirstStep(withDeltas));
    expect(new Set(first.toolCalls.map((call) => call.id)).size).toBe(2);

    const answer: StreamPart[] = [];
    for await (const part of llm.stream(followUp(first.toolCalls))) answer.push(part);
    expect(normalise(answer).step).toEqual({ calls: [], text: FINAL_TEXT, finishReason: 'stop' });
  });

  it('generates the same calls and answer without streaming', async () => {
    fake.enqueue(provider, { toolCalls: CALLS }, { text: FINAL_TEXT });
    const llm = await modelFor(provider, model);
    const first = fromGenerated(await llm.generate({ messages: [question], tools }));
    expect(first.step).toEqual(expectedFirstStep(false));
    const answer = fromGenerated(await llm.generate(followUp(first.toolCalls)));
    expect(answer.step).toEqual({ calls: [], text: FINAL_TEXT, finishReason: 'stop' });
  });
});
