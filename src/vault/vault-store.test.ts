import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError, UsageError } from '../errors.js';
import { Secret } from './secret.js';
import { createVaultBytes, readEntries, unwrapWithPassword, wrapFor } from './vault-codec.js';
import { VaultStore } from './vault-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'llmo-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { LLMO_VAULT_TEST_SCRYPT_LOG2N: '4' };

async function newStore(name: string) {
  const store = new VaultStore(path.join(root, name, 'vault.bin'));
  const created = await createVaultBytes(new Secret('pw'), new Map(), env);
  await store.create(created.bytes);
  return { store, dataKey: created.dataKey };
}

describe('VaultStore', () => {
  it('creates the vault 0600 in a 0700 directory, and refuses to create it twice', async () => {
    const { store } = await newStore('a');
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(store.file)).mode & 0o777).toBe(0o700);
    const again = await createVaultBytes(new Secret('other'), new Map(), env);
    const refused = await store.create(again.bytes).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toMatch(/a vault already exists/);
    await unwrapWithPassword(store.read(), new Secret('pw'), store.file);
  });

  it('tightens a directory that was opened up', async () => {
    const { store, dataKey } = await newStore('b');
    chmodSync(path.dirname(store.file), 0o755);
    await store.update(dataKey, () => ({ write: true, result: undefined }));
    expect(statSync(path.dirname(store.file)).mode & 0o777).toBe(0o700);
  });

  it('re-reads under the lock: two writers that each add a key keep both', async () => {
    const { store, dataKey } = await newStore('c');
    const other = new VaultStore(store.file);
    await Promise.all(
      ['openai', 'anthropic', 'gemini', 'mistral'].map((provider, index) =>
        (index % 2 ? other : store).update(dataKey, (entries) => {
          entries.set(provider, { key: new Secret(`key-${provider}`), addedAt: new Date().toISOString() });
          return { write: true, result: undefined };
        }),
      ),
    );
    expect([...readEntries(store.read(), dataKey, store.file).keys()].sort()).toEqual(['anthropic', 'gemini', 'mistral', 'openai']);
    // No lock or temp file is left; the list of names matches the keys.
    expect(readdirSync(path.dirname(store.file)).sort()).toEqual(['vault.bin', 'vault.bin.providers']);
    expect(store.listedNames()).toEqual(['anthropic', 'gemini', 'mistral', 'openai']);
  });

  it('leaves the file byte-for-byte alone when the change throws or declines', async () => {
    const { store, dataKey } = await newStore('d');
    const before = readFileSync(store.file);
    await expect(
      store.update(dataKey, () => {
        throw new Error('no such key');
      }),
    ).rejects.toThrow('no such key');
    await store.update(dataKey, () => ({ write: false, result: undefined }));
    expect(readFileSync(store.file)).toEqual(before);
  });

  it('of two password changes begun with the same password, lets only the first through and says why', async () => {
    const { store, dataKey } = await newStore('e');
    // Both `auth passwd` runs opened the vault with 'pw' before either took the lock.
    const opened = { bytes: store.read(), password: new Secret('pw') };
    await store.rewrap(dataKey, await wrapFor(new Secret('first'), env), opened);
    const second = await store.rewrap(dataKey, await wrapFor(new Secret('second'), env), opened).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(AuthError);
    expect((second as AuthError).message).toMatch(/changed by another llmo while this one ran; nothing was changed/);
    // The password the first run reported is the one that works.
    (await unwrapWithPassword(store.read(), new Secret('first'), store.file)).dispose();
    await expect(unwrapWithPassword(store.read(), new Secret('second'), store.file)).rejects.toBeInstanceOf(AuthError);
  });

  it('says clearly (exit 4, no stack) when the vault cannot be read', () => {
    const directory = path.join(root, 'unreadable', 'vault.bin');
    mkdirSync(directory, { recursive: true });
    const error = (() => {
      try {
        new VaultStore(directory).read();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe(`cannot read the vault: ${directory} is not a regular file (a directory)`);
  });

  it('says there is no vault yet, with the fix', () => {
    expect(() => new VaultStore(path.join(root, 'none', 'vault.bin')).read()).toThrow(/there is no vault yet/);
  });
});
