/**
 * Enough of .gitignore for `-f FOLDER`: comments, blank lines, `!` negation, a trailing `/` for
 * folders only, a leading or middle `/` anchoring to the .gitignore's folder, and globs. The last
 * matching line wins, as in git; a folder that is ignored is not entered.
 */
import { globToRegExp } from './glob-pattern.js';

interface Rule {
  regex: RegExp;
  negated: boolean;
  foldersOnly: boolean;
  /** Matched against the path from the .gitignore's folder; else against the last segment too. */
  anchored: boolean;
}

export interface IgnoreRules {
  /** The folder (relative to the walk's root, '' for the root) whose .gitignore this is. */
  base: string;
  rules: Rule[];
}

export function parseGitignore(text: string, base: string): IgnoreRules {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const foldersOnly = line.endsWith('/');
    if (foldersOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    rules.push({ regex: globToRegExp(line), negated, foldersOnly, anchored });
  }
  return { base, rules };
}

/** Whether the path (relative to the walk's root, slash-separated) is ignored by these files' rules. */
export function isIgnored(relativePath: string, isFolder: boolean, stack: readonly IgnoreRules[]): boolean {
  let ignored = false;
  for (const { base, rules } of stack) {
    if (base !== '' && !relativePath.startsWith(`${base}/`)) continue;
    const local = base === '' ? relativePath : relativePath.slice(base.length + 1);
    const name = local.slice(local.lastIndexOf('/') + 1);
    for (const rule of rules) {
      if (rule.foldersOnly && !isFolder) continue;
      if (rule.regex.test(rule.anchored ? local : name)) ignored = !rule.negated;
    }
  }
  return ignored;
}
