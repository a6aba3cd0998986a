/**
 * `llmo auth status`: the vault file, whether it is unlocked and for how long, and for each
 * provider where its key would come from. Asks for nothing and spends no KDF.
 */
import type { LlmoConfig } from '../../config/load.js';
import { AuthError } from '../../errors.js';
import { resolveApiKey } from '../keys/keys.js';
import { formatTable } from './list.js';
import { vaultContext } from './vault-context.js';

export async function authStatus(): Promise<void> {
  const { config, vault, store } = await vaultContext();
  const lines: string[][] = [['profile', config.paths.profile ?? 'default']];
  if (!store.exists()) {
    lines.push(['vault', `${store.file} (none yet: llmo auth init)`]);
  } else {
    lines.push(['vault', store.file]);
    const params = vault.paramsOf(store.read(), store.file);
    lines.push(['kdf', `scrypt N=2^${params.log2N}, r=${params.r}, p=${params.p}`]);
  }
  const sources = await Promise.all(
    [...config.catalog.providers.values()].map(async (provider) => {
      const found = await resolveApiKey(provider, config, { interactive: false, usePasswordFile: false });
      return [provider.name, describeSource(found.source, found.variable, found.vault === 'locked')];
    }),
  );
  if (store.exists()) lines.push(['state', await describeState(config)]);
  process.stdout.write(formatTable([...lines, ...sources]));
}

function describeSource(source: string, variable: string | undefined, locked: boolean): string {
  const unless = locked ? ' (the vault is locked: it may hold one)' : '';
  switch (source) {
    case 'vault':
      return 'vault';
    case 'env':
      return `env ${variable}${unless}`;
    case 'not-needed':
      return 'no key needed';
    default:
      return `none${unless}`;
  }
}

async function describeState(config: LlmoConfig): Promise<string> {
  const vault = await import('../../vault/index.js');
  let agent;
  try {
    agent = await vault.callAgent(vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile), { op: 'ping' });
  } catch (error) {
    // Status reports what it finds; a runtime directory it will not trust is one of those things.
    if (error instanceof AuthError) return `locked (the agent is not asked: ${error.message})`;
    throw error;
  }
  if (agent) {
    const left = vault.formatDuration(vault.expiresAt(agent.status) - Date.now());
    return `unlocked by the agent (pid ${agent.status.pid}), ${left} left`;
  }
  const token = config.env[vault.SESSION_VARIABLE];
  if (token) {
    const session = vault.openSession(vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile), token);
    if (session.state === 'open') {
      session.dataKey.dispose();
      return `unlocked by ${vault.SESSION_VARIABLE}, ${vault.formatDuration(session.expiresAt - Date.now())} left`;
    }
    return `locked (${vault.SESSION_VARIABLE} is ${session.state})`;
  }
  return 'locked';
}
