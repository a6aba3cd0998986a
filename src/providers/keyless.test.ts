// One keyless policy for every adapter kind: a provider declared with `api_key_name: null` is
// called without a key through whichever protocol it speaks, and a provider that needs a key is
// refused before any SDK loads. Real SDKs against the fake providers.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../config/catalog.js';
import { parseYaml } from '../config/yaml-file.js';
import { ExitCode } from '../errors.js';
import { createLanguageModel, resolveModelRef } from './registry.js';
import { collectStream, KEYLESS_API_KEY, ProviderAuthError } from './spec.js';

interface FakeProviders {
  baseURLs: Record<string, string>;
  requestsFor(provider: string): { headers: Record<string, string | string[] | undefined> }[];
  enqueue(provider: string, ...scenarios: object[]): void;
  close(): Promise<void>;
}
const fakeServerPath = fileURLToPath(new URL('../../test/fake-providers/server.mjs', import.meta.url));
const { startFakeProviders } = (await import(fakeServerPath)) as {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
};

const KINDS = [
  { api: 'anthropic', fake: 'anthropic', model: 'claude-haiku-4-5' },
  { api: 'openai', fake: 'openai', model: 'gpt-4o-mini' },
  { api: 'gemini', fake: 'gemini', model: 'gemini-2.5-flash' },
  { api: 'mistral', fake: 'mistral', model: 'mistral-small-latest' },
] as const;

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: KINDS.map((kind) => kind.fake) });
});
afterAll(async () => {
  await fake?.close();
});

const catalogFor = (api: string, baseURL: string, keyName: string) =>
  buildCatalog([parseYaml('user.yaml', `local:\n  api: ${api}\n  api_key_name: ${keyName}\n  base_url: ${baseURL}\n  models: [m]\n`)]);

describe('a keyless endpoint (api_key_name: null)', () => {
  it.each(KINDS)('answers through the $api adapter, sent no key but the placeholder', async ({ api, fake: vendor }) => {
    fake.enqueue(vendor, { text: 'hello without a key' });
    const ref = resolveModelRef(catalogFor(api, fake.baseURLs[vendor]!, 'null'), 'local:m');
    const model = await createLanguageModel(ref, { apiKey: undefined, env: {} });
    const result = await collectStream(model.stream({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(result.text).toBe('hello without a key');
    const headers = fake.requestsFor(vendor).at(-1)!.headers;
    const credentials = ['authorization', 'x-api-key', 'x-goog-api-key'].map((name) => headers[name]).filter(Boolean);
    for (const value of credentials) expect(String(value).replace(/^Bearer /, '')).toBe(KEYLESS_API_KEY);
  });

  it.each(KINDS)('a $api provider that needs a key and has none is refused before any request (exit 4)', async ({ api, fake: vendor }) => {
    const ref = resolveModelRef(catalogFor(api, fake.baseURLs[vendor]!, 'LOCAL_API_KEY'), 'local:m');
    const refused = createLanguageModel(ref, { apiKey: undefined, env: {} });
    await expect(refused).rejects.toThrowError(ProviderAuthError);
    await expect(refused).rejects.toMatchObject({ message: 'local: no API key', exitCode: ExitCode.auth });
  });
});
