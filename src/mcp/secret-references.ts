/**
 * `vault:NAME` in a server's `env` or `headers`: the value alone (`vault:github`) or one word of it
 * (`Bearer vault:docs`). The composition root resolves names (src/mcp never opens the vault);
 * this module only finds the references, swaps the secrets in at the moment of use, and keeps the
 * secrets it handed out so that every message leaving the host can be scrubbed of them.
 */

/** Returns the secret stored under `name`, or throws an LlmoError saying how to store it. */
export type SecretResolver = (name: string) => Promise<string>;

const REFERENCE = /(^|\s)vault:([A-Za-z0-9_.@-]+)(?=\s|$)/g;

/** The vault names a set of values refers to (for `llmo mcp list` and for error hints). */
export function secretNames(values: Readonly<Record<string, string>>): string[] {
  const names = new Set<string>();
  for (const value of Object.values(values)) for (const match of value.matchAll(REFERENCE)) names.add(match[2]!);
  return [...names];
}

export async function resolveSecretReferences(
  values: Readonly<Record<string, string>>,
  resolve: SecretResolver,
  secrets: Set<string>,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const names = [...value.matchAll(REFERENCE)].map((match) => match[2]!);
    if (names.length === 0) {
      resolved[key] = value;
      continue;
    }
    const found = new Map<string, string>();
    for (const name of names) {
      const secret = await resolve(name);
      secrets.add(secret);
      found.set(name, secret);
    }
    resolved[key] = value.replace(REFERENCE, (_match, space: string, name: string) => `${space}${found.get(name)}`);
  }
  return resolved;
}

/** Replaces every secret this host handed out with [REDACTED]. */
export function redactSecrets(text: string, secrets: ReadonlySet<string>): string {
  let clean = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) clean = clean.split(secret).join('[REDACTED]');
  }
  return clean;
}
