/**
 * Profiles are folders: `<config home>/profiles/NAME/` (with $LLMO_HOME, everything of the
 * profile is in there; under XDG, its data, runtime and cache folders are `…/profiles/NAME` of
 * each). The paths come from resolvePaths with LLMO_PROFILE set, so nothing here knows the layout.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { checkProfileName, DEFAULT_PROFILE, PROFILE_VARIABLE, profileOf, resolvePaths, type LlmoPaths } from '../../config/paths.js';
import { ConfigError, UsageError } from '../../errors.js';
import { profileNames } from './profile-names.js';

export function listProfiles(): void {
  const current = profileOf(process.env) ?? DEFAULT_PROFILE;
  const lines = profileNames().map((name) => `${name === current ? '*' : ' '} ${name}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function pathsOf(name: string): LlmoPaths {
  checkProfileName(name);
  return resolvePaths({ ...process.env, [PROFILE_VARIABLE]: name });
}

export function createProfile(name: string): void {
  if (name === DEFAULT_PROFILE) throw new UsageError('the default profile always exists; name a new one');
  const paths = pathsOf(name);
  if (exists(paths.configDir)) throw new UsageError(`profile "${name}" already exists (${paths.configDir})`);
  mkdirSync(paths.configDir, { recursive: true, mode: 0o700 });
  process.stdout.write(
    `created profile ${name} in ${paths.configDir}\nuse it with: llmo --profile ${name} … (or export ${PROFILE_VARIABLE}=${name}); add its keys with: llmo --profile ${name} auth init\n`,
  );
}

export async function removeProfile(name: string, options: { yes?: boolean | undefined }): Promise<void> {
  if (name === DEFAULT_PROFILE) {
    throw new UsageError('the default profile cannot be removed', {
      hint: 'remove keys with llmo auth remove, conversations with llmo conversations',
    });
  }
  const paths = pathsOf(name);
  if (!exists(paths.configDir)) {
    throw new ConfigError(`no profile "${name}"`, { hint: 'llmo profile list shows the profiles there are' });
  }
  if (!options.yes) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new UsageError(`not removed: profile "${name}" holds its own vault and conversations`, { hint: `pass --yes to remove it` });
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt
      .question(`remove profile ${name} with its vault, conversations and usage log? [y/N] `)
      .finally(() => prompt.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('nothing removed\n');
      return;
    }
  }
  await lockProfile(name);
  const folders = new Set([paths.configDir, paths.dataDir, paths.runtimeDir, paths.cacheDir]);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  process.stdout.write(`removed profile ${name}\n`);
}

/** An unlocked agent of the profile would keep its keys in memory after its vault is gone. */
async function lockProfile(name: string): Promise<void> {
  const { loadConfig } = await import('../../config/load.js');
  const { stopEverything } = await import('../auth/lock.js');
  try {
    await stopEverything(loadConfig({ env: { ...process.env, [PROFILE_VARIABLE]: name } }), { forgetKeychain: true });
  } catch {
    // A profile whose config no longer loads has nothing we could reach to lock; remove it anyway.
  }
}

function exists(directory: string): boolean {
  return statSync(directory, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
