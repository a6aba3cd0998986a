/**
 * Resolves `vault:NAME` for an MCP server, the way provider keys are found: the vault through the
 * agent, LLMO_SESSION, LLMO_PASSWORD_FILE or (on a terminal) one password prompt per process.
 * Called only when a server that refers to the secret starts.
 */
import type { LlmoConfig } from '../../config/load.js';
import { AuthError } from '../../errors.js';
import type { SecretResolver } from '../../mcp/index.js';
import { vaultKeys } from '../keys/keys.js';

export function vaultSecretResolver(config: LlmoConfig, options: { interactive: boolean }): SecretResolver {
  return async (name) => {
    const vault = await vaultKeys(config, { interactive: options.interactive });
    if (vault.state === 'open') {
      const entry = vault.entries.get(name);
      if (entry) return entry.key.reveal();
      throw new AuthError(`vault:${name}: the vault holds no secret named "${name}"`, {
        hint: `store it with \`llmo auth add ${name}\``,
      });
    }
    if (vault.state === 'locked') {
      throw new AuthError(`vault:${name}: the vault is locked`, { hint: 'run `llmo auth unlock` (or set LLMO_PASSWORD_FILE)' });
    }
    throw new AuthError(`vault:${name}: there is no vault yet`, {
      hint: `create it with \`llmo auth init\`, then \`llmo auth add ${name}\``,
    });
  };
}
