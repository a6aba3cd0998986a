/** The vault's failures, each an AuthError (exit 4) with a message that says what to do. */
import { AuthError } from '../errors.js';

export const DAMAGED = 'vault is damaged or was tampered with';

/** The file cannot be trusted: truncated, bit-flipped, or edited. */
export function damagedVault(file: string, detail?: string, hint?: string): AuthError {
  return new AuthError(detail ? `${DAMAGED}: ${detail}` : DAMAGED, {
    hint: hint ?? `restore ${file} from a backup, or move it away and start again with: llmo auth init`,
  });
}

/**
 * The password key did not open the data key. With this format a wrong password and a flipped
 * byte in the salt, KDF parameters or wrapped key look the same (both fail the one GCM tag), so
 * the message names both.
 */
export function wrongPassword(file: string): AuthError {
  return new AuthError(`wrong password, or the ${DAMAGED}`, {
    hint: `nothing was changed; try again (if the password is right, restore ${file} from a backup)`,
  });
}

export function noVault(file: string): AuthError {
  return new AuthError(`there is no vault yet (${file})`, { hint: 'create one with: llmo auth init' });
}
