// The recorded Gemini exchanges (test/fake-providers/recordings/gemini, copied from the shared wire
// recordings) through the real @google/genai SDK: each recorded reply replays to the normalised
// parts a user would get, and for each recorded scenario the request the adapter sends has the
// recorded shape. Then the tool-call round trip every vendor must answer identically.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server.mjs';
import {
  KEYLESS_API_KEY,
  collectStream,
  type GenerateResult,
  type Message,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
  type ToolCall,
  type ToolDefinition,
} from '../spec.js';
import { createModel } from './index.js';

const API_KEY = 'AIzaSyFAKE-gemini-test-key-0123456789ab';
const MODEL_ID = 'gemini-2.5-flash';
const RECORDINGS = new URL('../../../test/fake-providers/recordings/gemini/', import.meta.url);

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

function model(overrides: Partial<ProviderSettings> = {}) {
  return createModel({ provider: 'gemini', modelId: MODEL_ID, apiKey: API_KEY, baseURL: fake.baseURLs.gemini, ...overrides });
}

async function partsOf(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** What collectStream makes of parts already read (to look at both). */
function collected(parts: StreamPart[]): Promise<GenerateResult> {
  return collectStream(
    (async function* () {
      yield* parts;
    })(),
  );
}

/** The fields of a recorded request body these tests read. */
interface RecordedBody {
  contents: Array<{
    role: string;
    parts: Array<{ text?: string; thoughtSignature?: string; inlineData?: { data: string; mimeType: string } }>;
  }>;
  generationConfig: { responseJsonSchema?: Record<string, unknown> };
  toolConfig: { functionCallingConfig: { mode: string; allowedFunctionNames: string[] } };
  cachedContent?: string;
}

/** A recording's `.meta.json`: the recorded request body is what the adapter must send. */
function recordedRequestBody(name: string): RecordedBody {
  return JSON.parse(readFileSync(new URL(`${name}.meta.json`, RECORDINGS), 'utf8')).request.body;
}

function lastRequest() {
  const requests = fake.requestsFor('gemini');
  expect(requests.length).toBeGreaterThan(0);
  return requests.at(-1)!;
}

/** Streams and generates the same recording (a `.sse` one streamed, its `.json` twin generated). */
async function streamReplay(name: string, request: ModelRequest = SAY_HELLO) {
  fake.enqueue('gemini', { replay: name });
  return partsOf(model().stream(request));
}
async function generateReplay(name: string, request: ModelRequest = SAY_HELLO): Promise<GenerateResult> {
  fake.enqueue('gemini', { replay: name });
  return model().generate(request);
}

const SAY_HELLO: ModelRequest = { messages: [{ role: 'user', content: 'Say "hello world"' }] };

const SECRET_PROMPT =
  'Please retrieve the secrets for these passwords: "mellon" and "radiance". Use the secret_retrieval_tool for each password.';
const SECRET_TOOL: ToolDefinition = {
  name: 'secret_retrieval_tool',
  description: "A tool that requires a password to retrieve a secret. Takes a 'password' field.",
  inputSchema: { type: 'object', properties: { password: { type: 'string' } }, required: ['password'] },
};
const SECRET_REQUEST: ModelRequest = { messages: [{ role: 'user', content: SECRET_PROMPT }], tools: [SECRET_TOOL], maxTokens: 1000 };

describe('recorded Gemini replies, replayed through the SDK', () => {
  it('streams text with the cumulative usage of the last chunk, thinking counted as output', async () => {
    const parts = await streamReplay('sse_text');
    expect(parts).toEqual([
      { type: 'text-delta', text: 'hello' },
      { type: 'text-delta', text: ' world' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 6, outputTokens: 19, reasoningTokens: 17 },
        responseModel: 'gemini-2.5-flash',
        requestId: 'Yc53aYerIrKUmtkP48He8QY',
      },
    ]);
    expect(fake.requestsFor('gemini')[0]?.path).toBe(`/v1beta/models/${MODEL_ID}:streamGenerateContent?alt=sse`);
  });

  it('generates text', async () => {
    const result = await generateReplay('generateContent_text');
    expect(result).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 88, reasoningTokens: 31 },
      toolCalls: [],
    });
    expect(result.text).toMatch(/^To find the sum of 4200 \+ 42/);
  });

  it('streams thoughts as reasoning before the answer', async () => {
    const parts = await streamReplay('sse_thinking_include_thoughts');
    const result = await collected(parts);
    expect(result.reasoning).toMatch(/^\*\*Calculating the Answer\*\*/);
    expect(result.text).toBe('2 + 2 = 4');
    expect(parts.findLastIndex((part) => part.type === 'reasoning-delta')).toBeLessThan(
      parts.findIndex((part) => part.type === 'text-delta'),
    );
    expect(result.usage).toEqual({ inputTokens: 9, outputTokens: 67, reasoningTokens: 62 });
  });

  it('reports MAX_TOKENS as finish reason "length"', async () => {
    const result = await collected(await streamReplay('sse_max_tokens'));
    expect(result).toMatchObject({ text: '## The', finishReason: 'length' });
  });

  it('streams a whole function call as start, one arguments delta and the call, with a made-up id and the thoughtSignature kept', async () => {
    const parts = await streamReplay('sse_functionCall', SECRET_REQUEST);
    const id = 'qyZ9aaXmCbPlz7IPiIKa-A0-call-0';
    expect(parts.slice(0, 3)).toEqual([
      { type: 'tool-call-start', id, name: 'secret_retrieval_tool' },
      { type: 'tool-call-delta', id, argumentsDelta: '{"password":"mellon"}' },
      {
        type: 'tool-call',
        toolCall: {
          id,
          name: 'secret_retrieval_tool',
          arguments: { password: 'mellon' },
          providerMetadata: { thoughtSignature: expect.stringMatching(/^CiQBcsjafM3unaTwQZC153SK/) },
        },
      },
    ]);
    expect(parts.slice(3)).toEqual([
      {
        type: 'finish',
        finishReason: 'tool-calls',
        usage: { inputTokens: 85, outputTokens: 60, reasoningTokens: 40 },
        responseModel: 'gemini-2.5-flash',
        requestId: 'qyZ9aaXmCbPlz7IPiIKa-A0',
      },
    ]);
  });

  it('generates a function call, finish reason "tool-calls" although Gemini says STOP', async () => {
    const result = await generateReplay('generateContent_functionCall', SECRET_REQUEST);
    expect(result).toMatchObject({
      text: '',
      finishReason: 'tool-calls',
      usage: { inputTokens: 85, outputTokens: 72, reasoningTokens: 52 },
    });
    expect(result.toolCalls).toEqual([
      {
        id: 'nyZ9aYf9OdXoz7IP2s6ekQs-call-0',
        name: 'secret_retrieval_tool',
        arguments: { password: 'mellon' },
        providerMetadata: { thoughtSignature: expect.stringMatching(/^Cu8BAXLI2nzzFjmecAFTu/) },
      },
    ]);
  });

  it('answers the follow-up with results as text, streamed and generated', async () => {
    const streamed = await collected(await streamReplay('sse_functionResponse_followup', SECRET_REQUEST));
    expect(streamed).toMatchObject({
      finishReason: 'stop',
      toolCalls: [],
      usage: { inputTokens: 243, outputTokens: 50, reasoningTokens: 22 },
    });
    expect(streamed.text).toBe('The secret for "mellon" is "Welcome to Moria!".\nThe secret for "radiance" is "Life before Death".');
    const generated = await generateReplay('generateContent_functionResponse_followup', SECRET_REQUEST);
    expect(generated).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 169, outputTokens: 33 } });
    expect(generated.text).toMatch(/Welcome to Moria!.*\n.*Life before Death/);
  });

  it('returns the forced call of toolConfig ANY', async () => {
    const result = await generateReplay('generateContent_toolConfig_any');
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      {
        id: 'mMCFakLb-cTfD7bF8-kO-call-0',
        name: 'weather',
        arguments: { latitude: '123', longitude: '123' },
        providerMetadata: { thoughtSignature: expect.any(String) },
      },
    ]);
  });

  it('returns structured output as JSON text (responseJsonSchema and responseSchema, streamed and not)', async () => {
    expect(await generateReplay('generateContent_responseJsonSchema')).toMatchObject({
      text: '{"name":"John","age":30}',
      finishReason: 'stop',
    });
    const book = '{"title":"THE NAME OF THE WIND","author":{"first_name":"Patrick","last_name":"Rothfuss"},"rating":7}';
    expect(JSON.parse((await generateReplay('generateContent_responseSchema')).text)).toEqual(JSON.parse(book));
    expect((await collected(await streamReplay('sse_responseSchema'))).text).toBe(book);
  });

  it('answers about an image and a PDF', async () => {
    expect(await generateReplay('generateContent_image_inlineData')).toMatchObject({ text: 'The Wikipedia logo,', finishReason: 'length' });
    expect(await generateReplay('generateContent_pdf_inlineData')).toMatchObject({
      text: 'The text in the PDF document is "Hello, world!".',
      finishReason: 'stop',
      usage: { inputTokens: 273, outputTokens: 58, reasoningTokens: 46 },
    });
  });

  it('reports cached prompt tokens, implicit and explicit, as part of the input', async () => {
    expect((await generateReplay('generateContent_cachedContentTokenCount_implicit')).usage).toEqual({
      inputTokens: 3797,
      outputTokens: 656 + 1549,
      cachedInputTokens: 3055,
      reasoningTokens: 1549,
    });
    expect((await generateReplay('generateContent_cachedContent_explicit')).usage).toEqual({
      inputTokens: 9622,
      outputTokens: 35 + 136,
      cachedInputTokens: 9609,
      reasoningTokens: 136,
    });
  });

  it('embeds through batchEmbedContents, one vector per text in order', async () => {
    fake.enqueue('gemini', { replay: 'batchEmbedContents' });
    const embedder = model({ modelId: 'gemini-embedding-001' });
    const result = await embedder.embed!(['Ruby', 'Python', 'JavaScript'], { dimensions: 768 });
    expect(result.embeddings.map((vector) => vector.length)).toEqual([768, 768, 768]);
    expect(result.embeddings[0]?.slice(0, 2)).toEqual([-0.008762145, -0.009131675]);
    expect(result).toMatchObject({ usage: undefined, responseModel: 'gemini-embedding-001' });
    expect(lastRequest().path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(lastRequest().body).toEqual(recordedRequestBody('batchEmbedContents'));
  });

  it('lists the models without their `models/` prefix', async () => {
    const models = await model().listModels!();
    expect(models).toHaveLength(45);
    expect(models[0]).toEqual({ id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1048576, maxOutputTokens: 65536 });
    expect(models.map((entry) => entry.id)).toContain('gemini-embedding-001');
    expect(models.every((entry) => !entry.id.startsWith('models/'))).toBe(true);
    expect(lastRequest()).toMatchObject({ method: 'GET' });
    expect(lastRequest().path).toMatch(/^\/v1beta\/models(\?|$)/);
  });

  it('embeds and lists without a key by sending the keyless placeholder', async () => {
    await model({ apiKey: undefined }).listModels!();
    expect(lastRequest().headers['x-goog-api-key']).toBe(KEYLESS_API_KEY);
  });
});

