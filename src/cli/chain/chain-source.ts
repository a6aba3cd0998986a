/**
 * Which chain `llmo chain run|show ARGUMENT` means, in this order (docs/chains.md):
 *   1. a chain named exactly ARGUMENT in config (unless ARGUMENT contains a slash);
 *   2. an existing file: a YAML file holding one chain (description and steps at its top level);
 *   3. an inline chain, when ARGUMENT contains "(", "[" or "->";
 *   4. otherwise an error: a missing file when it looks like a path, else an unknown chain name.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { LlmoConfig } from '../../config/load.js';
import { readYamlFile } from '../../config/yaml-file.js';
import { ConfigError } from '../../errors.js';
import type { ChainDefinition } from '../../orchestrator/chain-definition.js';
import { looksInline, parseInlineChain } from '../../orchestrator/inline-chain.js';
import { parseYamlChain } from '../../orchestrator/parse-chain-yaml.js';
import { closeMatches } from '../../config/closest-match.js';

export function loadChain(argument: string, config: LlmoConfig, cwd = process.cwd()): ChainDefinition {
  const configured = config.settings.chains.get(argument);
  if (configured && !/[\\/]/.test(argument)) {
    return parseYamlChain({
      name: argument,
      definition: configured.definition,
      source: configured.source,
      base: ['chains', argument],
      kind: 'config',
    });
  }
  const file = path.resolve(cwd, argument);
  if (isFile(file)) {
    const source = readYamlFile(file)!;
    return parseYamlChain({ name: path.basename(file).replace(/\.ya?ml$/i, ''), definition: source.value, source, base: [], kind: 'file' });
  }
  if (looksInline(argument)) return parseInlineChain(argument);
  if (/[\\/]/.test(argument) || /\.ya?ml$/i.test(argument)) {
    throw new ConfigError(`no chain file "${argument}"`, {
      hint: 'give the path of a YAML file with description and steps at its top level',
    });
  }
  const names = [...config.settings.chains.keys()].sort();
  const suggestions = closeMatches(argument, names);
  throw new ConfigError(`unknown chain "${argument}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
    hint: names.length
      ? `chains: ${names.join(', ')} (llmo chain list); or pass a chain file, or an inline chain like "summarize(gemini) -> critique(sonnet)"`
      : 'define chains under chains: in config.yaml, pass a chain file, or an inline chain like "summarize(gemini) -> critique(sonnet)"',
  });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
