/** Tab completion of file paths, for `/attach PATH` and `@path` in a message. */
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Listing a huge folder on every Tab would stall the prompt: the first this many are offered. */
const MAX_CANDIDATES = 200;

/**
 * The paths that begin with `partial`, as typed (relative, `~/`, or absolute), folders with a
 * trailing `/`. Dot files only when the name typed starts with a dot.
 */
export async function completePath(partial: string, cwd = process.cwd()): Promise<string[]> {
  const slash = partial.lastIndexOf('/');
  const typedFolder = slash === -1 ? '' : partial.slice(0, slash + 1);
  const start = partial.slice(slash + 1);
  const folder = typedFolder.startsWith('~/') ? path.join(homedir(), typedFolder.slice(2)) : path.resolve(cwd, typedFolder || '.');
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.name.startsWith(start) && (start.startsWith('.') || !entry.name.startsWith('.')))
    .map((entry) => `${typedFolder}${entry.name}${entry.isDirectory() ? '/' : ''}`)
    .sort()
    .slice(0, MAX_CANDIDATES);
}

/** The `@path` being typed at the end of a message, if any: what follows the @. */
export function mentionAtEnd(line: string): string | undefined {
  return /(?:^|\s)@([^\s@]*)$/.exec(line)?.[1];
}

/**
 * The `@path` words of a message that name an existing file or folder (`exists` decides), in
 * order, each once. Punctuation after a path ("see @notes.md, then…") is not part of it.
 */
export async function mentionedPaths(text: string, exists: (file: string) => Promise<boolean>): Promise<string[]> {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    const word = match[1]!;
    for (const candidate of [word, word.replace(/[.,;:!?)\]}'"]+$/, '')]) {
      if (candidate === '' || found.includes(candidate)) continue;
      if (await exists(candidate)) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}
