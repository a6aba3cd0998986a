/** `llmo auth init`: a new, empty vault behind a password typed twice (or read from a file). */
import { UsageError } from '../../errors.js';
import { note, warn } from '../output.js';
import { passwordFileFrom, readNewPassword } from '../keys/password.js';
import { stopEverything } from './lock.js';
import { vaultContext } from './vault-context.js';

export interface InitOptions {
  passwordFile?: string;
  /** Accept a password shorter than MIN_PASSWORD_LENGTH (tests, throwaway vaults). */
  allowWeak?: boolean;
}

export async function authInit(options: InitOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  if (store.exists()) {
    throw new UsageError(`a vault already exists at ${store.file}`, {
      hint: 'change its password with `llmo auth passwd`; add keys with `llmo auth add PROVIDER`',
    });
  }
  const password = await readNewPassword(passwordFileFrom({ passwordFile: options.passwordFile, env: config.env }), {
    env: config.env,
    fileFlag: '--password-file FILE or LLMO_PASSWORD_FILE=FILE',
    allowWeak: options.allowWeak,
  });
  if (vault.testCostInEffect(config.env)) warn(`${vault.TEST_COST_VARIABLE} is set: this vault gets a weak, test-only scrypt cost`);
  const started = performance.now();
  const created = await vault.createVaultBytes(password, new Map(), config.env);
  const elapsed = performance.now() - started;
  created.dataKey.dispose();
  await store.create(created.bytes);
  // An agent or session left from an older vault at this path holds a key that opens nothing now.
  await stopEverything(config, { forgetKeychain: true });
  const { log2N, r, p } = created.params;
  note(`created the vault ${store.file}`);
  note(
    `scrypt N=2^${log2N}, r=${r}, p=${p}: about ${formatSeconds(elapsed - (created.params.log2N === vault.MIN_LOG2N ? 0 : created.measuredMs))} to unlock on this machine`,
  );
  note('add a key with: llmo auth add PROVIDER');
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
