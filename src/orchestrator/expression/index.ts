/** The expression language of chains (`when:`, `until:`, `switch.on:`): parse, check, evaluate. */
export { checkExpression, expressionPaths, type CheckPath, type PathProblem } from './check-expression.js';
export { evaluateExpression, isTruthy, MATCH_LIMIT, textOf, type ReadPath } from './evaluate-expression.js';
export { ExpressionError } from './expression-error.js';
export type { ComparisonOperator, Expression, ExpressionPath, ParsedExpression, Span } from './expression-syntax.js';
export { PATH_FORMS, parseExpression } from './parse-expression.js';
export { printExpression, printPath } from './print-expression.js';
