/**
 * `llmo __complete CWORD WORDS…`: the words that may come at WORDS[CWORD], one per line, for the
 * shell scripts `llmo completion` prints. Commands and flags come from commander's tree; models,
 * aliases, roles, personas and chains from the cached configuration; conversation ids from the
 * conversations folder's file names. Nothing heavier loads, so Tab costs what `llmo --version` does.
 */
import { readdirSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { resolvePaths } from '../../config/paths.js';
import { chainNames } from '../chain/user-chains.js';
import { getConfig } from '../context.js';

type Source = 'models' | 'roles' | 'personas' | 'chains' | 'conversations';

/** Options whose value is one of llmo's own names (the rest take files, numbers or text). */
const OPTION_VALUES: Record<string, Source> = {
  '--model': 'models',
  '--repair-model': 'models',
  '--role': 'roles',
  '--persona': 'personas',
  '--resume': 'conversations',
};

/** Positional arguments, by the name their command gives them. */
const ARGUMENT_VALUES: Record<string, Source> = { chain: 'chains', id: 'conversations' };

export function completeWords(program: Command, cword: number, words: readonly string[]): string[] {
  const current = words[cword] ?? '';
  let command = program;
  let positional = 0;
  let expecting: Option | undefined;
  for (let index = 1; index < cword; index++) {
    const word = words[index]!;
    if (expecting) {
      expecting = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = findOption(command, word.split('=')[0]!);
      if (option && (option.required || option.optional) && !word.includes('=')) expecting = option;
      continue;
    }
    const sub = command.commands.find((child) => child.name() === word || child.aliases().includes(word));
    if (sub && positional === 0) command = sub;
    else positional++;
  }

  let candidates: string[];
  if (expecting) {
    const source = OPTION_VALUES[expecting.long ?? ''];
    candidates = source ? valuesOf(source) : [];
  } else if (current.startsWith('-')) {
    candidates = [...command.options.flatMap((option) => [option.long, option.short]), '--help'].filter(
      (flag): flag is string => typeof flag === 'string',
    );
  } else {
    const argument = command.registeredArguments[positional];
    const source = argument ? ARGUMENT_VALUES[argument.name()] : undefined;
    candidates = positional === 0 ? visibleCommands(command) : [];
    if (source) candidates.push(...valuesOf(source));
  }
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(current)).sort();
}

function findOption(command: Command, flag: string): Option | undefined {
  for (let at: Command | null = command; at; at = at.parent) {
    const option = at.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option) return option;
  }
  return undefined;
}

function visibleCommands(command: Command): string[] {
  return command.commands.filter((child) => !child.name().startsWith('__')).map((child) => child.name());
}

function valuesOf(source: Source): string[] {
  try {
    if (source === 'conversations') {
      return readdirSync(resolvePaths().conversationsDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length));
    }
    const config = getConfig();
    if (source === 'chains') return chainNames(config);
    if (source === 'roles' || source === 'personas') return Object.keys(config.catalog.systemPrompts[source]);
    return [...config.catalog.providers.values()].flatMap((provider) => [
      provider.name,
      ...provider.models.flatMap((model) => [model.name, `${provider.name}:${model.name}`, ...model.aliases]),
    ]);
  } catch {
    // A broken config or a missing folder completes nothing; the command itself will say why.
    return [];
  }
}
