/** A step (or a whole fan-out) that produced nothing; exits with the code of what went wrong. */
import { LlmoError, type ExitCodeValue, type LlmoErrorOptions } from '../errors.js';

export class StepFailedError extends LlmoError {
  override readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options: LlmoErrorOptions = {}) {
    super(message, options);
    this.exitCode = exitCode;
  }
}
