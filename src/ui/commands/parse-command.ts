/** Finds the command a line invokes and completes what is being typed. */
import { completePath, mentionAtEnd } from '../input/complete-path.js';
import type { CommandContext, SlashCommand } from './types.js';

/** A line is a command when it starts with one slash; `//text` sends `/text` as a message. */
export function isCommandLine(line: string): boolean {
  return line.startsWith('/') && !line.startsWith('//');
}

export function parseCommandLine(line: string): { name: string; args: string } {
  const body = line.trim().slice(1);
  const space = body.search(/\s/);
  return space === -1 ? { name: body, args: '' } : { name: body.slice(0, space), args: body.slice(space + 1).trim() };
}

export function findCommand(commands: readonly SlashCommand[], name: string): SlashCommand | undefined {
  const lower = name.toLowerCase();
  return commands.find((command) => command.name === lower || command.altNames?.includes(lower));
}

/** Commands whose name (or alternative name) starts with what was typed after the slash. */
export function matchingCommands(commands: readonly SlashCommand[], typed: string): SlashCommand[] {
  const lower = typed.toLowerCase();
  return commands.filter((command) => command.name.startsWith(lower) || command.altNames?.some((alt) => alt.startsWith(lower)));
}

export interface Completion {
  /** The new input text, when completion could extend it. */
  text: string | undefined;
  /** What remains possible, to show when there are several. */
  candidates: string[];
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Tab: completes the command name, then its argument through the command's own completion; in a
 * message, the `@path` being typed.
 */
export async function completeLine(line: string, commands: readonly SlashCommand[], context: CommandContext): Promise<Completion> {
  if (!isCommandLine(line)) {
    const partial = mentionAtEnd(line);
    if (partial === undefined) return { text: undefined, candidates: [] };
    return completeWord(line.slice(0, line.length - partial.length), partial, await completePath(partial));
  }
  const space = line.search(/\s/);
  if (space === -1) {
    const names = matchingCommands(commands, line.slice(1)).map((command) =>
      command.name.startsWith(line.slice(1).toLowerCase())
        ? command.name
        : command.altNames!.find((alt) => alt.startsWith(line.slice(1).toLowerCase()))!,
    );
    if (names.length === 1) return { text: `/${names[0]} `, candidates: [] };
    const prefix = commonPrefix(names);
    return { text: prefix.length > line.length - 1 ? `/${prefix}` : undefined, candidates: names.map((name) => `/${name}`) };
  }
  const command = findCommand(commands, line.slice(1, space));
  if (!command?.completion) return { text: undefined, candidates: [] };
  const partial = line.slice(space).trimStart();
  const head = line.slice(0, line.length - partial.length);
  return completeWord(head, partial, await command.completion(context, partial));
}

/** One option: taken whole; several: their common start, and the list to choose from. */
function completeWord(head: string, partial: string, found: readonly string[]): Completion {
  const options = found.filter((option) => option.startsWith(partial));
  if (options.length === 1) return { text: `${head}${options[0]}`, candidates: [] };
  const prefix = commonPrefix(options);
  return { text: prefix.length > partial.length ? `${head}${prefix}` : undefined, candidates: options };
}
