// The four adapters side by side, each through its real SDK against the fake providers: the same
// failure must read the same way whoever the vendor is, an abort must always surface as an
// AbortError (never an error part), and usage must count reasoning as output. Adapters have no
// timers of their own: llmo's one silence timer is in the retry layer (retry.ts).
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateLanguageModel, LanguageModel, ModelRequest, ProviderError, ProviderSettings, StreamPart } from './spec.js';
import { createModel as createAnthropicModel } from './anthropic/index.js';
import { createModel as createGeminiModel } from './gemini/index.js';
import { createModel as createMistralModel } from './mistral/index.js';
import { createModel as createOpenAIModel } from './openai/index.js';
import { waitUntil } from '../../test/helpers/wait-until.js';

interface FakeRequest {
  body: unknown;
  aborted: boolean;
  completed: boolean;
}
interface FakeProviders {
  baseURLs: Record<string, string>;
  enqueue(provider: string, ...scenarios: object[]): void;
  requestsFor(provider: string): FakeRequest[];
  reset(): void;
  close(): Promise<void>;
}
interface FakeServerModule {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
  generateWords(count: number): string;
}
const fakeServerPath = fileURLToPath(new URL('../../test/fake-providers/server.mjs', import.meta.url));
const { startFakeProviders } = (await import(fakeServerPath)) as FakeServerModule;

const API_KEY = 'sk-conformance-DO-NOT-LEAK-0123456789';

interface Adapter {
  provider: string;
  modelId: string;
  create: CreateLanguageModel;
  /** Whether the vendor's 401 carries a request id the message must name. */
  authRequestId: boolean;
  /** Whether the fake streams reasoning for this vendor. */
  reasoning: boolean;
}

const ADAPTERS: Adapter[] = [
  { provider: 'openai', modelId: 'gpt-4o-mini', create: createOpenAIModel, authRequestId: true, reasoning: false },
  { provider: 'deepseek', modelId: 'deepseek-chat', create: createOpenAIModel, authRequestId: true, reasoning: true },
  { provider: 'anthropic', modelId: 'claude-haiku-4-5', create: createAnthropicModel, authRequestId: true, reasoning: true },
  { provider: 'gemini', modelId: 'gemini-2.5-flash', create: createGeminiModel, authRequestId: false, reasoning: true },
  { provider: 'mistral', modelId: 'mistral-small-latest', create: createMistralModel, authRequestId: true, reasoning: true },
];

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ADAPTERS.map((adapter) => adapter.provider) });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

const request: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

