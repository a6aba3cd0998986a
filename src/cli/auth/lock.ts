/** `llmo auth lock`: stops the agent, deletes every session file, forgets the keychain copy. */
import type { LlmoConfig } from '../../config/load.js';
import { note } from '../output.js';
import { vaultContext } from './vault-context.js';

export async function authLock(): Promise<void> {
  const { config } = await vaultContext();
  const stopped = await stopEverything(config, { forgetKeychain: true });
  if (stopped.length === 0) note('the vault was not unlocked');
  else note(`locked: ${stopped.join(', ')}`);
}

/** Ends every unlocked state; returns what was ended, for the message. */
export async function stopEverything(config: LlmoConfig, options: { forgetKeychain: boolean }): Promise<string[]> {
  const vault = await import('../../vault/index.js');
  const ended: string[] = [];
  const runtimeDir = vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile);
  const agent = await vault.callAgent(runtimeDir, { op: 'stop' }).catch(() => undefined);
  if (agent) ended.push(`stopped the agent (pid ${agent.status.pid})`);
  const sessions = vault.removeAllSessions(runtimeDir);
  if (sessions > 0) ended.push(`ended ${sessions} exported session${sessions === 1 ? '' : 's'}`);
  if (options.forgetKeychain && vault.isRemembered(config.paths.vaultFile)) {
    await vault.forgetDataKey(config.paths.vaultFile);
    ended.push('removed the key remembered in the OS keychain');
  }
  return ended;
}
