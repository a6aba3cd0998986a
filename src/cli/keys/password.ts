/**
 * Where a password comes from: `--password-file F`, else LLMO_PASSWORD_FILE, else a no-echo
 * prompt on a terminal. Never a flag or variable holding the password itself.
 */
import { AuthError, UsageError } from '../../errors.js';
import type { Secret } from '../../vault/index.js';
import { warn } from '../output.js';
import { canPrompt, promptSecret } from './prompt-secret.js';

export interface PasswordOptions {
  passwordFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** May we prompt (stdin is a terminal)? */
  interactive?: boolean;
}

/** The file the password would come from, if any. */
export function passwordFileFrom(options: PasswordOptions): string | undefined {
  const env = options.env ?? process.env;
  return options.passwordFile ?? (env.LLMO_PASSWORD_FILE || undefined);
}

export async function readPassword(options: PasswordOptions, question = 'vault password: '): Promise<Secret> {
  const file = passwordFileFrom(options);
  if (file) return fromFile(file);
  if (options.interactive ?? canPrompt()) return nonEmpty(await promptSecret(question));
  throw new AuthError('no password: stdin is not a terminal', {
    hint: 'pass --password-file FILE or set LLMO_PASSWORD_FILE=FILE (a file holding the password)',
  });
}

/** Throws before any work is done when a new password can come neither from a file nor a prompt. */
export function checkNewPasswordSource(file: string | undefined, options: PasswordOptions & { fileFlag: string }): void {
  if (file || (options.interactive ?? canPrompt())) return;
  throw new AuthError('no new vault password: stdin is not a terminal', {
    hint: `pass ${options.fileFlag} (a file holding the new password), or run it on a terminal`,
  });
}

/**
 * The shortest new vault password accepted. The vault file can be copied and attacked offline;
 * scrypt makes each guess cost, but a 4-character password falls to a laptop within days.
 */
export const MIN_PASSWORD_LENGTH = 8;

/** A new password: from a file, or typed twice on the terminal; at least MIN_PASSWORD_LENGTH characters unless `allowWeak`. */
export async function readNewPassword(
  file: string | undefined,
  options: PasswordOptions & { fileFlag: string; allowWeak?: boolean | undefined },
  label = 'new vault password',
): Promise<Secret> {
  const password = file ? await fromFile(file) : await typedTwice(options, label);
  if (!options.allowWeak && [...password.reveal()].length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`the vault password must be at least ${MIN_PASSWORD_LENGTH} characters long; nothing was changed`, {
      hint: 'choose a longer one: a few unrelated words are strong and easy to type',
    });
  }
  return password;
}

async function typedTwice(options: PasswordOptions & { fileFlag: string }, label: string): Promise<Secret> {
  checkNewPasswordSource(undefined, options);
  const first = nonEmpty(await promptSecret(`${label}: `));
  const second = await promptSecret(`${label} again: `);
  if (first.reveal() !== second.reveal()) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

async function fromFile(file: string): Promise<Secret> {
  const { readPasswordFile } = await import('../../vault/index.js');
  const { password, warning } = readPasswordFile(file);
  if (warning) warn(warning);
  return password;
}

function nonEmpty(password: Secret): Secret {
  if (password.length === 0) throw new UsageError('the password is empty');
  return password;
}
