/** AES-256-GCM with a random 96-bit nonce and the caller's associated data. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH, type SealedBox } from './vault-format.js';

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): SealedBox {
  if (key.length !== KEY_LENGTH) throw new TypeError(`AES-256-GCM needs a ${KEY_LENGTH}-byte key`);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not verify (wrong key or altered bytes). */
export function open(key: Buffer, box: SealedBox, aad: Buffer): Buffer | undefined {
  if (key.length !== KEY_LENGTH || box.nonce.length !== NONCE_LENGTH || box.tag.length !== TAG_LENGTH) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, box.nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.tag);
  const plaintext = decipher.update(box.ciphertext);
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    plaintext.fill(0);
    return undefined;
  }
}
