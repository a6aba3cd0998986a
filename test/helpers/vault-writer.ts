/**
 * A process that rewrites the vault as fast as it can, for the crash test: bundled by the test
 * with esbuild, started, and SIGKILLed at a random moment — almost always in the middle of a
 * write. Each committed write sets the "counter" entry to n and then prints n.
 * argv: vault file, password file.
 */
import { Secret } from '../../src/vault/secret.js';
import { readPasswordFile } from '../../src/vault/password-file.js';
import { unwrapWithPassword } from '../../src/vault/vault-codec.js';
import { VaultStore } from '../../src/vault/vault-store.js';

const [file, passwordFile] = process.argv.slice(2) as [string, string];
const store = new VaultStore(file);
const dataKey = await unwrapWithPassword(store.read(), readPasswordFile(passwordFile).password, file);
for (;;) {
  const written = await store.update(dataKey, (entries) => {
    const next = Number(entries.get('counter')?.key.reveal() ?? '0') + 1;
    entries.set('counter', { key: new Secret(String(next)), addedAt: new Date().toISOString() });
    return { write: true, result: next };
  });
  process.stdout.write(`${written}\n`);
}
