import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import type { VaultEntries } from './entries.js';
import { Secret, SecretBytes } from './secret.js';
import { createVaultBytes, readEntries, replaceEntries, rewrapBytes, unwrapWithPassword, wrapFor } from './vault-codec.js';
import { DAMAGED } from './vault-errors.js';
import { HEADER_LENGTH, MAGIC, parseVault, PREFIX_LENGTH } from './vault-format.js';

// Low scrypt cost through the documented test hook; the real cost is checked in kdf.test.ts.
const env = { LLMO_VAULT_TEST_SCRYPT_LOG2N: '4' };
const FILE = '/test/vault.bin';
const KEY = 'sk-live-0123456789abcdefghijklmnop';
const PASSWORD = 'correct horse battery staple';

function entriesWith(key = KEY): VaultEntries {
  return new Map([['openai', { key: new Secret(key), addedAt: '2026-11-22T00:00:00.000Z' }]]);
}

async function vaultWith(entries: VaultEntries, password = PASSWORD) {
  const created = await createVaultBytes(new Secret(password), entries, env);
  return { bytes: created.bytes, dataKey: created.dataKey };
}

async function errorOf(promise: Promise<unknown> | (() => unknown)): Promise<AuthError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('expected an error');
}

describe('vault bytes', () => {
  it('round-trip: the password opens the data key, the data key opens the keys', async () => {
    const { bytes } = await vaultWith(entriesWith());
    expect(bytes.subarray(0, 8)).toEqual(MAGIC);
    const dataKey = await unwrapWithPassword(bytes, new Secret(PASSWORD), FILE);
    const entries = readEntries(bytes, dataKey, FILE);
    expect(entries.get('openai')?.key.reveal()).toBe(KEY);
    expect(entries.get('openai')?.addedAt).toBe('2026-11-22T00:00:00.000Z');
  });

  it('records version 1, scrypt and its parameters in the header', async () => {
    const { bytes } = await vaultWith(new Map());
    expect(bytes.readUInt8(8)).toBe(1);
    expect(bytes.readUInt8(9)).toBe(1);
    expect([bytes.readUInt32BE(10), bytes.readUInt32BE(14), bytes.readUInt32BE(18)]).toEqual([4, 8, 1]);
    expect(bytes.length).toBe(PREFIX_LENGTH + 12 + 2 + 16); // "{}" is the empty payload
  });

  it('never holds the key or the password in plain text', async () => {
    const { bytes } = await vaultWith(entriesWith());
    expect(bytes.includes(Buffer.from(KEY))).toBe(false);
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from('openai'))).toBe(false);
  });

  it('says "wrong password" (exit 4) for a wrong password', async () => {
    const { bytes } = await vaultWith(entriesWith());
    const error = await errorOf(unwrapWithPassword(bytes, new Secret('wrong'), FILE));
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/^wrong password/);
    expect(`${error.message} ${error.hint}`).not.toContain(KEY);
  });

  it('NFC-normalises the password: composed and decomposed é open the same vault', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    const { bytes } = await vaultWith(entriesWith(), composed);
    const dataKey = await unwrapWithPassword(bytes, new Secret(decomposed), FILE);
    expect(readEntries(bytes, dataKey, FILE).size).toBe(1);
  });

  it('reports every single flipped byte as damaged or tampered (exit 4), never a partial result', async () => {
    const { bytes } = await vaultWith(entriesWith());
    for (let position = 0; position < bytes.length; position += 1) {
      const flipped = Buffer.from(bytes);
      flipped[position]! ^= 0x01 << (position % 8);
      const error = await errorOf(async () => readEntries(flipped, await unwrapWithPassword(flipped, new Secret(PASSWORD), FILE), FILE));
      expect(error.exitCode, `byte ${position}`).toBe(4);
      expect(error.message, `byte ${position}`).toContain(DAMAGED);
    }
  });

  it('reports a payload flip as damaged even to a holder of the data key (agent, session)', async () => {
    const { bytes, dataKey } = await vaultWith(entriesWith());
    for (const position of [PREFIX_LENGTH, PREFIX_LENGTH + 13, bytes.length - 1, HEADER_LENGTH, 22, 10]) {
      const flipped = Buffer.from(bytes);
      flipped[position]! ^= 0xff;
      const error = await errorOf(() => readEntries(flipped, dataKey, FILE));
      expect(error.message).toContain(DAMAGED);
    }
  });

  it('reports a truncated file as damaged, at every length', async () => {
    const { bytes } = await vaultWith(entriesWith());
    for (let length = 0; length < bytes.length; length += 1) {
      const error = await errorOf(async () => unwrapWithPassword(bytes.subarray(0, length), new Secret(PASSWORD), FILE));
      expect(error.message, `length ${length}`).toContain(DAMAGED);
    }
  });

  it('refuses unknown versions and KDFs with a clear reason', async () => {
    const { bytes } = await vaultWith(new Map());
    const version = Buffer.from(bytes);
    version[8] = 2;
    const newer = await errorOf(unwrapWithPassword(version, new Secret(PASSWORD), FILE));
    expect(newer.message).toMatch(/unknown format version 2/);
    // Starting again would lose keys a newer llmo can still read.
    expect(newer.hint).toBe(`if a newer llmo wrote ${FILE}, upgrade llmo; else restore it from a backup`);
    const kdf = Buffer.from(bytes);
    kdf[9] = 2;
    expect((await errorOf(unwrapWithPassword(kdf, new Secret(PASSWORD), FILE))).message).toMatch(/unknown key-derivation id 2/);
  });

  it('refuses scrypt cost above what init could choose (2^20) before deriving anything', async () => {
    const { bytes } = await vaultWith(new Map());
    const costly = Buffer.from(bytes);
    costly.writeUInt32BE(21, 10);
    const started = performance.now();
    const error = await errorOf(unwrapWithPassword(costly, new Secret(PASSWORD), FILE));
    expect(error.message).toMatch(/N=2\^21 is outside/);
    expect(performance.now() - started).toBeLessThan(200);
    const hugeR = Buffer.from(bytes);
    hugeR.writeUInt32BE(1 << 20, 14);
    expect((await errorOf(unwrapWithPassword(hugeR, new Secret(PASSWORD), FILE))).message).toMatch(/out of range/);
  });

  it('refuses a big r or p with an allowed N at once: no 16 GiB, no minutes of scrypt', async () => {
    const { bytes } = await vaultWith(new Map());
    const withParams = (log2N: number, r: number, p: number) => {
      const edited = Buffer.from(bytes);
      edited.writeUInt32BE(log2N, 10);
      edited.writeUInt32BE(r, 14);
      edited.writeUInt32BE(p, 18);
      return edited;
    };
    for (const [log2N, r, p] of [
      [20, 32, 1], // 4 GiB
      [20, 8, 16], // sixteen times the slowest legal derivation
      [20, 32, 16],
    ] as const) {
      const started = performance.now();
      const error = await errorOf(unwrapWithPassword(withParams(log2N, r, p), new Secret(PASSWORD), FILE));
      expect(error.message, `N=2^${log2N} r=${r} p=${p}`).toMatch(/out of range/);
      expect(performance.now() - started).toBeLessThan(200);
    }
    // The most a file may ask for, and what init writes, still parse.
    expect(parseVault(withParams(20, 8, 1), FILE).params).toEqual({ log2N: 20, r: 8, p: 1 });
    expect(parseVault(withParams(20, 8, 1), FILE).params).toEqual({ log2N: 20, r: 8, p: 1 });
  });

  it('replaceEntries keeps the header and wrapped key and re-seals with a fresh nonce', async () => {
    const { bytes, dataKey } = await vaultWith(entriesWith());
    const entries = readEntries(bytes, dataKey, FILE);
    entries.set('anthropic', { key: new Secret('sk-ant-second'), addedAt: '2026-11-22T01:00:00.000Z' });
    const next = replaceEntries(bytes, dataKey, entries, FILE);
    expect(next.subarray(0, PREFIX_LENGTH)).toEqual(bytes.subarray(0, PREFIX_LENGTH));
    expect(next.subarray(PREFIX_LENGTH, PREFIX_LENGTH + 12)).not.toEqual(bytes.subarray(PREFIX_LENGTH, PREFIX_LENGTH + 12));
    const reopened = await unwrapWithPassword(next, new Secret(PASSWORD), FILE);
    expect([...readEntries(next, reopened, FILE).keys()].sort()).toEqual(['anthropic', 'openai']);
  });

  it('rewrap (passwd): the new password opens every key, the old one nothing', async () => {
    const { bytes, dataKey } = await vaultWith(entriesWith());
    const next = rewrapBytes(bytes, dataKey, await wrapFor(new Secret('new password'), env), FILE);
    const opened = await unwrapWithPassword(next, new Secret('new password'), FILE);
    expect(readEntries(next, opened, FILE).get('openai')?.key.reveal()).toBe(KEY);
    expect((await errorOf(unwrapWithPassword(next, new Secret(PASSWORD), FILE))).message).toMatch(/wrong password/);
    // A new salt, so the same password would not give the same wrap either.
    expect(next.subarray(22, HEADER_LENGTH)).not.toEqual(bytes.subarray(22, HEADER_LENGTH));
  });

  it('a data key from another vault opens nothing and says so', async () => {
    const first = await vaultWith(entriesWith());
    const second = await vaultWith(entriesWith());
    expect((await errorOf(() => readEntries(first.bytes, second.dataKey, FILE))).message).toContain(DAMAGED);
    expect(second.dataKey).toBeInstanceOf(SecretBytes);
  });
});
