/** `llmo auth remove P`: deletes provider P's key from the vault. */
import { UsageError } from '../../errors.js';
import { closeMatches } from '../../config/closest-match.js';
import { note } from '../output.js';
import { obtainDataKey } from '../keys/data-key.js';
import { vaultContext } from './vault-context.js';

export interface RemoveOptions {
  passwordFile?: string;
}

export async function authRemove(providerName: string, options: RemoveOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  if (!store.exists()) throw vault.noVault(store.file);
  const { dataKey } = await obtainDataKey(config, { passwordFile: options.passwordFile });
  try {
    await store.update(dataKey, (entries) => {
      if (!entries.delete(providerName)) {
        const suggestions = closeMatches(providerName, [...entries.keys()]);
        const guess = suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '';
        throw new UsageError(`the vault holds no key for ${providerName}${guess}`, { hint: 'see what it holds with: llmo auth list' });
      }
      return { write: true, result: undefined };
    });
  } finally {
    dataKey.dispose();
  }
  note(`removed the ${providerName} key from the vault`);
}
