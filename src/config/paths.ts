/**
 * Where llmo keeps its files. `$LLMO_HOME` puts everything under one directory (tests and
 * portable installs); otherwise the XDG base directories apply.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, UsageError } from '../errors.js';

/** The variable `--profile` sets; unset or `default`: the default profile. */
export const PROFILE_VARIABLE = 'LLMO_PROFILE';
export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface LlmoPaths {
  /** config.yaml, models.yaml, vault.bin */
  configDir: string;
  /** conversations/, usage/, runs/ */
  dataDir: string;
  /** agent socket, session files: never persisted across reboots where the OS allows */
  runtimeDir: string;
  userConfigFile: string;
  userModelsFile: string;
  vaultFile: string;
  conversationsDir: string;
  usageDir: string;
  runsDir: string;
  /** The response cache: `$LLMO_HOME/cache`, else `$XDG_CACHE_HOME/llmo` (~/.cache/llmo). */
  cacheDir: string;
  /**
   * The project's `.llmo.yaml`: the nearest one from the working directory up to the repository
   * root (see findProjectFile); `./.llmo.yaml` when there is none.
   */
  projectFile: string;
  /** Prompt templates (`llmo templates`): one NAME.yaml each. */
  templatesDir: string;
  /** The profile in use; undefined for the default one. */
  profile: string | undefined;
  /** Where every profile other than the default keeps its config (one folder each). */
  profilesDir: string;
  /** models.yaml and config/default.yaml shipped with the package */
  shippedModelsFile: string;
  shippedConfigFile: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LlmoPaths {
  const home = env.HOME || homedir();
  const llmoHome = env.LLMO_HOME ? path.resolve(env.LLMO_HOME) : undefined;
  const profile = profileOf(env);
  const baseConfigDir = llmoHome ?? path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'llmo');
  const profilesDir = path.join(baseConfigDir, 'profiles');
  // A profile is a whole llmo home of its own: its config, vault, conversations, usage log,
  // agent socket and caches, so nothing of one profile can serve another.
  const inProfile = (directory: string) => (profile ? path.join(directory, 'profiles', profile) : directory);
  const profileHome = llmoHome && inProfile(llmoHome);
  const configDir = profileHome ?? inProfile(baseConfigDir);
  const dataDir = profileHome ?? inProfile(path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'llmo'));
  // Without XDG_RUNTIME_DIR, not /tmp: a predictable name there can be created first by another
  // local user. Under the home directory only we can create it.
  const runtimeDir = profileHome
    ? path.join(profileHome, 'run')
    : inProfile(
        env.XDG_RUNTIME_DIR
          ? path.join(env.XDG_RUNTIME_DIR, 'llmo')
          : path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'llmo', 'run'),
      );
  const root = packageRoot();
  return {
    configDir,
    dataDir,
    runtimeDir,
    userConfigFile: path.join(configDir, 'config.yaml'),
    userModelsFile: path.join(configDir, 'models.yaml'),
    vaultFile: path.join(configDir, 'vault.bin'),
    conversationsDir: path.join(dataDir, 'conversations'),
    usageDir: path.join(dataDir, 'usage'),
    runsDir: path.join(dataDir, 'runs'),
    cacheDir: profileHome ? path.join(profileHome, 'cache') : inProfile(path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'llmo')),
    projectFile: findProjectFile(cwd),
    templatesDir: path.join(configDir, 'templates'),
    profile,
    profilesDir,
    shippedModelsFile: path.join(root, 'models.yaml'),
    shippedConfigFile: path.join(root, 'config', 'default.yaml'),
  };
}

/** `$LLMO_PROFILE`, checked: a name is one folder, never a path that climbs out of the home. */
export function profileOf(env: NodeJS.ProcessEnv): string | undefined {
  const name = env[PROFILE_VARIABLE];
  if (name === undefined || name === '' || name === DEFAULT_PROFILE) return undefined;
  checkProfileName(name);
  return name;
}

export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a profile name`, {
      hint: 'use letters, digits, _ and - (starting with a letter or digit), at most 64 characters',
    });
  }
}

/**
 * The nearest `.llmo.yaml` from `cwd` upwards, as git, Biome and ESLint find their files: a
 * command run in a project's subfolder uses the project's settings. The search stops at the
 * repository root (the first folder holding `.git`) so one project never picks up another's, and
 * at the filesystem root outside a repository. Without one, `cwd/.llmo.yaml` (absent).
 */
export function findProjectFile(cwd: string): string {
  let directory = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(directory, '.llmo.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory || existsSync(path.join(directory, '.git'))) return path.join(cwd, '.llmo.yaml');
    directory = parent;
  }
}

let cachedRoot: string | undefined;

/** The installed package's root: the first parent of this module holding models.yaml. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(directory, 'models.yaml')) && existsSync(path.join(directory, 'package.json'))) {
      cachedRoot = directory;
      return directory;
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('llmo: cannot find the package root (models.yaml is missing)');
    directory = parent;
  }
}

/** A misspelt profile must not quietly start an empty one (and a vault nobody meant to make). */
export function requireProfile(paths: LlmoPaths): void {
  if (paths.profile === undefined || existsSync(paths.configDir)) return;
  throw new ConfigError(`no profile "${paths.profile}" (${paths.configDir} does not exist)`, {
    hint: `create it with: llmo profile create ${paths.profile} (llmo profile list shows those that exist)`,
  });
}
