/**
 * The v1 vault file layout of DESIGN.md. Every field is fixed-size and big-endian; the header
 * bytes, exactly as stored, are the AEAD associated data.
 *
 *   offset  size
 *        0     8  magic "LLMOVLT\0"
 *        8     1  version = 1
 *        9     1  kdf id (1 = scrypt; 2 reserved for argon2id)
 *       10    12  kdf params: log2 N u32, r u32, p u32
 *       22    16  salt
 *       38    12  wrapped data key: nonce            AAD = bytes [0, 38)
 *       50    32                    AES-256-GCM(passwordKey, dataKey)
 *       82    16                    tag
 *       98    12  payload: nonce                     AAD = bytes [0, 98), the whole header
 *      110     n           AES-256-GCM(dataKey, JSON {provider: {key, added_at}})
 *    110+n    16           tag
 *
 * "The whole header" for the payload is everything before it, wrapped key included, so the
 * payload is bound to the exact key wrap and parameters it was written with.
 */
import { damagedVault } from './vault-errors.js';

export const MAGIC = Buffer.from('LLMOVLT\0', 'latin1');
export const VERSION = 1;
export const KDF_SCRYPT = 1;

export const SALT_LENGTH = 16;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const KEY_LENGTH = 32;

/** End of magic, version, kdf id, params and salt: the wrapped key's AAD. */
export const HEADER_LENGTH = MAGIC.length + 1 + 1 + 12 + SALT_LENGTH;
/** End of the wrapped data key: the payload's AAD. */
export const PREFIX_LENGTH = HEADER_LENGTH + NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH;
export const MIN_FILE_LENGTH = PREFIX_LENGTH + NONCE_LENGTH + TAG_LENGTH;

/**
 * Reading refuses anything costlier than `init` could ever have chosen: N=2^20, r=8, p=1 (1 GiB,
 * a few seconds; kdf.ts MAX_WRITE_LOG2N). A tampered header must not make us allocate 4 GiB
 * and grind for a minute before the tag check refuses it. Memory is 128·N·r bytes and time grows
 * with N·r·p, so both products are capped, not just N.
 */
export const MAX_READ_LOG2N = 20;
const MAX_READ_R = 32;
const MAX_READ_P = 16;
const MAX_READ_MEMORY = 128 * 2 ** MAX_READ_LOG2N * 8;
const MAX_READ_WORK = 2 ** MAX_READ_LOG2N * 8;

export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

export interface SealedBox {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export interface ParsedVault {
  /** Bytes [0, HEADER_LENGTH): AAD of the wrapped key. */
  header: Buffer;
  /** Bytes [0, PREFIX_LENGTH): AAD of the payload. */
  prefix: Buffer;
  params: ScryptParams;
  salt: Buffer;
  wrappedKey: SealedBox;
  payload: SealedBox;
}

export function encodeHeader(params: ScryptParams, salt: Buffer): Buffer {
  if (salt.length !== SALT_LENGTH) throw new TypeError(`salt must be ${SALT_LENGTH} bytes`);
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header.writeUInt8(VERSION, 8);
  header.writeUInt8(KDF_SCRYPT, 9);
  header.writeUInt32BE(params.log2N, 10);
  header.writeUInt32BE(params.r, 14);
  header.writeUInt32BE(params.p, 18);
  salt.copy(header, 22);
  return header;
}

export function encodeBox(box: SealedBox): Buffer {
  return Buffer.concat([box.nonce, box.ciphertext, box.tag]);
}

/** Splits a vault file into its fields; refuses anything malformed before any key is derived. */
export function parseVault(bytes: Buffer, file: string): ParsedVault {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw damagedVault(file, 'this is not an llmo vault file');
  }
  if (bytes.length < MIN_FILE_LENGTH) throw damagedVault(file, `the file is truncated (${bytes.length} bytes)`);
  const version = bytes.readUInt8(8);
  if (version !== VERSION) {
    // Not "start again": that would throw away keys a newer llmo can still read.
    throw damagedVault(
      file,
      `unknown format version ${version} (this llmo reads version ${VERSION}; a newer llmo may have written it)`,
      `if a newer llmo wrote ${file}, upgrade llmo; else restore it from a backup`,
    );
  }
  const kdf = bytes.readUInt8(9);
  if (kdf !== KDF_SCRYPT) throw damagedVault(file, `unknown key-derivation id ${kdf} (this llmo knows 1 = scrypt)`);
  const params = { log2N: bytes.readUInt32BE(10), r: bytes.readUInt32BE(14), p: bytes.readUInt32BE(18) };
  checkReadableParams(params, file);
  const header = bytes.subarray(0, HEADER_LENGTH);
  const wrapped = bytes.subarray(HEADER_LENGTH, PREFIX_LENGTH);
  const payload = bytes.subarray(PREFIX_LENGTH);
  return {
    header,
    prefix: bytes.subarray(0, PREFIX_LENGTH),
    params,
    salt: bytes.subarray(22, HEADER_LENGTH),
    wrappedKey: splitBox(wrapped),
    payload: splitBox(payload),
  };
}

function checkReadableParams(params: ScryptParams, file: string): void {
  if (params.log2N < 1 || params.log2N > MAX_READ_LOG2N) {
    throw damagedVault(file, `scrypt cost N=2^${params.log2N} is outside 2^1..2^${MAX_READ_LOG2N}`);
  }
  const blocks = 2 ** params.log2N;
  const inRange = params.r >= 1 && params.r <= MAX_READ_R && params.p >= 1 && params.p <= MAX_READ_P;
  if (!inRange || 128 * blocks * params.r > MAX_READ_MEMORY || blocks * params.r * params.p > MAX_READ_WORK) {
    throw damagedVault(
      file,
      `scrypt parameters N=2^${params.log2N}, r=${params.r}, p=${params.p} are out of range (at most the cost of N=2^${MAX_READ_LOG2N}, r=8, p=1)`,
    );
  }
}

function splitBox(bytes: Buffer): SealedBox {
  return {
    nonce: bytes.subarray(0, NONCE_LENGTH),
    ciphertext: bytes.subarray(NONCE_LENGTH, bytes.length - TAG_LENGTH),
    tag: bytes.subarray(bytes.length - TAG_LENGTH),
  };
}
