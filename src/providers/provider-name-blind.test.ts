// Behaviour depends on what a model can do, never on what its provider is called: a provider the
// user named `work` that speaks an adapter's protocol sends, for the same model, byte for byte the
// request the shipped provider of that name sends. Real SDKs against the fake providers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../config/catalog.js';
import { packageRoot } from '../config/paths.js';
import { parseYaml } from '../config/yaml-file.js';
import { createLanguageModel, resolveModelRef } from './registry.js';
import { collectStream, type ModelRequest } from './spec.js';

interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
interface FakeProviders {
  baseURLs: Record<string, string>;
  requestsFor(provider: string): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}
const fakeServerPath = fileURLToPath(new URL('../../test/fake-providers/server.mjs', import.meta.url));
const { startFakeProviders } = (await import(fakeServerPath)) as {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
};

const CASES = [
  { provider: 'anthropic', api: 'anthropic', model: 'claude-haiku-4-5' },
  { provider: 'openai', api: 'openai', model: 'gpt-4o-mini' },
  { provider: 'openai', api: 'openai', model: 'gpt-6-sol' },
  { provider: 'deepseek', api: 'openai', model: 'deepseek-chat' },
  { provider: 'gemini', api: 'gemini', model: 'gemini-2.5-flash' },
  { provider: 'mistral', api: 'mistral', model: 'mistral-small-latest' },
] as const;

const request: ModelRequest = {
  messages: [
    { role: 'system', content: 'Answer in JSON.' },
    { role: 'user', content: 'Where is Paris?' },
  ],
  maxTokens: 200,
  temperature: 0.5,
  stop: ['END'],
  responseFormat: { type: 'json', name: 'place', schema: { type: 'object', properties: { country: { type: 'string' } } } },
};

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['anthropic', 'openai', 'deepseek', 'gemini', 'mistral'] });
});
afterAll(async () => {
  await fake?.close();
});

/** What must not differ: where the request went, its body, and the headers the SDK chose. */
function salient(recorded: RecordedRequest) {
  const { host: _host, 'content-length': _length, ...headers } = recorded.headers;
  return { path: recorded.path, body: recorded.body, headers };
}

describe('a provider named `work`', () => {
  it.each(CASES)('with api: $api sends what $provider sends for $model', async ({ provider, api, model }) => {
    const baseURL = fake.baseURLs[provider]!;
    const catalog = buildCatalog([
      parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8')),
      parseYaml('user.yaml', `work:\n  api: ${api}\n  api_key_name: WORK_API_KEY\n  base_url: ${baseURL}\n`),
    ]);
    const shipped = resolveModelRef(catalog, `${provider}:${model}`);
    const work = resolveModelRef(catalog, `work:${model}`);
    expect([...work.capabilities].sort()).toEqual([...shipped.capabilities].sort());

    const env = { [`${provider.toUpperCase()}_BASE_URL`]: baseURL };
    const apiKey = 'sk-the-same-key-for-both-0123456789';
    fake.reset();
    await collectStream((await createLanguageModel(shipped, { apiKey, env })).stream(request));
    await collectStream((await createLanguageModel(work, { apiKey, env })).stream(request));
    const [fromShipped, fromWork] = fake.requestsFor(provider);
    expect(fromShipped).toBeDefined();
    expect(salient(fromWork!)).toEqual(salient(fromShipped!));
  });
});
