/**
 * The vault's data key for a command that reads or changes the vault: from the agent, from
 * LLMO_SESSION, else by the password (file, or a prompt on a terminal). `--password-file` given
 * on the command line goes first: the user asked for it.
 */
import type { LlmoConfig } from '../../config/load.js';
import { AuthError } from '../../errors.js';
import type { SecretBytes } from '../../vault/index.js';
import { note, warn } from '../output.js';
import { canPrompt } from './prompt-secret.js';
import { passwordFileFrom, readPassword, type PasswordOptions } from './password.js';

export type DataKeyOrigin = 'agent' | 'session' | 'password';

export interface DataKeyOptions {
  passwordFile?: string | undefined;
  interactive?: boolean;
  /** Also try LLMO_PASSWORD_FILE and the prompt (default true). */
  allowPassword?: boolean;
}

export interface OpenedVault {
  dataKey: SecretBytes;
  origin: DataKeyOrigin;
}

/** The data key without asking anyone: agent, then LLMO_SESSION. */
export async function unlockedDataKey(config: LlmoConfig): Promise<OpenedVault | undefined> {
  const vault = await import('../../vault/index.js');
  await vault.forbidCoreDumps();
  const reply = await askAgent(config);
  // The agent's word for which vault it holds counts only when its key backs it (agentProof).
  const claimed = reply?.dataKey && reply.proves(reply.dataKey, reply.status.vault ?? '') ? reply.status.vault : undefined;
  if (reply?.dataKey && (await opensThisVault(config, reply.dataKey, 'the llmo agent', claimed))) {
    if (await provesThisVault(config, reply)) return { dataKey: reply.dataKey, origin: 'agent' };
    reply.dataKey.dispose();
  }
  const token = config.env[vault.SESSION_VARIABLE];
  if (token) {
    const session = vault.openSession(vault.vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile), token);
    if (session.state === 'open' && (await opensThisVault(config, session.dataKey, vault.SESSION_VARIABLE)))
      return { dataKey: session.dataKey, origin: 'session' };
    if (session.state === 'open') return undefined;
    note(
      `${vault.SESSION_VARIABLE} is ${session.state === 'expired' ? 'expired' : 'not usable here'}; run eval "$(llmo auth unlock --export)" for a new one`,
    );
  }
  return undefined;
}

/**
 * A key from the agent or a session is used only once it has proved itself: it must open this
 * vault's contents (AES-GCM's tag cannot be forged without the key). A key that does not is an
 * agent or session of another vault, or of this one before it was re-created — never a sign
 * that the file was tampered with, so it is set aside with that explanation (and wiped).
 */
async function opensThisVault(config: LlmoConfig, dataKey: SecretBytes, holder: string, holderVault?: string): Promise<boolean> {
  const vault = await import('../../vault/index.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  if (!store.exists()) return true;
  const bytes = store.read();
  // A file that does not even parse is damaged whoever holds which key: that error stands.
  vault.paramsOf(bytes, store.file);
  try {
    vault.readEntries(bytes, dataKey, store.file);
    return true;
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    dataKey.dispose();
    // The very vault the agent was unlocked for, and its key no longer opens it: damage.
    if (holderVault !== undefined && holderVault === vault.vaultFingerprint(bytes)) throw error;
    warn(
      `${holder} holds a key that does not open ${store.file} (it was unlocked for another vault, or before this one was re-created); not using it`,
    );
    note('run `llmo auth lock`, then `llmo auth unlock`');
    return false;
  }
}

/**
 * A key that opens the vault, from a process that cannot prove it was unlocked for this vault
 * (agentProof), is not taken: an agent of an older llmo, or a socket planted with a copied key.
 */
async function provesThisVault(config: LlmoConfig, reply: { dataKey?: SecretBytes; proves(key: SecretBytes, vault: string): boolean }) {
  const vault = await import('../../vault/index.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  if (!store.exists() || reply.proves(reply.dataKey!, vault.vaultFingerprint(store.read()))) return true;
  warn(
    "the process on the llmo agent's socket did not prove it holds this vault's key (an agent of an older llmo, or not an agent); not using it",
  );
  note('run `llmo auth lock`, then `llmo auth unlock`');
  return false;
}

/**
 * The agent's answer, or none when it cannot be trusted or reached: a runtime directory someone
 * else owns (planted under /tmp), one opened up, a hung agent. The lookup then goes on to the
 * password or the environment variable instead of failing every command; the reason is shown.
 */
async function askAgent(config: LlmoConfig) {
  const { callAgent, vaultRuntimeDir } = await import('../../vault/index.js');
  try {
    return await callAgent(vaultRuntimeDir(config.paths.runtimeDir, config.paths.vaultFile), { op: 'get' });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    warn(`not asking the llmo agent: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
    return undefined;
  }
}

/** The data key by any means allowed; throws AuthError naming `llmo auth unlock` when there is none. */
export async function obtainDataKey(config: LlmoConfig, options: DataKeyOptions = {}): Promise<OpenedVault> {
  const vault = await import('../../vault/index.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  if (!store.exists()) throw vault.noVault(store.file);
  const passwordOptions = { passwordFile: options.passwordFile, env: config.env, interactive: options.interactive ?? canPrompt() };
  if (!options.passwordFile) {
    const unlocked = await unlockedDataKey(config);
    if (unlocked) return unlocked;
  }
  if (options.allowPassword !== false && (passwordFileFrom(passwordOptions) || passwordOptions.interactive)) {
    return dataKeyFromPassword(config, passwordOptions);
  }
  throw lockedError();
}

/** Asks for the password (file or prompt) and opens the vault with it: one KDF. */
export async function dataKeyFromPassword(config: LlmoConfig, options: PasswordOptions, question?: string): Promise<OpenedVault> {
  const vault = await import('../../vault/index.js');
  const store = new vault.VaultStore(config.paths.vaultFile);
  // Before the password is read: from here on this process holds secrets.
  await vault.forbidCoreDumps();
  const password = await readPassword({ env: config.env, ...options }, question);
  const bytes = store.read();
  noteSlowDerivation(vault.paramsOf(bytes, store.file));
  return { dataKey: await vault.unwrapWithPassword(bytes, password, store.file), origin: 'password' };
}

/**
 * `init` aims at about a second; a file asking for much more (a fast machine's calibration read
 * on a slow one, or a tampered header) is said before the wait, so a pause is not taken for a hang.
 */
export function noteSlowDerivation(params: { log2N: number; r: number; p: number }): void {
  const work = 2 ** params.log2N * params.r * params.p;
  if (work <= 2 ** 18 * 8) return;
  note(
    `opening the vault: scrypt N=2^${params.log2N}, r=${params.r}, p=${params.p} may take several seconds and up to ${Math.round((128 * 2 ** params.log2N * params.r) / 2 ** 20)} MiB`,
  );
}

export function lockedError(): AuthError {
  return new AuthError('the vault is locked', {
    hint: 'run `llmo auth unlock` first, or pass --password-file FILE (or set LLMO_PASSWORD_FILE)',
  });
}
