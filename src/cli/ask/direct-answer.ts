/**
 * Direct mode for the response cache, as ccache's direct mode skips the preprocessor: an `llmo ask`
 * that was answered from the cache before, with the same words, in the same place, under the same
 * configuration files, is answered again without loading the command parser, the configuration or
 * any SDK. bin/llmo.js tries it first for every `ask`; anything it is not sure of is a miss, and the
 * ordinary path runs (and answers from the cache just the same, only slower).
 *
 * The ordinary path leaves a memo (remember-direct-answer.ts) after an answer it could have given
 * this way: a plain reply to a pipe, from an exact cache entry, with no conversation saved, no
 * files read and no routing. The memo holds the invocation it was made for and the entry's key;
 * a hit needs the invocation to be equal in every part, which includes the identity of every
 * configuration file (as the configuration cache checks them) and of this build of llmo.
 */
import { fstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isatty } from 'node:tty';
import { DIRECT_FOLDER, readCacheEntry, responsesDir } from '../../cache/cache-entry-file.js';
import { cacheHitUsage } from '../../orchestrator/cache-hit-usage.js';
import { type Stamp, stampOf } from '../../config/config-cache.js';
import { type LlmoPaths, resolvePaths } from '../../config/paths.js';
import { appendEntryOrWarn } from '../../usage/usage-log.js';
import { warn } from '../output.js';

const FORMAT = 1;
declare const LLMO_VERSION: string | undefined;
declare const LLMO_BUILD: string | undefined;

/**
 * The environment that can change what `ask` does with a cached answer: where its files are. Keys
 * and other secrets are never part of it (a memo is a file), and an answer already cached needs none.
 */
const ENV_NAMES = [
  'HOME',
  'LLMO_HOME',
  'LLMO_PROFILE',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
];

export interface DirectInvocation {
  v: number;
  /** This build of llmo: its version and build id (scripts/build.mjs). */
  llmo: [string, string];
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** 'tty' (not read), or 'null' (/dev/null: read, and empty). */
  stdin: 'tty' | 'null';
  /** Whether stderr is a terminal (its notes are coloured then). */
  stderrTty: boolean;
  /** The configuration files loadConfig reads, and their identities. */
  files: string[];
  stamps: Stamp[];
}

export interface DirectMemo {
  invocation: DirectInvocation;
  /** The response-cache entry that answers it. */
  entryKey: string;
  /** cache.ttl as configured when the memo was made (the configuration files are in the invocation). */
  ttlMs: number;
  provider: string;
  model: string;
}

/**
 * This run's invocation, or undefined when it cannot be answered directly: stdout is a terminal
 * (the reply is rendered as markdown there), or stdin may carry text (a pipe, a file).
 */
export function currentInvocation(argv: readonly string[], paths: LlmoPaths = resolvePaths()): DirectInvocation | undefined {
  if (isatty(1)) return undefined;
  const stdin = stdinKind();
  if (stdin === undefined) return undefined;
  const files = [paths.shippedModelsFile, paths.userModelsFile, paths.shippedConfigFile, paths.userConfigFile, paths.projectFile];
  const env: Record<string, string> = {};
  for (const name of ENV_NAMES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    v: FORMAT,
    llmo: [typeof LLMO_VERSION === 'string' ? LLMO_VERSION : 'dev', typeof LLMO_BUILD === 'string' ? LLMO_BUILD : 'dev'],
    argv: [...argv],
    cwd: process.cwd(),
    env,
    stdin,
    stderrTty: isatty(2),
    files,
    stamps: files.map(stampOf),
  };
}

function stdinKind(): DirectInvocation['stdin'] | undefined {
  if (isatty(0)) return 'tty';
  try {
    // /dev/null reads as empty; any other device, a pipe or a file may carry text.
    const stats = fstatSync(0);
    return stats.isCharacterDevice() && stats.rdev === statSync('/dev/null').rdev ? 'null' : undefined;
  } catch {
    return undefined;
  }
}

/** Where the memo of an invocation (as JSON) lives: a folder among the cache entries, named by a hash of it. */
export function memoFile(paths: LlmoPaths, invocation: string): string {
  return path.join(responsesDir(paths.cacheDir), DIRECT_FOLDER, `${fnv64(invocation)}.json`);
}

/**
 * Answers `llmo ask ARGV…` from its memo, when there is one for exactly this invocation and its
 * cache entry is still good: writes the reply and the usage record, and returns true. Returns
 * false for anything else, having written nothing.
 */
export async function answerDirectly(argv: readonly string[]): Promise<boolean> {
  try {
    const paths = resolvePaths();
    const invocation = currentInvocation(argv, paths);
    if (!invocation) return false;
    const asked = JSON.stringify(invocation);
    const memo = JSON.parse(readFileSync(memoFile(paths, asked), 'utf8')) as DirectMemo;
    if (JSON.stringify(memo.invocation) !== asked || typeof memo.entryKey !== 'string') return false;
    const started = Date.now();
    const entry = await readCacheEntry(responsesDir(paths.cacheDir), memo.entryKey, memo.ttlMs, started);
    if (!entry || entry.provider !== memo.provider || entry.model !== memo.model) return false;
    process.stdout.write(plainReply(entry.answer.text));
    const usage = cacheHitUsage({
      provider: memo.provider,
      model: memo.model,
      started,
      durationMs: Date.now() - started,
      source: { kind: 'ask' },
    });
    await appendEntryOrWarn(paths.usageDir, usage, warn);
    return true;
  } catch {
    return false;
  }
}

/** What `ask` prints of a reply on a pipe: the text, its last line terminated (ask.ts endLine). */
export function plainReply(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** FNV-1a, two 32-bit lanes: a file name, not a proof (the memo holds the whole invocation). */
function fnv64(text: string): string {
  let low = 0x811c9dc5;
  let high = 0xcbf29ce4;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code, 0x0100019d) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
