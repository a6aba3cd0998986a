/**
 * The one function every provider call gets its key from: the vault first (through the agent,
 * LLMO_SESSION, LLMO_PASSWORD_FILE, or — on a terminal — one password prompt per process), then
 * the provider's environment variable.
 */
import { existsSync, statSync } from 'node:fs';
import type { LlmoConfig } from '../../config/load.js';
import type { ProviderInfo } from '../../config/catalog.js';
import { AuthError } from '../../errors.js';
import type { SecretBytes, VaultEntries } from '../../vault/index.js';

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
  /** May we spend a KDF on LLMO_PASSWORD_FILE? (default true; `auth status` says no) */
  usePasswordFile?: boolean;
  /** `--password-file` of the command (auth test): used before the agent is asked. */
  passwordFile?: string | undefined;
  /** Why a prompt asks (set by resolveApiKey: which provider's key is wanted). */
  question?: string | undefined;
}

/** What the vault could tell us without (or after) asking for the password. */
export type VaultKeys = { state: 'absent' } | { state: 'locked' } | { state: 'open'; entries: VaultEntries };

/** Finds the key for a provider, or throws an AuthError naming both fixes. */
export async function lookupApiKey(provider: ProviderInfo, config: LlmoConfig, options: LookupOptions): Promise<KeyLookup> {
  const found = await resolveApiKey(provider, config, options);
  if (found.source !== 'none') return found;
  const variable = found.variable ?? provider.apiKeyName ?? 'the key variable';
  if (found.vault === 'locked') {
    throw new AuthError(`no API key for ${provider.name}: the vault is locked and ${variable} is not set`, {
      hint: `run \`llmo auth unlock\` (and \`llmo auth add ${provider.name}\` if the vault has no key for it), or set ${variable}`,
    });
  }
  throw new AuthError(`no API key for ${provider.name}`, {
    hint: `store one with \`llmo auth add ${provider.name}\`, or set ${variable}`,
  });
}

/** Where the key would come from, without throwing when there is none. */
export async function resolveApiKey(
  provider: ProviderInfo,
  config: LlmoConfig,
  options: LookupOptions,
): Promise<KeyLookup & { vault: VaultKeys['state'] }> {
  if (!provider.apiKeyName) return { ...keyFromEnvironment(provider, config.env), vault: 'absent' };
  const asking = options.interactive ? await worthAsking(provider, config) : 'no';
  const vault = await vaultKeys(config, {
    ...options,
    interactive: asking !== 'no',
    question: `the vault ${asking === 'holds' ? 'holds' : 'may hold'} the ${provider.name} key; vault password: `,
  });
  if (vault.state === 'open') {
    const entry = vault.entries.get(provider.name);
    if (entry) return { key: entry.key.reveal(), source: 'vault', variable: provider.apiKeyName, vault: vault.state };
  }
  return { ...keyFromEnvironment(provider, config.env), vault: vault.state };
}

/**
 * Whether a locked vault is worth a password prompt for this provider: when its list of names
 * says it holds the key, or — for a vault without the list — when the environment has no key
 * to fall back on. A vault that does not hold the key is not asked for one.
 */
async function worthAsking(provider: ProviderInfo, config: LlmoConfig): Promise<'holds' | 'may hold' | 'no'> {
  if (!existsSync(config.paths.vaultFile)) return 'no';
  const { VaultStore } = await import('../../vault/index.js');
  const names = new VaultStore(config.paths.vaultFile).listedNames();
  if (names) return names.includes(provider.name) ? 'holds' : 'no';
  return keyFromEnvironment(provider, config.env).source === 'env' ? 'no' : 'may hold';
}

/** Opened vaults, each with the signature of the file it was read from. */
const opened = new Map<string, { signature: string; pending: Promise<VaultKeys> }>();

/**
 * The vault's keys, opened at most once per process while the file stays the same (so a locked
 * vault prompts once), and again when it changed: a running chat sees a key that `llmo auth add`
 * stored from another terminal.
 */
export function vaultKeys(config: LlmoConfig, options: LookupOptions): Promise<VaultKeys> {
  const cacheKey = [config.paths.vaultFile, options.interactive, options.usePasswordFile !== false, options.passwordFile].join('\0');
  const signature = fileSignature(config.paths.vaultFile);
  const cached = opened.get(cacheKey);
  if (cached && cached.signature === signature) return cached.pending;
  const pending = openVaultKeys(config, options);
  opened.set(cacheKey, { signature, pending });
  // A failure (wrong password) is not cached: the error ends the command anyway.
  pending.catch(() => opened.delete(cacheKey));
  return pending;
}

/** Changes whenever the vault is rewritten (always through a rename, so the inode changes too). */
function fileSignature(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

async function openVaultKeys(config: LlmoConfig, options: LookupOptions): Promise<VaultKeys> {
  if (!existsSync(config.paths.vaultFile)) return { state: 'absent' };
  const vault = await import('../../vault/index.js');
  const { unlockedDataKey, dataKeyFromPassword } = await import('./data-key.js');
  const { passwordFileFrom } = await import('./password.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  let opened = options.passwordFile
    ? await dataKeyFromPassword(config, { passwordFile: options.passwordFile })
    : await unlockedDataKey(config);
  const fromFile = options.usePasswordFile !== false && passwordFileFrom({ env: config.env }) !== undefined;
  const prompting = !opened && !fromFile && options.interactive;
  if (!opened && (options.interactive || fromFile)) {
    // Say why the password is wanted: the vault holds (or may hold) a key this command needs.
    opened = await dataKeyFromPassword(config, { interactive: options.interactive }, options.question);
  }
  if (!opened) return { state: 'locked' };
  try {
    const entries = vault.readEntries(store.read(), opened.dataKey, store.file);
    // One prompt is enough: an agent keeps the key so the next command pays no KDF again.
    if (prompting) await startAgentAfterPrompt(config, opened.dataKey);
    return { state: 'open', entries };
  } finally {
    opened.dataKey.dispose();
  }
}

async function startAgentAfterPrompt(config: LlmoConfig, dataKey: SecretBytes): Promise<void> {
  const vault = await import('../../vault/index.js');
  const { note, warn } = await import('../output.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  try {
    await vault.startAgent({
      runtimeDir: vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile),
      dataKey,
      idleMs: vault.DEFAULT_IDLE_MS,
      maxMs: vault.MAX_LIFETIME_MS,
      vault: vault.vaultFingerprint(store.read()),
      env: process.env,
    });
    note(
      `unlocked for ${vault.formatDuration(vault.DEFAULT_IDLE_MS)} of inactivity: the next llmo will not ask; \`llmo auth lock\` ends it`,
    );
  } catch (error) {
    warn(`could not keep the vault unlocked (${error instanceof Error ? error.message : String(error)}); the next llmo will ask again`);
  }
}
