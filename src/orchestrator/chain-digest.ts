/**
 * A fingerprint of what a chain does: its steps, prompts, models, vars and budget, not where it
 * was written (line numbers, file name). `chain resume` compares it with the one saved in the
 * run, so a run is only continued by the chain that started it.
 */
import { createHash } from 'node:crypto';
import type { ChainDefinition } from './chain-definition.js';

/** A run's records all carry the digest: computed once per definition (chains are not changed once parsed). */
const digests = new WeakMap<ChainDefinition, string>();

export function chainDigest(chain: ChainDefinition): string {
  let digest = digests.get(chain);
  if (digest === undefined) {
    const { origin: _origin, name: _name, ...meaning } = chain;
    const text = JSON.stringify(meaning, (key, value) => (key === 'at' ? undefined : value));
    digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    digests.set(chain, digest);
  }
  return digest;
}
