/** `llmo auth add NAME`: stores (or replaces) a provider's key, or any named secret, in the vault. */
import { closeMatches } from '../../config/closest-match.js';
import { AuthError, UsageError } from '../../errors.js';
import { note, warn } from '../output.js';
import { obtainDataKey } from '../keys/data-key.js';
import { probeProvider } from './probe-provider.js';
import { readApiKey } from './read-api-key.js';
import { providerNamed, vaultContext } from './vault-context.js';

export interface AddOptions {
  check?: boolean;
  passwordFile?: string;
}

/** A secret's name: what `vault:NAME` in an MCP server's env or headers refers to. */
const SECRET_NAME = /^[A-Za-z0-9_.@-]+$/;

/**
 * `name` is a provider's (its key) or any other name (a secret an MCP server refers to as
 * `vault:NAME`, e.g. `github`). Only a provider's key can be tried with `--check`.
 */
export async function authAdd(name: string, options: AddOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  // A name one typo away from a provider's is taken for that typo, not for a new secret.
  const looksLikeProvider = closeMatches(name, [...config.catalog.providers.keys()]).length > 0;
  const provider = config.catalog.providers.has(name) || looksLikeProvider || options.check ? providerNamed(config, name) : undefined;
  if (!provider && !SECRET_NAME.test(name)) {
    throw new UsageError(`"${name}" cannot name a secret: use letters, digits and . _ @ -`, { hint: 'e.g. llmo auth add github' });
  }
  if (!store.exists()) throw vault.noVault(store.file);
  // The vault first: a locked vault fails before anyone types a key.
  const { dataKey } = await obtainDataKey(config, { passwordFile: options.passwordFile });
  try {
    const key = await readApiKey(name);
    if (provider && options.check) {
      const result = await probeProvider(provider, key.reveal(), config.env);
      if (result.outcome === 'rejected') {
        throw new AuthError(`${provider.name} rejected the key (${result.detail}); nothing was stored`, {
          hint: 'check that you copied the whole key',
        });
      }
      if (result.outcome === 'unreachable')
        warn(`could not check the key: ${provider.name} is unreachable (${result.detail}); storing it anyway`);
      else note(`${provider.name} accepted the key`);
    }
    const replaced = await store.update(dataKey, (entries) => {
      const existed = entries.has(name);
      entries.set(name, { key, addedAt: new Date().toISOString() });
      return { write: true, result: existed };
    });
    note(`${replaced ? 'replaced' : 'stored'} the ${provider ? `${name} key` : `secret "${name}" (vault:${name})`} in the vault`);
  } finally {
    dataKey.dispose();
  }
}
