/** The vault's public face, for src/cli. Everything else in this folder is internal. */
export { Secret, SecretBytes, zero } from './secret.js';
export type { VaultEntries, VaultEntry } from './entries.js';
export { VaultStore } from './vault-store.js';
export { createVaultBytes, paramsOf, readEntries, unwrapWithPassword, wrapFor } from './vault-codec.js';
export { DAMAGED, damagedVault, noVault, wrongPassword } from './vault-errors.js';
export type { ScryptParams } from './vault-format.js';
export { MIN_LOG2N, MAX_WRITE_LOG2N, TEST_COST_VARIABLE, testCostInEffect } from './kdf.js';
export { callAgent } from './agent-client.js';
export { startAgent } from './agent-launch.js';
export {
  AGENT_TITLE,
  DEFAULT_IDLE_MS,
  MAX_LIFETIME_MS,
  expiresAt,
  vaultFingerprint,
  vaultRuntimeDir,
  type AgentStatus,
} from './agent-protocol.js';
export { createSession, openSession, removeAllSessions, SESSION_VARIABLE, type SessionResult } from './session.js';
export { forgetDataKey, isRemembered, recallDataKey, rememberDataKey } from './keychain.js';
export { PASSWORD_FILE_VARIABLE, readPasswordFile } from './password-file.js';
export { formatDuration, parseDuration } from './duration.js';
export { childEnvironment } from './child-env.js';
export { ensurePrivateDir } from './private-dir.js';
export { forbidCoreDumps } from './forbid-core-dumps.js';
