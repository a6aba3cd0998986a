/**
 * `llmo auth unlock --export`, for places where no background process may run (CI jobs,
 * containers): a copy of the data key, wrapped by a fresh random session key, is kept in the
 * runtime directory with an expiry; the session key travels in LLMO_SESSION. Neither half alone
 * opens anything, and `llmo auth lock` (or the expiry) deletes the file.
 *
 *   file <runtime>/sessions/<id>:  "LLMOSES\0" | version u8 = 1 | expires_at u64 ms | nonce 12 | data key 32 | tag 16
 *   AAD: the bytes before the nonce, then the id
 *   LLMO_SESSION:                  v1.<id, 32 hex>.<session key, base64url>
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { open, seal } from './aead.js';
import { writeNewFile } from '../fs/atomic-write.js';
import { ensurePrivateDir, checkPrivateDir } from './private-dir.js';
import { SecretBytes, zero } from './secret.js';
import { encodeBox, KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH } from './vault-format.js';

export const SESSION_VARIABLE = 'LLMO_SESSION';
const MAGIC = Buffer.from('LLMOSES\0', 'latin1');
const HEAD_LENGTH = MAGIC.length + 1 + 8;
const FILE_LENGTH = HEAD_LENGTH + NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH;
const TOKEN = /^v1\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

export function sessionsDir(runtimeDir: string): string {
  return path.join(runtimeDir, 'sessions');
}

/** Writes the session file and returns the LLMO_SESSION value. */
export function createSession(runtimeDir: string, dataKey: SecretBytes, expiresAt: number): string {
  const directory = sessionsDir(runtimeDir);
  ensurePrivateDir(runtimeDir);
  ensurePrivateDir(directory);
  removeExpiredSessions(runtimeDir);
  const id = randomBytes(16).toString('hex');
  const sessionKey = randomBytes(KEY_LENGTH);
  const head = Buffer.alloc(HEAD_LENGTH);
  MAGIC.copy(head);
  head.writeUInt8(1, MAGIC.length);
  head.writeBigUInt64BE(BigInt(expiresAt), MAGIC.length + 1);
  const box = seal(sessionKey, dataKey.reveal(), Buffer.concat([head, Buffer.from(id)]));
  writeNewFile(path.join(directory, id), Buffer.concat([head, encodeBox(box)]));
  const token = `v1.${id}.${sessionKey.toString('base64url')}`;
  zero(sessionKey);
  return token;
}

export type SessionResult = { state: 'open'; dataKey: SecretBytes; expiresAt: number } | { state: 'expired' | 'missing' | 'invalid' };

/** Opens the session LLMO_SESSION names. Expired session files are deleted. */
export function openSession(runtimeDir: string, token: string, now = Date.now()): SessionResult {
  const match = TOKEN.exec(token.trim());
  if (!match) return { state: 'invalid' };
  const [, id, encodedKey] = match as unknown as [string, string, string];
  const file = path.join(sessionsDir(runtimeDir), id);
  let bytes: Buffer;
  try {
    checkPrivateDir(runtimeDir, { repair: false });
    bytes = readFileSync(file);
  } catch {
    return { state: 'missing' };
  }
  if (bytes.length !== FILE_LENGTH || !bytes.subarray(0, MAGIC.length).equals(MAGIC) || bytes.readUInt8(MAGIC.length) !== 1)
    return { state: 'invalid' };
  const expiresAt = Number(bytes.readBigUInt64BE(MAGIC.length + 1));
  if (expiresAt <= now) {
    removeQuietly(file);
    return { state: 'expired' };
  }
  const sessionKey = Buffer.from(encodedKey, 'base64url');
  const aad = Buffer.concat([bytes.subarray(0, HEAD_LENGTH), Buffer.from(id)]);
  const boxStart = HEAD_LENGTH;
  const dataKey = open(
    sessionKey,
    {
      nonce: bytes.subarray(boxStart, boxStart + NONCE_LENGTH),
      ciphertext: bytes.subarray(boxStart + NONCE_LENGTH, boxStart + NONCE_LENGTH + KEY_LENGTH),
      tag: bytes.subarray(boxStart + NONCE_LENGTH + KEY_LENGTH),
    },
    aad,
  );
  zero(sessionKey);
  if (!dataKey) return { state: 'invalid' };
  return { state: 'open', dataKey: new SecretBytes(dataKey), expiresAt };
}

/** Deletes every session file (llmo auth lock); returns how many there were. */
export function removeAllSessions(runtimeDir: string): number {
  return sessionFiles(runtimeDir).filter((file) => removeQuietly(file)).length;
}

export function removeExpiredSessions(runtimeDir: string, now = Date.now()): void {
  for (const file of sessionFiles(runtimeDir)) {
    try {
      const bytes = readFileSync(file);
      if (bytes.length !== FILE_LENGTH || Number(bytes.readBigUInt64BE(MAGIC.length + 1)) <= now) removeQuietly(file);
    } catch {
      // gone
    }
  }
}

function sessionFiles(runtimeDir: string): string[] {
  const directory = sessionsDir(runtimeDir);
  try {
    return readdirSync(directory)
      .filter((name) => /^[0-9a-f]{32}$/.test(name))
      .map((name) => path.join(directory, name));
  } catch {
    return [];
  }
}

function removeQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
