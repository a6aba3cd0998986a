/**
 * Passwords for scripts come from a file (`--password-file F`, or `LLMO_PASSWORD_FILE=F`), never
 * from a flag or a variable holding the password itself: argv and the environment are readable
 * by other processes (ps, /proc/<pid>/cmdline, /proc/<pid>/environ).
 */
import { readFileSync, statSync } from 'node:fs';
import { AuthError } from '../errors.js';
import { Secret } from './secret.js';

export const PASSWORD_FILE_VARIABLE = 'LLMO_PASSWORD_FILE';

export interface PasswordFileResult {
  password: Secret;
  /** Set when the file is readable by group or others. */
  warning?: string;
}

/** The file's content without its final line break, NFC-normalised. */
export function readPasswordFile(file: string): PasswordFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') {
      // No such file: perhaps the password itself was given in its place. Do not print it.
      throw new AuthError('cannot read the password file: there is no such file', {
        hint: '--password-file and LLMO_PASSWORD_FILE name a file that holds the password, never the password itself',
      });
    }
    throw new AuthError(`cannot read the password file ${file}: ${code}`);
  }
  const password = text.replace(/\r?\n$/, '').normalize('NFC');
  if (password === '') throw new AuthError(`the password file ${file} is empty`);
  let warning: string | undefined;
  try {
    const mode = statSync(file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      warning = `the password file ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`;
    }
  } catch {
    // read worked; the mode check is advice only
  }
  return { password: new Secret(password), ...(warning ? { warning } : {}) };
}
