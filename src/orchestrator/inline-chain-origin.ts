/**
 * Where a mistake in an inline chain is: the ChainOrigin of one, which points at the spot in the
 * chain's text with a caret, down to the characters inside a quoted value.
 */
import { ConfigError } from '../errors.js';
import { caretLines, describePosition } from './caret.js';
import type { ChainOrigin, FieldPath } from './chain-definition.js';

/**
 * Where each quoted value's characters were written: `offsets[i]` is the index in the chain's
 * text of the value's i-th character (escapes make the two differ), so a mistake found inside a
 * value (a template's `{{…}}`) can be pointed at exactly.
 */
export type ValueOffsets = ReadonlyMap<string, readonly number[]>;

export function inlineOrigin(
  text: string,
  spans: ReadonlyMap<string, readonly [number, number]>,
  valueOffsets: ValueOffsets = new Map(),
): ChainOrigin {
  return {
    kind: 'inline',
    where: text,
    error(fieldPath, message, hint, within) {
      let span = spanFor(spans, fieldPath);
      const offsets = valueOffsets.get(JSON.stringify(fieldPath));
      if (span && offsets && within) {
        const from = offsets[within.offset];
        const last = offsets[Math.min(within.offset + within.length, offsets.length) - 1];
        if (from !== undefined && last !== undefined) span = [from, last + 1];
      }
      const column = span ? `, ${describePosition(text, span[0])}` : '';
      return new ConfigError(`inline chain${column}: ${message}`, {
        hint: span ? caretLines(text, span[0], span[1]) + (hint ? `\n  ${hint}` : '') : (hint ?? text),
      });
    },
  };
}

/** The span of a field, or of the nearest enclosing part that has one. */
function spanFor(spans: ReadonlyMap<string, readonly [number, number]>, fieldPath: FieldPath): readonly [number, number] | undefined {
  for (let length = fieldPath.length; length >= 0; length -= 1) {
    const span = spans.get(JSON.stringify(fieldPath.slice(0, length)));
    if (span) return span;
  }
  return undefined;
}
