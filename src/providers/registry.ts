/**
 * Model references → models. A reference is `provider:model`, an alias from models.yaml, a model
 * name a provider lists, or a bare provider name (its default_model). Vendor adapters are loaded
 * lazily, so a run that talks to one vendor never loads another's SDK.
 */
import { baseURLVariable, type ProviderInfo } from '../config/catalog.js';
import type { ModelRef } from '../config/resolve-model-ref.js';
import { noKeyError } from './provider-errors.js';
import type { CreateLanguageModel, LanguageModel } from './spec.js';

// Resolving a reference is a lookup in the catalog, so it lives with the catalog (src/config),
// where the orchestrator may reach it through the resolver it is given; re-exported here for
// the callers that build models.
export { allReferences, type ModelRef, resolveModelRef } from '../config/resolve-model-ref.js';

/** The base URL a provider's requests go to: `<PROVIDER>_BASE_URL`, else models.yaml. */
export function baseURLFor(provider: ProviderInfo, env: NodeJS.ProcessEnv): string | undefined {
  return env[baseURLVariable(provider.name)] || provider.baseURL;
}

export interface CreateModelOptions {
  /** Undefined only for a keyless provider (`api_key_name: null`). */
  apiKey: string | undefined;
  env: NodeJS.ProcessEnv;
}

/**
 * Builds the model, loading only the adapter (and SDK) it needs. A provider with `api_key_name`
 * needs a key; one without (`null`) is keyless, and every adapter treats it the same way.
 */
export async function createLanguageModel(ref: ModelRef, options: CreateModelOptions): Promise<LanguageModel> {
  if (ref.provider.apiKeyName !== undefined && !options.apiKey) throw noKeyError(ref.provider.name);
  const create = await loadAdapter(ref.provider.api);
  return create({
    provider: ref.provider.name,
    modelId: ref.modelId,
    apiKey: options.apiKey,
    baseURL: baseURLFor(ref.provider, options.env),
    headers: ref.provider.headers,
    capabilities: ref.capabilities,
  });
}

async function loadAdapter(api: ProviderInfo['api']): Promise<CreateLanguageModel> {
  // Literal specifiers, one per adapter, so the bundler gives each vendor its own chunk.
  switch (api) {
    case 'anthropic':
      return (await import('./anthropic/index.js')).createModel;
    case 'openai':
      return (await import('./openai/index.js')).createModel;
    case 'gemini':
      return (await import('./gemini/index.js')).createModel;
    case 'mistral':
      return (await import('./mistral/index.js')).createModel;
  }
}
