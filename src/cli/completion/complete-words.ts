/**
 * `llmo __complete CWORD WORDS…`: the words that may come at WORDS[CWORD], one per line, for the
 * shell scripts `llmo completion` prints. Commands and flags come from commander's tree; models,
 * aliases, roles, personas, chains and modes from the cached configuration; conversation ids,
 * templates and profiles from their folders' file names. Nothing heavier loads, so Tab costs what
 * `llmo --version` does.
 */
import { readdirSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { PROFILE_VARIABLE, resolvePaths } from '../../config/paths.js';
import { readTemplate, templateNames, variablesOf } from '../../config/templates.js';
import { chainNames } from '../chain/user-chains.js';
import { getConfig } from '../context.js';
import { profileNames } from '../profile/profile-names.js';

type Source = 'models' | 'roles' | 'personas' | 'chains' | 'conversations' | 'templates' | 'modes' | 'profiles';

/** Options whose value is one of llmo's own names (the rest take files, numbers or text). */
const OPTION_VALUES: Record<string, Source> = {
  '--model': 'models',
  '--repair-model': 'models',
  '--role': 'roles',
  '--persona': 'personas',
  '--resume': 'conversations',
  '--template': 'templates',
  '--mode': 'modes',
  '--profile': 'profiles',
};

/** Positional arguments, by the name their command gives them, or by `command argument`. */
const ARGUMENT_VALUES: Record<string, Source> = {
  chain: 'chains',
  id: 'conversations',
  'templates show': 'templates',
  'templates edit': 'templates',
  'profile remove': 'profiles',
};

export function completeWords(program: Command, cword: number, words: readonly string[]): string[] {
  const current = words[cword] ?? '';
  let command = program;
  let positional = 0;
  let expecting: Option | undefined;
  /** `-t NAME` earlier on the line: `-p` then completes that template's variables. */
  let template: string | undefined;
  for (let index = 1; index < cword; index++) {
    const word = words[index]!;
    if (expecting) {
      expecting = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      // The rest completes from that profile's templates, conversations and config.
      if (word === '--profile' && index + 1 < cword) process.env[PROFILE_VARIABLE] = words[index + 1];
      else if (word.startsWith('--profile=')) process.env[PROFILE_VARIABLE] = word.slice('--profile='.length);
      if ((word === '-t' || word === '--template') && index + 1 < cword) template = words[index + 1];
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
    candidates = source ? valuesOf(source) : expecting.long === '--param' && template ? variablesOfTemplate(template) : [];
  } else if (current.startsWith('-')) {
    candidates = [...command.options.flatMap((option) => [option.long, option.short]), '--help'].filter(
      (flag): flag is string => typeof flag === 'string',
    );
  } else {
    const argument = command.registeredArguments[positional];
    const source = argument
      ? (ARGUMENT_VALUES[`${command.parent?.name()} ${command.name()}`] ?? ARGUMENT_VALUES[argument.name()])
      : undefined;
    candidates = positional === 0 ? visibleCommands(command) : [];
    if (source) candidates.push(...valuesOf(source));
  }
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(current)).sort();
}

function variablesOfTemplate(name: string): string[] {
  try {
    const template = readTemplate(resolvePaths().templatesDir, name);
    return [...variablesOf(template.system), ...variablesOf(template.prompt)].filter((variable) => variable !== 'input');
  } catch {
    return [];
  }
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
    if (source === 'templates') return templateNames(resolvePaths().templatesDir);
    if (source === 'profiles') return profileNames();
    const config = getConfig();
    if (source === 'modes') return [...config.settings.modes.keys()];
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
