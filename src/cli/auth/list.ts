/** `llmo auth list`: provider, masked key, date added, and whether an env variable is also set. */
import { keyFromEnvironment } from '../keys/keys.js';
import { note } from '../output.js';
import { obtainDataKey } from '../keys/data-key.js';
import { maskKey } from './mask-key.js';
import { vaultContext } from './vault-context.js';

export interface ListOptions {
  passwordFile?: string;
}

export async function authList(options: ListOptions): Promise<void> {
  const { config, vault, store } = await vaultContext();
  if (!store.exists()) throw vault.noVault(store.file);
  const { dataKey } = await obtainDataKey(config, { passwordFile: options.passwordFile });
  let entries;
  try {
    entries = vault.readEntries(store.read(), dataKey, store.file);
  } finally {
    dataKey.dispose();
  }
  if (entries.size === 0) {
    note('the vault holds no keys yet; add one with: llmo auth add PROVIDER');
    return;
  }
  const rows = [['provider', 'key', 'added', 'environment']];
  for (const [name, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    const provider = config.catalog.providers.get(name);
    const env = provider ? keyFromEnvironment(provider, config.env) : undefined;
    // The vault wins over the environment; the variable only counts while the vault is locked.
    const override = env?.source === 'env' ? `${env.variable} set, used only while the vault is locked` : '-';
    rows.push([name, maskKey(entry.key.reveal()), entry.addedAt.slice(0, 10), override]);
  }
  process.stdout.write(formatTable(rows));
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return (
    rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') +
    '\n'
  );
}
