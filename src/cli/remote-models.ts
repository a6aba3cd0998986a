/**
 * What a provider's endpoint says it serves, asked through its adapter (`listModels`): the one
 * path `llmo models --remote` and `llmo auth test` / `auth add --check` take, so that no vendor's
 * URL, header or error code is known outside src/providers/.
 */
import type { ProviderInfo } from '../config/catalog.js';
import { ConfigError } from '../errors.js';
import { createLanguageModel, type ModelRef } from '../providers/registry.js';
import type { RemoteModel } from '../providers/spec.js';

/**
 * The provider's models, as its endpoint lists them for this key (undefined for a keyless one).
 * Throws the adapter's ProviderError (a rejected key is a ProviderAuthError), an AbortError when
 * `signal` ends the wait, or a ConfigError when the adapter cannot list models.
 */
export async function fetchRemoteModels(
  provider: ProviderInfo,
  key: string | undefined,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<RemoteModel[]> {
  // Listing needs no particular model; the default one (or none) names the adapter's model.
  const ref: ModelRef = { ref: provider.name, provider, modelId: provider.defaultModel ?? '', info: undefined, capabilities: new Set() };
  const model = await createLanguageModel(ref, { apiKey: key, env });
  if (!model.listModels) throw new ConfigError(`${provider.name}: the ${provider.api} adapter cannot list models`);
  return model.listModels(signal ? { signal } : {});
}
