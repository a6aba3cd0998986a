/**
 * A mistake in an expression (`when:`, `until:`, `switch.on:`): a ConfigError (exit 3) whose
 * hint shows the expression with a caret under the offending characters. The bare message and
 * the span stay on the error, so a chain's validation can re-throw it at the YAML field.
 */
import { ConfigError } from '../../errors.js';
import { caretLines, describePosition } from '../caret.js';

export class ExpressionError extends ConfigError {
  constructor(
    /** What is wrong, without the position. */
    readonly detail: string,
    /** The expression as written. */
    readonly source: string,
    /** The offending characters: `length` string indices from `offset`. */
    readonly offset: number,
    readonly length = 1,
  ) {
    super(`expression, ${describePosition(source, Math.min(offset, source.length))}: ${detail}`, {
      hint: caretLines(source, offset, offset + length),
    });
  }
}
