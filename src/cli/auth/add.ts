/** `llmo auth add P`: stores (or replaces) provider P's key in the vault. */
import { AuthError } from '../../errors.js';
import { note, warn } from '../output.js';
import { obtainDataKey } from '../keys/data-key.js';
import { probeProvider } from './probe-provider.js';
import { readApiKey } from './read-api-key.js';
import { providerNamed, vaultContext } from './vault-context.js';

export interface AddOptions {
  check?: boolean;
  passwordFile?: string;
}

export async function authAdd(providerName: string, options: AddOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  const provider = providerNamed(config, providerName);
  if (!store.exists()) throw vault.noVault(store.file);
  // The vault first: a locked vault fails before anyone types a key.
  const { dataKey } = await obtainDataKey(config, { passwordFile: options.passwordFile });
  try {
    const key = await readApiKey(provider.name);
    if (options.check) {
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
      const existed = entries.has(provider.name);
      entries.set(provider.name, { key, addedAt: new Date().toISOString() });
      return { write: true, result: existed };
    });
    note(`${replaced ? 'replaced' : 'stored'} the ${provider.name} key in the vault`);
  } finally {
    dataKey.dispose();
  }
}
