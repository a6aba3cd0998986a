/**
 * A tiny interpreter over plain values: never `eval`, never `Function`. It is total: a value of
 * the wrong kind makes a comparison false rather than an error, since the chain was checked
 * before it ran and a model's output is whatever it is.
 */
import type { ComparisonOperator, Expression, ExpressionPath } from './expression-syntax.js';

/** `matches` looks at no more than this much of a text, so a long output cannot stall a regex. */
export const MATCH_LIMIT = 100_000;

/** The value a path has at this point of the run (undefined reads as null). */
export type ReadPath = (path: ExpressionPath) => unknown;

export function evaluateExpression(tree: Expression, read: ReadPath): unknown {
  switch (tree.kind) {
    case 'literal':
      return tree.value;
    case 'path':
      return read(tree.path) ?? null;
    case 'not':
      return !isTruthy(evaluateExpression(tree.operand, read));
    case 'and':
      return isTruthy(evaluateExpression(tree.left, read)) && isTruthy(evaluateExpression(tree.right, read));
    case 'or':
      return isTruthy(evaluateExpression(tree.left, read)) || isTruthy(evaluateExpression(tree.right, read));
    case 'length':
      return lengthOf(evaluateExpression(tree.argument, read));
    case 'compare':
      return compare(tree.operator, evaluateExpression(tree.left, read), evaluateExpression(tree.right, read), tree.regex);
  }
}

/** false, null, "", 0 and [] are false; everything else is true. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== false && value !== null && value !== undefined && value !== '' && value !== 0 && !Number.isNaN(value);
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}

function compare(operator: ComparisonOperator, leftValue: unknown, rightValue: unknown, regex: RegExp | undefined): boolean {
  const [left, right] = numericPair(leftValue, rightValue);
  switch (operator) {
    case '==':
      return same(left, right);
    case '!=':
      return !same(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordered(operator, left, right);
    case 'contains':
      return contains(leftValue, rightValue);
    case 'matches':
      return regex?.test(textOf(leftValue).slice(0, MATCH_LIMIT)) ?? false;
  }
}

/** A number beside a numeric string: both as numbers. */
function numericPair(left: unknown, right: unknown): [unknown, unknown] {
  if (typeof left === 'number' && typeof right === 'string' && isNumeric(right)) return [left, Number(right)];
  if (typeof right === 'number' && typeof left === 'string' && isNumeric(left)) return [Number(left), right];
  return [left, right];
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

function same(left: unknown, right: unknown): boolean {
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return left === right;
  return JSON.stringify(left) === JSON.stringify(right);
}

function ordered(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const [a, b] = [left as number | string, right as number | string];
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

function contains(container: unknown, member: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => same(...numericPair(element, member)));
  if (typeof container === 'string' && member !== null && typeof member !== 'object') return container.includes(String(member));
  return false;
}

/** A value as text: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}
