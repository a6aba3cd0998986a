/** What every `llmo auth` subcommand starts from: the configuration and the vault file. */
import type { LlmoConfig } from '../../config/load.js';
import type { ProviderInfo } from '../../config/catalog.js';
import { ConfigError } from '../../errors.js';
import { closeMatches } from '../../config/closest-match.js';
import { getConfig } from '../context.js';

export async function vaultContext() {
  const config = getConfig();
  const vault = await import('../../vault/index.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  return { config, vault, store };
}

export function providerNamed(config: LlmoConfig, name: string): ProviderInfo {
  const provider = config.catalog.providers.get(name);
  if (!provider) {
    const known = [...config.catalog.providers.keys()];
    const suggestions = closeMatches(name, known);
    throw new ConfigError(`unknown provider "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
      hint: `known providers: ${known.join(', ')} (add your own in models.yaml)`,
    });
  }
  return provider;
}
