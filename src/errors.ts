/**
 * Typed errors that carry the process exit code. They are thrown deep and caught once,
 * in bin/llmo.js, which prints `llmo: <message>` (plus `hint`, when there is one) and exits.
 * Messages are one line, name what was wrong and how to fix it, and never contain a secret.
 */

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  auth: 4,
  provider: 5,
  budget: 6,
  validation: 7,
  toolPolicy: 8,
  environment: 9,
  partial: 10,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface LlmoErrorOptions {
  /** What the user can do about it; printed on its own line after the message. */
  hint?: string | undefined;
  cause?: unknown;
}

export class LlmoError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.internal;
  readonly hint: string | undefined;

  constructor(message: string, options: LlmoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends LlmoError {
  override readonly exitCode = ExitCode.usage;
}

/** Bad YAML, unknown model, chain, role, persona or variable (exit 3). */
export class ConfigError extends LlmoError {
  override readonly exitCode = ExitCode.config;
}

/** No key, vault locked, wrong password, or the provider rejected the key (exit 4). */
export class AuthError extends LlmoError {
  override readonly exitCode = ExitCode.auth;
}

/** A budget would be exceeded; raised before any request is sent (exit 6). */
export class BudgetError extends LlmoError {
  override readonly exitCode = ExitCode.budget;
}

/** Output failed validation (exit 7). */
export class ValidationError extends LlmoError {
  override readonly exitCode = ExitCode.validation;
}

/**
 * Stopped by the tool policy or a tool limit (exit 8): a tool that needs approval where no one can
 * give it, a denied tool, the step limit, or the same call or error repeated.
 */
export class ToolPolicyError extends LlmoError {
  override readonly exitCode = ExitCode.toolPolicy;
}

/**
 * The machine, not llmo or its input: a full disk, a read-only home, a file that is not a regular
 * file, a lock another process keeps (exit 9). The message names the path; the hint, the fix.
 */
export class EnvironmentError extends LlmoError {
  override readonly exitCode = ExitCode.environment;
}

/**
 * The error a failed file operation becomes: ENOSPC, EROFS, EACCES/EPERM, EDQUOT, EIO with the
 * path and what to do; anything else is returned as it was (a bug to report).
 */
export function environmentErrorFor(error: unknown, what: string, file: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, [problem: string, fix: string]> = {
    ENOSPC: ['the disk is full', 'free some space and try again'],
    EDQUOT: ['the disk quota is used up', 'free some space and try again'],
    EROFS: ['the file system is read-only', 'point llmo at a writable place (LLMO_HOME, or the XDG_* directories)'],
    EACCES: ['permission denied', `check the owner and mode of ${file} and of its directory`],
    EPERM: ['not permitted', `check the owner and mode of ${file} and of its directory`],
    EIO: ['an input/output error', 'check the disk'],
  };
  const entry = code === undefined ? undefined : known[code];
  if (entry === undefined) return error;
  return new EnvironmentError(`cannot ${what} ${file}: ${entry[0]} (${code})`, { hint: entry[1], cause: error });
}

/** Some parallel branches or chain steps failed while others succeeded (exit 10). */
export class PartialFailureError extends LlmoError {
  override readonly exitCode = ExitCode.partial;
}

/** Ctrl-C or SIGTERM (exit 130). */
export class InterruptedError extends LlmoError {
  override readonly exitCode = ExitCode.interrupted;
  constructor(message = 'interrupted', options: LlmoErrorOptions = {}) {
    super(message, options);
  }
}

export function isLlmoError(error: unknown): error is LlmoError {
  return error instanceof LlmoError;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