describe('the requests the adapter sends have the recorded shape', () => {
  it('declares tools as functionDeclarations with plain JSON Schema (generateContent_functionCall, sse_functionCall)', async () => {
    await model().generate(SECRET_REQUEST);
    expect(lastRequest().body).toEqual(recordedRequestBody('generateContent_functionCall'));
    await partsOf(model().stream(SECRET_REQUEST));
    expect(lastRequest().body).toEqual(recordedRequestBody('sse_functionCall'));
  });

  /** The recorded loop: each call in a model turn with its signature, each result in a user turn, by name. */
  function followUp(signatures: [string | undefined, string | undefined]): ModelRequest {
    const call = (id: string, password: string, thoughtSignature: string | undefined): ToolCall => ({
      id,
      name: 'secret_retrieval_tool',
      arguments: { password },
      ...(thoughtSignature === undefined ? {} : { providerMetadata: { thoughtSignature } }),
    });
    const messages: Message[] = [
      { role: 'user', content: SECRET_PROMPT },
      { role: 'assistant', content: '', toolCalls: [call('first', 'mellon', signatures[0])] },
      { role: 'tool', results: [{ toolCallId: 'first', name: 'secret_retrieval_tool', content: 'Welcome to Moria!' }] },
      { role: 'assistant', content: '', toolCalls: [call('second', 'radiance', signatures[1])] },
      { role: 'tool', results: [{ toolCallId: 'second', name: 'secret_retrieval_tool', content: 'Life before Death' }] },
    ];
    return { ...SECRET_REQUEST, messages };
  }

  it('sends results back as functionResponse parts and echoes each thoughtSignature (the follow-ups)', async () => {
    for (const [name, send] of [
      ['generateContent_functionResponse_followup', (request: ModelRequest) => model().generate(request)],
      ['sse_functionResponse_followup', (request: ModelRequest) => collectStream(model().stream(request))],
    ] as const) {
      const recorded = recordedRequestBody(name);
      const signatures = recorded.contents
        .filter((content) => content.role === 'model')
        .map((content) => content.parts[0]?.thoughtSignature) as [string | undefined, string | undefined];
      await send(followUp(signatures));
      expect(lastRequest().body).toEqual(recorded);
    }
  });

  it('forces a named tool with mode ANY and allowedFunctionNames (generateContent_toolConfig_any)', async () => {
    const recorded = recordedRequestBody('generateContent_toolConfig_any');
    await model().generate({
      messages: [{ role: 'user', content: "What's the fall of Rome?" }],
      tools: [
        {
          name: 'weather',
          description: 'Gets current weather for a location',
          inputSchema: {
            type: 'object',
            properties: {
              latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
              longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
            },
            required: ['latitude', 'longitude'],
          },
        },
      ],
      toolChoice: { type: 'tool', name: 'weather' },
    });
    const sent = lastRequest().body;
    // ruby_llm sent the mode in lower case and the schema in Google's OpenAPI subset; the SDK's
    // enum is upper case, and llmo sends plain JSON Schema as the SDK-recorded requests do.
    expect(sent.toolConfig.functionCallingConfig.mode.toLowerCase()).toBe(recorded.toolConfig.functionCallingConfig.mode);
    expect(sent.toolConfig.functionCallingConfig.allowedFunctionNames).toEqual(
      recorded.toolConfig.functionCallingConfig.allowedFunctionNames,
    );
    expect(sent.tools[0].functionDeclarations.map((declaration: { name: string }) => declaration.name)).toEqual(['weather']);
    expect(sent.contents).toEqual(recorded.contents);
  });

  it('asks for JSON with responseMimeType and responseJsonSchema (generateContent_responseJsonSchema)', async () => {
    const recorded = recordedRequestBody('generateContent_responseJsonSchema');
    await model({ modelId: 'gemini-3-flash-preview' }).generate({
      messages: [{ role: 'user', content: 'Generate a person named John who is 30 years old' }],
      responseFormat: { type: 'json', name: 'person', schema: recorded.generationConfig.responseJsonSchema! },
    });
    expect(lastRequest().body).toEqual(recorded);
  });

  it('sends image and PDF bytes as inlineData after the text (generateContent_image_inlineData, _pdf_inlineData)', async () => {
    for (const [name, type] of [
      ['generateContent_image_inlineData', 'image'],
      ['generateContent_pdf_inlineData', 'document'],
    ] as const) {
      const recorded = recordedRequestBody(name);
      const [text, inline] = recorded.contents[0]!.parts as [{ text: string }, { inlineData: { data: string; mimeType: string } }];
      const source = { type: 'bytes' as const, data: Buffer.from(inline.inlineData.data, 'base64') };
      const attachment =
        type === 'image'
          ? { type: 'image' as const, mediaType: inline.inlineData.mimeType, source }
          : { type: 'document' as const, mediaType: 'application/pdf' as const, source };
      await model().generate({ messages: [{ role: 'user', content: [{ type: 'text', text: text.text }, attachment] }], maxTokens: 150 });
      expect(lastRequest().body).toEqual(recorded);
    }
  });

  it('names an explicit cache through providerOptions.gemini.cachedContent (generateContent_cachedContent_explicit)', async () => {
    const recorded = recordedRequestBody('generateContent_cachedContent_explicit');
    await model().generate({
      messages: [{ role: 'user', content: recorded.contents[0]!.parts[0]!.text! }],
      providerOptions: { gemini: { cachedContent: recorded.cachedContent } },
    });
    expect(lastRequest().body).toMatchObject({ contents: recorded.contents, cachedContent: recorded.cachedContent });
  });
});