async function partsOf(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function errorOf(parts: StreamPart[]): ProviderError {
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error part, got ${JSON.stringify(last)}`);
  return last.error;
}

function textOf(parts: StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

/** Everything a user, a log or a debugger could be shown of an error. */
function everythingShown(error: unknown): string {
  const shown = error as Error & { hint?: string };
  return [shown.message, shown.stack, shown.hint, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
}

/** A port nobody listens on (not one of fetch's blocked ports, such as 9). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const waitFor = (condition: () => boolean) => waitUntil(condition, 'the fake provider to see it');

describe.each(ADAPTERS)('$provider', (adapter) => {
  const { provider } = adapter;
  const model = (settings: Partial<ProviderSettings> = {}): LanguageModel =>
    adapter.create({ provider, modelId: adapter.modelId, apiKey: API_KEY, baseURL: fake.baseURLs[provider], ...settings });

  describe('error messages read `<provider>: <what happened>: <vendor words> (HTTP n, request id …)`', () => {
    it('a rejected key, streamed or not, without the key anywhere', async () => {
      fake.enqueue(provider, { error: { status: 401 } }, { error: { status: 401 } });
      const streamed = errorOf(await partsOf(model().stream(request)));
      const thrown = (await model()
        .generate(request)
        .catch((error: unknown) => error)) as ProviderError;
      for (const error of [streamed, thrown]) {
        const tail = adapter.authRequestId ? `HTTP \\d{3}, request id ${error.requestId}` : 'HTTP 400';
        expect(error.message).toMatch(new RegExp(`^${provider}: API key rejected: \\S.* \\(${tail}\\)$`));
        expect(error.exitCode).toBe(4);
        expect(error.hint).toBe(
          `\`llmo auth status\` shows where the ${provider} key comes from; replace it with \`llmo auth add ${provider}\``,
        );
        expect(everythingShown(error)).not.toContain(API_KEY);
      }
    });

    it('a rate limit', async () => {
      fake.enqueue(provider, { error: { status: 429 } });
      const error = errorOf(await partsOf(model().stream(request)));
      expect(error.message).toMatch(
        new RegExp(`^${provider}: (rate limit reached|out of quota): \\S.* \\(HTTP 429(, request id \\S+)?\\)$`),
      );
    });

    it('a server error', async () => {
      fake.enqueue(provider, { error: { status: 500 } });
      const error = errorOf(await partsOf(model().stream(request)));
      expect(error.message).toMatch(new RegExp(`^${provider}: server error: \\S.* \\(HTTP 500(, request id \\S+)?\\)$`));
      expect(error.exitCode).toBe(5);
    });

    it('an unknown model (404), with the same hint', async () => {
      fake.enqueue(provider, { error: { status: 404 } });
      const error = errorOf(await partsOf(model().stream(request)));
      expect(error.message).toMatch(new RegExp(`^${provider}: request rejected: \\S.* \\(HTTP 404(, request id \\S+)?\\)$`));
      expect(error.hint).toBe('check the model name; `llmo models` lists the configured ones');
    });

    it('a stream cut off after it began', async () => {
      fake.enqueue(provider, { words: 40, cutAfterChunks: 1, chunkDelayMs: 20 });
      const error = errorOf(await partsOf(model().stream(request)));
      expect(error.message).toMatch(new RegExp(`^${provider}: the response was cut off mid-stream(: \\S.*)?( \\(request id \\S+\\))?$`));
      expect(error.retryable).toBe(true);
    });

    it('nothing listening', async () => {
      const port = await closedPort();
      const error = errorOf(await partsOf(model({ baseURL: `http://127.0.0.1:${port}/v1` }).stream(request)));
      expect(error.message).toMatch(new RegExp(`^${provider}: could not connect( to 127\\.0\\.0\\.1:${port})?: \\S.*ECONNREFUSED`));
      expect(error.hint).toBe('check the network and the base URL');
    });

    it('a key pasted with a line break inside never shows, even where fetch quotes the header back', async () => {
      const broken = 'sk-pasted-SECRET-HALF-ONE\nSECRET-HALF-TWO-012345';
      const error = errorOf(await partsOf(model({ apiKey: broken }).stream(request)));
      expect(error.message).toMatch(new RegExp(`^${provider}: `));
      expect(everythingShown(error)).not.toMatch(/SECRET-HALF/);
    });
  });

  describe('abort', () => {
    it('mid-stream, with a reason that is not an AbortError: throws an AbortError, never an error part', async () => {
      fake.enqueue(provider, { words: 300, chunkDelayMs: 20 });
      const controller = new AbortController();
      const seen: StreamPart[] = [];
      const reading = (async () => {
        for await (const part of model().stream(request, { signal: controller.signal })) {
          seen.push(part);
          if (part.type === 'text-delta') controller.abort('the user pressed Ctrl-C');
        }
      })();
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen.some((part) => part.type === 'error' || part.type === 'finish')).toBe(false);
      await waitFor(() => fake.requestsFor(provider).at(-1)?.aborted === true);
    });

    it('while waiting for the answer, streamed or not', async () => {
      fake.enqueue(provider, { firstChunkDelayMs: 20_000 }, { firstChunkDelayMs: 20_000 });
      // Each is cancelled once the fake has its request, while it holds the answer back.
      const before = fake.requestsFor(provider).length;
      const first = new AbortController();
      const streaming = partsOf(model().stream(request, { signal: first.signal }));
      await waitFor(() => fake.requestsFor(provider).length === before + 1);
      first.abort(new Error('stop'));
      await expect(streaming).rejects.toMatchObject({ name: 'AbortError' });
      const second = new AbortController();
      const generating = model().generate(request, { signal: second.signal });
      await waitFor(() => fake.requestsFor(provider).length === before + 2);
      second.abort(new Error('stop'));
      await expect(generating).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  it("finish_reason 'length' and an empty reply come through as such", async () => {
    fake.enqueue(provider, { finishReason: 'length' }, { text: '' });
    expect((await partsOf(model().stream(request))).at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
    const empty = await partsOf(model().stream(request));
    expect(textOf(empty)).toBe('');
    expect(empty.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('a prompt-cache hint marks the system prompt and the history where the vendor needs it, and changes nothing elsewhere', async () => {
    const conversation: ModelRequest = {
      messages: [
        { role: 'system', content: 'You are a long, stable system prompt.' },
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'Second question' },
      ],
    };
    fake.enqueue(provider, { text: 'plain' }, { text: 'hinted', usage: { inputTokens: 5000, outputTokens: 3, cachedInputTokens: 4167 } });
    await model().generate(conversation);
    const hinted = await model().generate({ ...conversation, cacheHint: { system: true, history: true } });
    const [plain, marked] = fake.requestsFor(provider).map((recorded) => recorded.body);
    if (provider === 'anthropic') {
      expect(marked).toMatchObject({
        system: [{ type: 'text', text: 'You are a long, stable system prompt.', cache_control: { type: 'ephemeral' } }],
        messages: [{}, {}, { role: 'user', content: [{ type: 'text', text: 'Second question', cache_control: { type: 'ephemeral' } }] }],
      });
    } else {
      expect(JSON.stringify(marked)).not.toContain('cache_control');
      expect(marked).toEqual(plain);
    }
    // Every vendor reports the cached part of the prompt the same way.
    expect(hinted.usage).toMatchObject({ inputTokens: 5000, cachedInputTokens: 4167 });
  });

  it.runIf(adapter.reasoning)('outputTokens includes the reasoning tokens', async () => {
    fake.enqueue(provider, { reasoning: 'Let me think about it.', usage: { inputTokens: 10, outputTokens: 30, reasoningTokens: 12 } });
    const parts = await partsOf(model().stream(request));
    expect(parts.some((part) => part.type === 'reasoning-delta')).toBe(true);
    const finish = parts.at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage: { inputTokens: 10, outputTokens: 30 } });
  });
});
