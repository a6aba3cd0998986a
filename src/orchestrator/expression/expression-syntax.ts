/**
 * The expression language's syntax tree. Every node keeps its span in the source so a checker
 * can put a caret under exactly the part that is wrong.
 */
import type { TemplateVariable } from '../template.js';

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches';

/** What a path reads: the same values as prompt templates' `{{…}}`, one type for both. */
export type ExpressionPath = TemplateVariable;

export interface Span {
  offset: number;
  length: number;
}

export type Expression = Span &
  (
    | { kind: 'literal'; value: string | number | boolean | null }
    | { kind: 'path'; path: ExpressionPath }
    | { kind: 'not'; operand: Expression }
    | { kind: 'and' | 'or'; left: Expression; right: Expression }
    | { kind: 'compare'; operator: ComparisonOperator; left: Expression; right: Expression; regex?: RegExp | undefined }
    | { kind: 'length'; argument: Expression }
  );

/** An expression parsed from its text, kept together for error messages and records. */
export interface ParsedExpression {
  source: string;
  tree: Expression;
}
