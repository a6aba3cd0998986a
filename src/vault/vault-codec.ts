/**
 * Vault bytes ⇄ keys. A random 256-bit data key encrypts the payload; the password key (scrypt)
 * only wraps the data key, so `passwd` re-wraps 32 bytes and sessions hold the data key, never
 * the password. Every function here is pure: files and locks are vault-store.ts's job.
 */
import { randomBytes } from 'node:crypto';
import { open, seal } from './aead.js';
import { forbidCoreDumps } from './forbid-core-dumps.js';
import { parseEntries, serializeEntries, type VaultEntries } from './entries.js';
import { deriveKey, deriveNewKey, type ChosenKey } from './kdf.js';
import { type Secret, SecretBytes, zero } from './secret.js';
import { damagedVault, wrongPassword } from './vault-errors.js';
import { encodeBox, encodeHeader, KEY_LENGTH, parseVault, SALT_LENGTH, type ScryptParams } from './vault-format.js';

export interface NewVault {
  bytes: Buffer;
  dataKey: SecretBytes;
  params: ScryptParams;
  measuredMs: number;
  testHook: boolean;
}

/** A fresh vault for `password` holding `entries` (usually none). */
export async function createVaultBytes(password: Secret, entries: VaultEntries, env?: NodeJS.ProcessEnv): Promise<NewVault> {
  await forbidCoreDumps();
  const dataKey = new SecretBytes(randomBytes(KEY_LENGTH));
  const wrap = await wrapFor(password, env);
  const prefix = wrapDataKey(wrap, dataKey);
  const bytes = Buffer.concat([prefix, sealPayload(prefix, dataKey, entries)]);
  return { bytes, dataKey, params: wrap.chosen.params, measuredMs: wrap.chosen.measuredMs, testHook: wrap.chosen.testHook };
}

/** A password key with a fresh salt and calibrated cost, ready to wrap a data key. */
export interface PasswordWrap {
  salt: Buffer;
  chosen: ChosenKey;
}

export async function wrapFor(password: Secret, env?: NodeJS.ProcessEnv): Promise<PasswordWrap> {
  const salt = randomBytes(SALT_LENGTH);
  return { salt, chosen: await deriveNewKey(password, salt, env) };
}

/** Header + wrapped data key (the payload's AAD). Zeroes the password key. */
function wrapDataKey(wrap: PasswordWrap, dataKey: SecretBytes): Buffer {
  const header = encodeHeader(wrap.chosen.params, wrap.salt);
  try {
    return Buffer.concat([header, encodeBox(seal(wrap.chosen.key, dataKey.reveal(), header))]);
  } finally {
    zero(wrap.chosen.key);
  }
}

function sealPayload(prefix: Buffer, dataKey: SecretBytes, entries: VaultEntries): Buffer {
  const plaintext = serializeEntries(entries);
  try {
    return encodeBox(seal(dataKey.reveal(), plaintext, prefix));
  } finally {
    zero(plaintext);
  }
}

/** The data key, if `password` opens this vault. Throws wrongPassword or damagedVault otherwise. */
export async function unwrapWithPassword(bytes: Buffer, password: Secret, file: string): Promise<SecretBytes> {
  await forbidCoreDumps();
  const parsed = parseVault(bytes, file);
  const passwordKey = await deriveKey(password, parsed.salt, parsed.params);
  const dataKey = open(passwordKey, parsed.wrappedKey, parsed.header);
  zero(passwordKey);
  if (!dataKey || dataKey.length !== KEY_LENGTH) throw wrongPassword(file);
  const secret = new SecretBytes(dataKey);
  // The data key is right; make sure the payload is intact too, so a damaged file is reported now.
  readEntries(bytes, secret, file);
  return secret;
}

/** The stored keys. A data key that does not open the payload means the file was altered (or replaced). */
export function readEntries(bytes: Buffer, dataKey: SecretBytes, file: string): VaultEntries {
  const parsed = parseVault(bytes, file);
  const plaintext = open(dataKey.reveal(), parsed.payload, parsed.prefix);
  if (!plaintext) throw damagedVault(file);
  const entries = parseEntries(plaintext);
  if (!entries) throw damagedVault(file, 'the decrypted contents are not a key list');
  return entries;
}

/** Same header and wrapped key, new payload (fresh nonce). */
export function replaceEntries(bytes: Buffer, dataKey: SecretBytes, entries: VaultEntries, file: string): Buffer {
  const parsed = parseVault(bytes, file);
  const prefix = Buffer.from(parsed.prefix);
  return Buffer.concat([prefix, sealPayload(prefix, dataKey, entries)]);
}

/** `passwd`: the data key wrapped under a new password (new salt, new cost); the keys stay. */
export function rewrapBytes(bytes: Buffer, dataKey: SecretBytes, wrap: PasswordWrap, file: string): Buffer {
  const entries = readEntries(bytes, dataKey, file);
  const prefix = wrapDataKey(wrap, dataKey);
  return Buffer.concat([prefix, sealPayload(prefix, dataKey, entries)]);
}

/** The cost a file records, for `status` and tests. */
export function paramsOf(bytes: Buffer, file: string): ScryptParams {
  return parseVault(bytes, file).params;
}
