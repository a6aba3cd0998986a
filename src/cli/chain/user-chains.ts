/**
 * The user's own chain files: `<config dir>/chains/NAME.yaml`, where `llmo chain new` writes and
 * where `chain run NAME`, `chain list` and completion look after config's `chains:`. Kept apart
 * from the chain parser so completion reads the folder without loading it.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LlmoConfig } from '../../config/load.js';

/** The user's own chain files: `<config dir>/chains/`, where `llmo chain new` writes. */
export function userChainsDir(config: Pick<LlmoConfig, 'paths'>): string {
  return path.join(config.paths.configDir, 'chains');
}

/** The chain files of the user's chains directory, by name (a missing directory has none). */
export function userChains(config: Pick<LlmoConfig, 'paths'>): { name: string; file: string }[] {
  const directory = userChainsDir(config);
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^[A-Za-z0-9][A-Za-z0-9_.-]*\.ya?ml$/.test(entry))
    .map((entry) => ({ name: entry.replace(/\.ya?ml$/i, ''), file: path.join(directory, entry) }))
    .filter((chain) => isFile(chain.file))
    .sort((left, right) => left.name.localeCompare(right.name));
}

/** Every chain a name can run: config's, then the user's chain files that config does not shadow. */
export function chainNames(config: LlmoConfig): string[] {
  const configured = [...config.settings.chains.keys()];
  return [...new Set([...configured, ...userChains(config).map((chain) => chain.name)])].sort();
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
