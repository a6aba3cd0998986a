/**
 * `llmo auth unlock`: opens the vault once (remembered keychain copy, else the password) and
 * hands the data key to a background agent, or with `--export` to an LLMO_SESSION. A second
 * unlock reuses the running agent.
 */
import type { LlmoConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import type { SecretBytes } from '../../vault/index.js';
import { note, warn } from '../output.js';
import { dataKeyFromPassword } from '../keys/data-key.js';
import { vaultContext } from './vault-context.js';

export interface UnlockOptions {
  ttl?: string;
  remember?: boolean;
  export?: boolean;
  passwordFile?: string;
}

export async function authUnlock(options: UnlockOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  const idleMs = options.ttl === undefined ? vault.DEFAULT_IDLE_MS : vault.parseDuration(options.ttl);
  if (idleMs > vault.MAX_LIFETIME_MS) throw new UsageError(`--ttl can be at most ${vault.formatDuration(vault.MAX_LIFETIME_MS)}`);
  if (!store.exists()) throw vault.noVault(store.file);
  const runtimeDir = vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile);

  let running = await vault.callAgent(runtimeDir, { op: 'get' });
  const unfit = running && whyUnfit(vault, store, running);
  if (running && unfit) {
    // An agent of this vault's path from before it was re-created, an older llmo's, or not an agent.
    note(`stopping the llmo agent (pid ${running.status.pid}): ${unfit}`);
    running.dataKey?.dispose();
    await vault.callAgent(runtimeDir, { op: 'stop' }).catch(() => undefined);
    running = undefined;
  }
  if (running && !options.export) {
    const status =
      options.ttl === undefined
        ? running.status
        : ((await vault.callAgent(runtimeDir, { op: 'set-ttl', idleMs }))?.status ?? running.status);
    note(
      `already unlocked: the agent (pid ${status.pid}) holds the key for ${vault.formatDuration(vault.expiresAt(status) - Date.now())} more`,
    );
    if (options.remember && running.dataKey) await remember(config, running.dataKey);
    running.dataKey?.dispose();
    return;
  }

  const dataKey = running?.dataKey ?? (await openVault(config, options));
  try {
    if (options.export) {
      const expires = Date.now() + idleMs;
      const token = vault.createSession(runtimeDir, dataKey, expires);
      process.stdout.write(`export ${vault.SESSION_VARIABLE}=${token}\n`);
      note(
        `unlocked for this shell until ${new Date(expires).toLocaleTimeString()} (${vault.formatDuration(idleMs)}); \`llmo auth lock\` ends it sooner`,
      );
    } else {
      const status = await vault.startAgent({
        runtimeDir,
        dataKey,
        idleMs,
        maxMs: vault.MAX_LIFETIME_MS,
        vault: vault.vaultFingerprint(store.read()),
        env: process.env,
      });
      note(
        `unlocked: the llmo agent (pid ${status.pid}) keeps the key until it goes unused for ${vault.formatDuration(idleMs)} (at most ${vault.formatDuration(vault.MAX_LIFETIME_MS)})`,
      );
    }
    if (options.remember) await remember(config, dataKey);
  } finally {
    dataKey.dispose();
  }
}

type VaultModule = typeof import('../../vault/index.js');

/** Why a running agent's key is not to be kept: it opens nothing here, or it cannot prove it was unlocked for this vault. */
function whyUnfit(
  vault: VaultModule,
  store: InstanceType<VaultModule['VaultStore']>,
  running: NonNullable<Awaited<ReturnType<VaultModule['callAgent']>>>,
): string | undefined {
  if (!running.dataKey) return `it holds no key for ${store.file}`;
  try {
    vault.readEntries(store.read(), running.dataKey, store.file);
  } catch {
    return `its key does not open ${store.file}`;
  }
  if (!running.proves(running.dataKey, vault.vaultFingerprint(store.read()))) return `it cannot prove it was unlocked for ${store.file}`;
  return undefined;
}

/** The remembered keychain copy when it still opens the vault, else the password. */
async function openVault(config: LlmoConfig, options: UnlockOptions): Promise<SecretBytes> {
  const vault = await import('../../vault/index.js');
  if (!options.passwordFile) {
    const remembered = await vault.recallDataKey(config.paths.vaultFile);
    if (remembered) {
      try {
        const store = new vault.VaultStore(config.paths.vaultFile);
        vault.readEntries(store.read(), remembered, store.file);
        note('opened with the key remembered in the OS keychain');
        return remembered;
      } catch {
        // a stale copy (the vault was re-created): ask for the password instead
        remembered.dispose();
      }
    }
  }
  return (await dataKeyFromPassword(config, { passwordFile: options.passwordFile })).dataKey;
}

async function remember(config: LlmoConfig, dataKey: SecretBytes): Promise<void> {
  const vault = await import('../../vault/index.js');
  try {
    await vault.rememberDataKey(config.paths.vaultFile, dataKey);
    note('the key is remembered in the OS keychain for the next `llmo auth unlock`');
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    warn(`no OS keychain is reachable, so --remember does nothing (${reason}); the vault is unlocked anyway`);
  }
}
