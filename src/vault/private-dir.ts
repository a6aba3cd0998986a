/**
 * Directories that hold secrets (the vault's, the runtime one with the agent socket and session
 * files) must be ours and closed to everyone else: 0700, a real directory, not a symlink.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { AuthError } from '../errors.js';

export function ensurePrivateDir(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  checkPrivateDir(directory, { repair: true });
}

/**
 * Throws unless `directory` is a directory owned by this user. With `repair`, loosened
 * permissions are tightened to 0700; without it they are an error.
 */
export function checkPrivateDir(directory: string, options: { repair: boolean }): void {
  const stats = lstatSync(directory);
  if (stats.isSymbolicLink()) {
    throw new AuthError(`${directory} is a symbolic link, not a directory`, { hint: `${MOVE_IT} ${ELSEWHERE}` });
  }
  if (!stats.isDirectory()) throw new AuthError(`${directory} is not a directory`, { hint: `${MOVE_IT} ${ELSEWHERE}` });
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    // Under /tmp (no XDG_RUNTIME_DIR) anyone can create the directory first, hoping we use it.
    throw new AuthError(`${directory} belongs to another user (uid ${stats.uid}); llmo keeps no secrets where someone else can`, {
      hint: `have it removed (root, or its owner), or ${ELSEWHERE}`,
    });
  }
  if (process.platform === 'win32' || (stats.mode & 0o077) === 0) return;
  if (!options.repair) {
    throw new AuthError(`${directory} is open to other users (mode ${(stats.mode & 0o777).toString(8)})`, {
      hint: `run: chmod 700 ${directory}`,
    });
  }
  chmodSync(directory, 0o700);
}

const MOVE_IT = 'move it away: llmo keeps secrets there.';
const ELSEWHERE =
  'point llmo at a directory of your own: set XDG_RUNTIME_DIR (agent and sessions), XDG_CONFIG_HOME (the vault) or LLMO_HOME';
