/**
 * A syntax tree back to text, fully parenthesised: what the fuzz test re-parses, and a stable
 * spelling for records.
 */
import type { Expression, ExpressionPath } from './expression-syntax.js';

export function printExpression(tree: Expression): string {
  switch (tree.kind) {
    case 'literal':
      return typeof tree.value === 'string' ? printString(tree.value) : String(tree.value);
    case 'path':
      return printPath(tree.path);
    case 'not':
      return `(not ${printExpression(tree.operand)})`;
    case 'length':
      return `length(${printExpression(tree.argument)})`;
    case 'compare':
      return `(${printExpression(tree.left)} ${tree.operator} ${printExpression(tree.right)})`;
    default:
      return `(${printExpression(tree.left)} ${tree.kind} ${printExpression(tree.right)})`;
  }
}

export function printPath(path: ExpressionPath): string {
  switch (path.kind) {
    case 'input':
    case 'previous':
      return path.kind;
    case 'item-index':
      return 'item_index';
    case 'var':
      return `vars.${path.key}`;
    case 'loop':
      return `loop.${path.field}`;
    case 'item':
      return ['item', ...path.path].join('.');
    case 'step':
      return `steps.${path.step}.${path.field}`;
    case 'step-json':
      return ['steps', path.step, 'json', ...path.path].join('.');
  }
}

function printString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
