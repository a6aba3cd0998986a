/**
 * Which chain `llmo chain run|show|lint ARGUMENT` means, in this order (docs/chains.md):
 *   1. a chain named exactly ARGUMENT in config (unless ARGUMENT contains a slash);
 *   2. a chain file of the user's chains directory, `<config dir>/chains/ARGUMENT.yaml`
 *      (`llmo chain new` writes there);
 *   3. an existing file: a YAML file holding one chain (description and steps at its top level);
 *   4. an inline chain, when ARGUMENT contains "(", "[" or "->";
 *   5. otherwise an error: a missing file when it looks like a path, else an unknown chain name.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { LlmoConfig } from '../../config/load.js';
import { openConfigCache } from '../../config/config-cache.js';
import { type FieldPath, readYamlFile, type YamlFile, yamlFileFromValue } from '../../config/yaml-file.js';
import { ConfigError } from '../../errors.js';
import type { ChainDefinition } from '../../orchestrator/chain-definition.js';
import { looksInline, parseInlineChain } from '../../orchestrator/inline-chain.js';
import { parseYamlChain } from '../../orchestrator/parse-chain-yaml.js';
import { closeMatches } from '../../config/closest-match.js';
import { chainNames, userChains } from './user-chains.js';

/** A chain as found, before it is parsed: YAML (with where it sits in its file) or inline text. */
export type FoundChain =
  | { kind: 'config' | 'file'; name: string; definition: unknown; source: YamlFile; base: FieldPath }
  | { kind: 'inline'; name: 'inline'; text: string };

export function loadChain(argument: string, config: LlmoConfig, cwd = process.cwd()): ChainDefinition {
  return parseFoundChain(findChain(argument, config, cwd));
}

export function parseFoundChain(found: FoundChain): ChainDefinition {
  if (found.kind === 'inline') return parseInlineChain(found.text);
  return parseYamlChain({ name: found.name, definition: found.definition, source: found.source, base: found.base, kind: found.kind });
}

export function findChain(argument: string, config: LlmoConfig, cwd = process.cwd()): FoundChain {
  const plainName = !/[\\/]/.test(argument);
  const configured = config.settings.chains.get(argument);
  if (configured && plainName) {
    return { kind: 'config', name: argument, definition: configured.definition, source: configured.source, base: ['chains', argument] };
  }
  const saved = plainName ? userChains(config).find((chain) => chain.name === argument) : undefined;
  const file = saved?.file ?? path.resolve(cwd, argument);
  if (isFile(file)) {
    const source = readChainFile(file, config.paths.runtimeDir);
    return { kind: 'file', name: path.basename(file).replace(/\.ya?ml$/i, ''), definition: source.value, source, base: [] };
  }
  if (looksInline(argument)) return { kind: 'inline', name: 'inline', text: argument };
  if (!plainName || /\.ya?ml$/i.test(argument)) {
    throw new ConfigError(`no chain file "${argument}"`, {
      hint: 'give the path of a YAML file with description and steps at its top level',
    });
  }
  const names = chainNames(config);
  const suggestions = closeMatches(argument, names);
  throw new ConfigError(`unknown chain "${argument}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
    hint: names.length
      ? `chains: ${names.join(', ')} (llmo chain list); or pass a chain file, or an inline chain like "summarize(gemini) -> critique(sonnet)"`
      : 'define chains under chains: in config.yaml, pass a chain file, or an inline chain like "summarize(gemini) -> critique(sonnet)"',
  });
}

/**
 * A chain file, parsed, or read back from the chain-file cache when it did not change (as the
 * configuration is): parsing YAML cold costs ~25 ms for a 50-step chain, a large part of what
 * `chain run` adds before its first call. A cached file is parsed again only to locate an error.
 */
function readChainFile(file: string, runtimeDir: string): YamlFile {
  const cache = openConfigCache(runtimeDir, [file], CHAIN_CACHE_FILE);
  const cached = cache.values?.[0];
  if (cached !== undefined) return yamlFileFromValue(file, cached);
  const source = readYamlFile(file)!;
  cache.store([source.value]);
  return source;
}

const CHAIN_CACHE_FILE = 'chain-file-cache.json';

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
