import { describeError } from '../session/describe-error.js';
import { failure, type CommandResult } from './types.js';

/** A failure inside a command (unknown model, no key, unreadable file) as a message result. */
export function errorResult(error: unknown): CommandResult {
  const { text, hint } = describeError(error);
  return failure(text, hint);
}
