/**
 * What a model can do, as models.yaml lists it (on a model or its provider), with each adapter
 * kind's defaults for a model it says nothing about.
 */
import { closeMatches } from './closest-match.js';
import type { AdapterName, ModelCatalog, ProviderInfo } from './catalog.js';
import { fieldError, type FieldPath, type YamlFile } from './yaml-file.js';

/**
 * What a model can do, and the request-shape quirks its endpoint needs. Adapters and the
 * orchestrator decide by these, never by a provider's name.
 */
export const CAPABILITIES = {
  tools: 'calls tools',
  vision: 'reads images',
  pdf: 'reads PDF documents',
  json_schema: 'answers in JSON that follows a given schema (native structured output)',
  json_object_only: 'answers in JSON only as `json_object`; the schema goes into the prompt (DeepSeek)',
  reasoning: 'reasons before answering (reasoning tokens)',
  embeddings: 'an embedding model (llmo embed), not a chat model',
  prompt_cache: 'reuses a cached prompt prefix at the cached_input price',
  batch: "has the vendor's batch API",
  max_completion_tokens: 'OpenAI protocol: takes max_completion_tokens instead of max_tokens',
  no_temperature: 'refuses any temperature but the default (OpenAI reasoning models; Anthropic since API 2026-10-21)',
  stop_sequences_max_4: 'OpenAI protocol: takes at most four stop sequences',
} as const;
export type Capability = keyof typeof CAPABILITIES;

/**
 * What a model of each adapter kind can do when models.yaml says nothing about it or its provider.
 * For the OpenAI protocol that is only what nearly every compatible server takes.
 */
export const DEFAULT_CAPABILITIES: Record<AdapterName, readonly Capability[]> = {
  anthropic: ['tools', 'vision', 'pdf', 'json_schema', 'reasoning', 'prompt_cache', 'batch', 'no_temperature'],
  openai: ['tools', 'json_schema'],
  gemini: ['tools', 'vision', 'pdf', 'json_schema', 'reasoning', 'prompt_cache', 'batch'],
  mistral: ['tools', 'json_schema'],
};

export function parseCapabilities(source: YamlFile, at: FieldPath, raw: unknown): string[] {
  const known = Object.keys(CAPABILITIES);
  if (!Array.isArray(raw)) throw fieldError(source, at, `expected a list of capabilities: ${known.join(', ')}`);
  raw.forEach((name, index) => {
    if (typeof name !== 'string' || !known.includes(name)) {
      const near = typeof name === 'string' ? closeMatches(name, known, 1)[0] : undefined;
      throw fieldError(
        source,
        [...at, index],
        `unknown capability ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ''} (known: ${known.join(', ')})`,
      );
    }
  });
  return [...new Set(raw as string[])];
}

/**
 * What a model can do: what models.yaml lists for the model; else its provider's `capabilities`;
 * else what another provider of the same adapter kind lists for a model of that name (so a provider
 * called `work` with `api: openai` asks `gpt-4o-mini` exactly as `openai` does); else the adapter
 * kind's defaults.
 */
export function capabilitiesOf(catalog: ModelCatalog, provider: ProviderInfo, modelId: string): ReadonlySet<string> {
  const own = provider.models.find((model) => model.name === modelId);
  if (own?.capabilities) return new Set(own.capabilities);
  if (provider.capabilities) return new Set(provider.capabilities);
  for (const other of catalog.providers.values()) {
    if (other === provider || other.api !== provider.api) continue;
    const same = other.models.find((model) => model.name === modelId);
    if (same?.capabilities) return new Set(same.capabilities);
    if (same && other.capabilities) return new Set(other.capabilities);
  }
  return new Set(DEFAULT_CAPABILITIES[provider.api]);
}
