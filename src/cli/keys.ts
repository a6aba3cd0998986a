/**
 * The one function every provider call gets its key from: the vault first, then the
 * provider's environment variable.
 */
import type { LlmoConfig } from '../config/load.js';
import type { ProviderInfo } from '../config/catalog.js';
import { AuthError } from '../errors.js';

export type KeySourceKind = 'vault' | 'env' | 'none' | 'not-needed';

export interface KeyLookup {
  key: string | undefined;
  source: KeySourceKind;
  /** The environment variable that holds (or would hold) the key. */
  variable: string | undefined;
}

/** Environment variables that may hold a provider's key, in order of preference. */
export function keyVariables(provider: ProviderInfo): string[] {
  if (!provider.apiKeyName) return [];
  const variables = [provider.apiKeyName];
  if (provider.api === 'gemini' && provider.apiKeyName === 'GEMINI_API_KEY') variables.push('GOOGLE_API_KEY');
  return variables;
}

export function keyFromEnvironment(provider: ProviderInfo, env: NodeJS.ProcessEnv): KeyLookup {
  if (!provider.apiKeyName) return { key: undefined, source: 'not-needed', variable: undefined };
  for (const variable of keyVariables(provider)) {
    const value = env[variable];
    if (value) return { key: value, source: 'env', variable };
  }
  return { key: undefined, source: 'none', variable: provider.apiKeyName };
}

export interface LookupOptions {
  /** May we prompt for the master password on a terminal? */
  interactive: boolean;
}

/** Finds the key for a provider, or throws an AuthError naming both fixes. */
export async function lookupApiKey(provider: ProviderInfo, config: LlmoConfig, _options: LookupOptions): Promise<KeyLookup> {
  const found = keyFromEnvironment(provider, config.env);
  if (found.source === 'none') {
    throw new AuthError(`no API key for ${provider.name}`, {
      hint: `set ${found.variable}, or store one with: llmo auth add ${provider.name}`,
    });
  }
  return found;
}
