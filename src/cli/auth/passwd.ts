/** `llmo auth passwd`: re-wraps the data key under a new password; the stored keys stay as they are. */
import { note, warn } from '../output.js';
import { checkNewPasswordSource, readNewPassword, readPassword } from '../keys/password.js';
import { vaultContext } from './vault-context.js';

export interface PasswdOptions {
  passwordFile?: string;
  newPasswordFile?: string;
  /** Accept a password shorter than MIN_PASSWORD_LENGTH (tests, throwaway vaults). */
  allowWeak?: boolean;
}

export async function authPasswd(options: PasswdOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  if (!store.exists()) throw vault.noVault(store.file);
  // Refuse before the KDF runs when the new password could not be read anyway.
  checkNewPasswordSource(options.newPasswordFile, { fileFlag: '--new-password-file FILE' });
  // The current password, not the agent: changing it must prove you know it.
  const current = await readPassword({ passwordFile: options.passwordFile, env: config.env }, 'current vault password: ');
  const opened = store.read();
  const dataKey = await vault.unwrapWithPassword(opened, current, store.file);
  try {
    const next = await readNewPassword(options.newPasswordFile, {
      env: config.env,
      fileFlag: '--new-password-file FILE',
      allowWeak: options.allowWeak,
    });
    if (vault.testCostInEffect(config.env)) warn(`${vault.TEST_COST_VARIABLE} is set: the vault gets a weak, test-only scrypt cost`);
    const wrap = await vault.wrapFor(next, config.env);
    const { log2N, r, p } = wrap.chosen.params;
    try {
      await store.rewrap(dataKey, wrap, { bytes: opened, password: current });
    } finally {
      vault.zero(wrap.chosen.key);
    }
    note(`the vault password is changed (scrypt N=2^${log2N}, r=${r}, p=${p}); the keys in it are unchanged`);
    note('an unlocked agent or session stays unlocked until it expires or `llmo auth lock`');
  } finally {
    dataKey.dispose();
  }
}
