import { readdirSync } from 'node:fs';
import { DEFAULT_PROFILE, PROFILE_VARIABLE, resolvePaths } from '../../config/paths.js';

/** Every profile that exists, the default first. */
export function profileNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const { profilesDir } = resolvePaths({ ...env, [PROFILE_VARIABLE]: undefined });
  let names: string[];
  try {
    names = readdirSync(profilesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    names = [];
  }
  return [DEFAULT_PROFILE, ...names.filter((name) => name !== DEFAULT_PROFILE).sort()];
}
