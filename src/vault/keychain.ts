/**
 * `unlock --remember`: a copy of the data key in the OS keychain (macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux — pinned there, never the kernel keyring
 * fallback), used by the next `unlock` instead of the password. @napi-rs/keyring is native and
 * loads only here, only when asked. A marker file beside the vault records that a copy exists,
 * so plain unlocks and locks do not touch the keychain (which may prompt) at all.
 */
import { existsSync, unlinkSync } from 'node:fs';
import type { AsyncEntry as AsyncEntryType } from '@napi-rs/keyring';
import { writeFileAtomicSync } from '../fs/atomic-write.js';
import { forbidCoreDumps } from './forbid-core-dumps.js';
import { SecretBytes } from './secret.js';
import { KEY_LENGTH } from './vault-format.js';

const SERVICE = 'llmo';

export function keychainMarker(vaultFile: string): string {
  return `${vaultFile}.keychain`;
}

export function isRemembered(vaultFile: string): boolean {
  return existsSync(keychainMarker(vaultFile));
}

async function entryFor(vaultFile: string): Promise<AsyncEntryType> {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  return new AsyncEntry(SERVICE, `vault:${vaultFile}`, { linux: { store: 'secret-service' } });
}

/** Stores the data key; throws (with the keychain's reason) when no keychain is reachable. */
export async function rememberDataKey(vaultFile: string, dataKey: SecretBytes): Promise<void> {
  const entry = await entryFor(vaultFile);
  await entry.setSecret(dataKey.reveal());
  writeFileAtomicSync(
    keychainMarker(vaultFile),
    Buffer.from('the data key of this vault is remembered in the OS keychain (service "llmo")\n'),
  );
}

/** The remembered data key, or undefined (none, or the keychain is unreachable). */
export async function recallDataKey(vaultFile: string): Promise<SecretBytes | undefined> {
  if (!isRemembered(vaultFile)) return undefined;
  await forbidCoreDumps();
  try {
    const secret = await (await entryFor(vaultFile)).getSecret();
    if (!secret || secret.length !== KEY_LENGTH) return undefined;
    const bytes = Buffer.from(secret);
    secret.fill(0);
    return new SecretBytes(bytes);
  } catch {
    return undefined;
  }
}

/** Deletes the remembered copy (best effort); true when the keychain confirmed it. */
export async function forgetDataKey(vaultFile: string): Promise<boolean> {
  if (!isRemembered(vaultFile)) return false;
  let forgotten = false;
  try {
    forgotten = await (await entryFor(vaultFile)).deleteCredential();
  } catch {
    // unreachable keychain: nothing more we can do
  }
  try {
    unlinkSync(keychainMarker(vaultFile));
  } catch {
    // already gone
  }
  return forgotten;
}
