/** The payload: a JSON map provider → { key, added_at }, with keys held as Secrets in memory. */
import { Secret, zero } from './secret.js';

export interface VaultEntry {
  key: Secret;
  /** ISO 8601 time the key was stored. */
  addedAt: string;
}

export type VaultEntries = Map<string, VaultEntry>;

/** The JSON bytes to encrypt; the caller zeroes them once sealed. */
export function serializeEntries(entries: VaultEntries): Buffer {
  const plain: Record<string, { key: string; added_at: string }> = {};
  for (const [provider, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    plain[provider] = { key: entry.key.reveal(), added_at: entry.addedAt };
  }
  return Buffer.from(JSON.stringify(plain), 'utf8');
}

/** Parses decrypted JSON; undefined when it is not the expected shape. Zeroes `bytes`. */
export function parseEntries(bytes: Buffer): VaultEntries | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    zero(bytes);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entries: VaultEntries = new Map();
  for (const [provider, value] of Object.entries(raw)) {
    if (value === null || typeof value !== 'object') return undefined;
    const { key, added_at: addedAt } = value as Record<string, unknown>;
    if (typeof key !== 'string' || typeof addedAt !== 'string') return undefined;
    entries.set(provider, { key: new Secret(key), addedAt });
  }
  return entries;
}
