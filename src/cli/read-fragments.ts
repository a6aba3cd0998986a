/**
 * `-f PATH|GLOB|URL`: text files, whole folders and web pages as labelled context ahead of the
 * prompt. Folders respect their .gitignore files and skip binaries; everything together stays
 * under a size cap, and whatever was left out is said on stderr, never dropped silently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { fetchUrl, looksLikeUrl } from './fetch-url.js';
import { type IgnoreRules, isIgnored, parseGitignore } from './gitignore.js';
import { globToRegExp, hasGlob } from './glob-pattern.js';
import { note, warn } from './output.js';

/** About 128k tokens of text: past most context windows' comfortable share for context. */
export const MAX_FRAGMENT_BYTES = 512 * 1024;

export interface Fragment {
  /** How the model sees it named: a path relative to the working folder, or the URL. */
  label: string;
  kind: 'file' | 'page';
  text: string;
}

/**
 * Every fragment the arguments name, in order, within the cap; notes (on stderr unless `report`
 * takes them, as the chat does) say what was left out.
 */
export async function readFragments(
  arguments_: readonly string[],
  limit = MAX_FRAGMENT_BYTES,
  report: { note: (text: string) => void; warn: (text: string) => void } = { note, warn },
): Promise<Fragment[]> {
  const candidates: { label: string; kind: Fragment['kind']; read: () => Promise<Buffer>; named: boolean }[] = [];
  for (const argument of arguments_) {
    if (looksLikeUrl(argument)) {
      candidates.push({ label: argument, kind: 'page', named: true, read: async () => (await fetchUrl(argument, '-f', 16 * limit)).bytes });
      continue;
    }
    const files = await expand(argument);
    for (const file of files.paths) {
      candidates.push({ label: file, kind: 'file', named: files.named, read: () => readFile(file) });
    }
  }

  const fragments: Fragment[] = [];
  const binaries: string[] = [];
  const overCap: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const candidate of candidates) {
    if (seen.has(candidate.label)) continue;
    seen.add(candidate.label);
    const bytes = await candidate.read();
    if (isBinary(bytes)) {
      if (candidate.named) {
        throw new UsageError(`-f ${candidate.label}: not text (binary data)`, { hint: 'attach images and PDFs with -a' });
      }
      binaries.push(candidate.label);
      continue;
    }
    if (total + bytes.length > limit) {
      overCap.push(`${candidate.label} (${kilobytes(bytes.length)})`);
      continue;
    }
    total += bytes.length;
    fragments.push({ label: candidate.label, kind: candidate.kind, text: bytes.toString('utf8') });
  }
  if (binaries.length) report.note(`-f skipped ${binaries.length} binary file${binaries.length === 1 ? '' : 's'}: ${binaries.join(', ')}`);
  if (overCap.length) {
    report.warn(
      `-f left out ${overCap.length} file${overCap.length === 1 ? '' : 's'} over the ${kilobytes(limit)} cap on context: ${overCap.join(', ')}`,
    );
  }
  return fragments;
}

/** The fragments as the model reads them: each in a tag that names it, then the prompt. */
export function withFragments(fragments: readonly Fragment[], prompt: string): string {
  if (!fragments.length) return prompt;
  const blocks = fragments.map((fragment) => {
    const body = fragment.text.endsWith('\n') ? fragment.text : `${fragment.text}\n`;
    return fragment.kind === 'page' ? `<page url="${fragment.label}">\n${body}</page>` : `<file path="${fragment.label}">\n${body}</file>`;
  });
  return [...blocks, prompt].filter((part) => part !== '').join('\n\n');
}

/** A file (named: binaries are an error), a folder, or a glob (found: binaries are skipped). */
async function expand(argument: string): Promise<{ paths: string[]; named: boolean }> {
  const info = await stat(argument).catch(() => undefined);
  if (info?.isFile()) return { paths: [path.normalize(argument)], named: true };
  if (info?.isDirectory()) return { paths: await walk(path.normalize(argument), () => true), named: false };
  if (!hasGlob(argument)) throw new UsageError(`-f ${argument}: no such file or folder`);
  const pattern = argument.split(path.sep).join('/').replace(/^\.\//, '');
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex(hasGlob);
  const base = segments.slice(0, firstGlob).join('/') || '.';
  const regex = globToRegExp(pattern);
  const paths = await walk(base, (relative) => regex.test(base === '.' ? relative : `${base}/${relative}`));
  if (!paths.length) throw new UsageError(`-f ${argument}: the pattern matches no file`);
  return { paths, named: false };
}

/** Files under the folder, sorted, outside .git and whatever its .gitignore files exclude. */
async function walk(root: string, wanted: (relative: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const visit = async (relative: string, stack: readonly IgnoreRules[]): Promise<void> => {
    const folder = relative === '' ? root : path.join(root, relative);
    const entries = (await readdir(folder, { withFileTypes: true })).sort((left, right) => (left.name < right.name ? -1 : 1));
    const ignoreFile = entries.find((entry) => entry.name === '.gitignore' && entry.isFile());
    const rules = ignoreFile ? [...stack, parseGitignore(await readFile(path.join(folder, '.gitignore'), 'utf8'), relative)] : stack;
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isIgnored(child, true, rules)) await visit(child, rules);
      } else if (entry.isFile() && !isIgnored(child, false, rules) && wanted(child)) {
        found.push(path.join(root, child));
      }
    }
  };
  await visit('', []);
  return found;
}

/** A NUL byte in the first 8 KiB (as git decides), or bytes that are not UTF-8. */
export function isBinary(bytes: Buffer): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

const kilobytes = (bytes: number): string => `${Math.ceil(bytes / 1024)} KiB`;
