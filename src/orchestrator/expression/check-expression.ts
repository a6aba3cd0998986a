/**
 * Checks every value an expression reads against where it is written, before any call: the
 * caller (chain validation) knows the steps, their schemas and whether a loop or an item is in
 * scope; this walks the tree and turns the first problem into a caret under that path.
 */
import { ExpressionError } from './expression-error.js';
import type { Expression, ExpressionPath, ParsedExpression, Span } from './expression-syntax.js';

export interface PathProblem {
  message: string;
  hint?: string | undefined;
}

/** Why `path` cannot be read where the expression is written, or undefined when it can. */
export type CheckPath = (path: ExpressionPath, written: string) => PathProblem | undefined;

export function checkExpression(parsed: ParsedExpression, check: CheckPath): void {
  for (const { path, offset, length } of expressionPaths(parsed.tree)) {
    const written = parsed.source.slice(offset, offset + length);
    const problem = check(path, written);
    if (!problem) continue;
    const error = new ExpressionError(problem.message, parsed.source, offset, length);
    throw problem.hint ? withHint(error, problem.hint) : error;
  }
}

/** Every path the expression reads, in the order written. */
export function expressionPaths(tree: Expression): Array<Span & { path: ExpressionPath }> {
  switch (tree.kind) {
    case 'literal':
      return [];
    case 'path':
      return [{ path: tree.path, offset: tree.offset, length: tree.length }];
    case 'not':
      return expressionPaths(tree.operand);
    case 'length':
      return expressionPaths(tree.argument);
    default:
      return [...expressionPaths(tree.left), ...expressionPaths(tree.right)];
  }
}

function withHint(error: ExpressionError, hint: string): ExpressionError {
  Object.defineProperty(error, 'hint', { value: `${error.hint}\n  ${hint}` });
  return error;
}
