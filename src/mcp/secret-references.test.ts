import { describe, expect, it } from 'vitest';
import { redactSecrets, resolveSecretReferences, secretNames } from './secret-references.js';

describe('vault: references', () => {
  it('are found as a whole value or as one word of it, and nowhere else', () => {
    expect(secretNames({ A: 'vault:github', B: 'Bearer vault:docs', C: 'https://vault:8200x/', D: 'novault:x', E: 'plain' })).toEqual([
      'github',
      'docs',
    ]);
  });

  it('are swapped for the secret, which is remembered for scrubbing', async () => {
    const secrets = new Set<string>();
    const resolved = await resolveSecretReferences(
      { TOKEN: 'vault:github', Authorization: 'Bearer vault:docs', PLAIN: 'as is' },
      async (name) => `secret-of-${name}`,
      secrets,
    );
    expect(resolved).toEqual({ TOKEN: 'secret-of-github', Authorization: 'Bearer secret-of-docs', PLAIN: 'as is' });
    expect([...secrets]).toEqual(['secret-of-github', 'secret-of-docs']);
  });

  it('pass the resolver’s own error through (it says how to store the secret)', async () => {
    const missing = async (name: string): Promise<string> => {
      throw new Error(`no secret ${name} in the vault`);
    };
    await expect(resolveSecretReferences({ A: 'vault:gh' }, missing, new Set())).rejects.toThrow('no secret gh in the vault');
  });
});

describe('redactSecrets', () => {
  it('removes every secret, the longest first', () => {
    expect(redactSecrets('abc and abcdef, abc', new Set(['abc', 'abcdef']))).toBe('[REDACTED] and [REDACTED], [REDACTED]');
  });
});
