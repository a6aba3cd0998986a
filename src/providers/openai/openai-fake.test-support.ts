// The fake providers (test/fake-providers/server.mjs) as the adapter's tests drive them, through
// createModel and the real openai SDK. Not a test file itself (vitest runs only *.test.ts).
import { fileURLToPath } from 'node:url';
import type { ProviderSettings, StreamPart } from '../spec.js';
import { createModel } from './index.js';

// The fake is plain JavaScript without type declarations; this is the part of it the tests use.
export interface FakeRequest {
  provider: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  stream: boolean;
  aborted: boolean;
  completed: boolean;
}
export interface FakeProviders {
  baseURLs: Record<string, string>;
  enqueue(provider: string, ...scenarios: object[]): void;
  requestsFor(provider: string): FakeRequest[];
  reset(): void;
  close(): Promise<void>;
}
interface FakeServerModule {
  startFakeProviders(options?: { providers?: readonly string[] }): Promise<FakeProviders>;
  countTokens(text: string): number;
  generateWords(count: number): string;
}
// Imported by a computed path so TypeScript does not look for declarations of the .mjs module.
// A file path, not a file: URL, so that the fake's own relative imports resolve under vitest.
const fakeServerPath = fileURLToPath(new URL('../../../test/fake-providers/server.mjs', import.meta.url));
export const { startFakeProviders, countTokens, generateWords } = (await import(fakeServerPath)) as FakeServerModule;

export const API_KEY = 'sk-test-DO-NOT-LEAK-0123456789abcdef';
export const MODELS = { openai: 'gpt-4o-mini', deepseek: 'deepseek-chat', compat: 'llama3.2' } as const;
export type Provider = keyof typeof MODELS;
export const PROVIDERS = Object.keys(MODELS) as Provider[];

/**
 * The capabilities the registry hands these providers' models, as the shipped models.yaml lists
 * them (the adapter decides by capabilities alone, never by the provider's name).
 */
export function shippedCapabilities(provider: Provider, modelId: string): ReadonlySet<string> {
  if (provider === 'deepseek') return new Set(['tools', 'json_object_only', 'prompt_cache']);
  if (provider === 'compat') return new Set(['tools', 'json_schema']);
  const openai = ['tools', 'vision', 'pdf', 'json_schema', 'prompt_cache', 'max_completion_tokens', 'stop_sequences_max_4'];
  // models.yaml marks OpenAI's reasoning models, which refuse any temperature but the default.
  const reasoning = /^o\d/.test(modelId) || (modelId.startsWith('gpt-5') && !modelId.startsWith('gpt-5-chat'));
  return new Set(reasoning ? [...openai, 'reasoning', 'no_temperature'] : openai);
}

/** A model of one of the fake's providers, with the settings a test adds. */
export function fakeModel(fake: FakeProviders, provider: Provider, settings: Partial<ProviderSettings> = {}) {
  const modelId = settings.modelId ?? MODELS[provider];
  return createModel({
    provider,
    modelId,
    apiKey: API_KEY,
    baseURL: fake.baseURLs[provider],
    capabilities: shippedCapabilities(provider, modelId),
    ...settings,
  });
}

export async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

export function lastRequestOf(fake: FakeProviders, provider: string): FakeRequest {
  const recorded = fake.requestsFor(provider).at(-1);
  if (!recorded) throw new Error(`no request reached the fake ${provider}`);
  return recorded;
}
