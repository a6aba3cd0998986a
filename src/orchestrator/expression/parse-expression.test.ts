import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { checkExpression } from './check-expression.js';
import { evaluateExpression, isTruthy } from './evaluate-expression.js';
import { ExpressionError } from './expression-error.js';
import type { ExpressionPath } from './expression-syntax.js';
import { parseExpression } from './parse-expression.js';
import { printExpression } from './print-expression.js';

function errorOf(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected "${source}" to be refused`);
}

const values: Record<string, unknown> = {
  input: 'Please review this WIP patch',
  'steps.grade.json.score': 8,
  'steps.grade.json.tags': ['sql', 'style'],
  'steps.review.output': 'Looks good. APPROVED',
  'steps.opinions.outputs': ['yes', 'no'],
  'loop.iteration': 2,
  'steps.classify.output': '  Bug ',
};

function run(source: string): unknown {
  const read = (path: ExpressionPath) => values[printPath(path)];
  return evaluateExpression(parseExpression(source).tree, read);
}

function printPath(path: ExpressionPath): string {
  return printExpression({ kind: 'path', path, offset: 0, length: 0 });
}

describe('parseExpression', () => {
  it('reads precedence as or < and < not < comparison', () => {
    const { tree } = parseExpression("steps.grade.json.score < 7 and not (input contains 'WIP') or loop.iteration == 1");
    expect(printExpression(tree)).toBe('(((steps.grade.json.score < 7) and (not (input contains "WIP"))) or (loop.iteration == 1))');
  });

  it('reads every path form', () => {
    const { tree } = parseExpression(
      'input or previous or vars.tone or steps.a-b.outputs or steps.x.json.items.0.name or loop.previous or item.title or item or item_index',
    );
    expect(printExpression(tree)).toContain('steps.x.json.items.0.name');
    expect(printExpression(tree)).toContain('steps.a-b.outputs');
  });

  it('puts a caret under a missing operand', () => {
    const error = errorOf('steps.grade.json.score < 7 and');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('expression, column 31: expected a condition after "and"');
    expect(error.hint).toBe('steps.grade.json.score < 7 and\n                                ^');
  });

  it('explains the operators people reach for from other languages', () => {
    expect(errorOf('input = "x"').detail).toContain('write "=="');
    expect(errorOf('input && previous').detail).toContain('"and" or "or"');
    expect(errorOf('!input').detail).toContain('"not"');
  });

  it('refuses unknown values, naming the forms that exist', () => {
    const error = errorOf('steps.grade.score > 3');
    expect(error.detail).toContain('unknown value "steps.grade.score"');
    expect(error.hint).toContain('^^^^^^^^^^^^^^^^^');
  });

  it('refuses chained comparisons, unclosed strings and parentheses, arithmetic', () => {
    expect(errorOf('1 < 2 < 3').detail).toContain('do not chain');
    expect(errorOf("input contains 'x").detail).toContain('never closed');
    expect(errorOf('(input').detail).toContain('expected ")"');
    expect(errorOf('- input').detail).toContain('only before a number');
    expect(errorOf('input previous').detail).toContain('"and" or "or"');
    expect(errorOf('   ').detail).toBe('the expression is empty');
  });

  it('compiles a matches pattern at load time, refusing an invalid one where it is written', () => {
    const error = errorOf('input matches "(unclosed"');
    expect(error.detail).toContain('invalid regular expression');
    expect(error.offset).toBe(14); // the opening quote
    expect(errorOf('input matches previous').detail).toContain('quoted regular expression');
  });

  it('ends a deep nesting with a clean error, not a stack overflow', () => {
    expect(errorOf(`${'('.repeat(5000)}input${')'.repeat(5000)}`).detail).toContain('nests more than');
    expect(errorOf(`${'not '.repeat(5000)}input`).detail).toContain('nests more than');
  });
});

describe('evaluateExpression', () => {
  it('compares a JSON number with a number, and a number with a numeric string', () => {
    expect(run('steps.grade.json.score < 7')).toBe(false);
    expect(run('steps.grade.json.score >= 7')).toBe(true);
    expect(run('steps.grade.json.score == "8"')).toBe(true);
    expect(run('"10" < "9"')).toBe(true); // two strings compare by code units
    expect(run('-1 < 0')).toBe(true);
  });

  it('finds substrings and list members, and matches regular expressions', () => {
    expect(run("input contains 'WIP'")).toBe(true);
    expect(run("steps.grade.json.tags contains 'sql'")).toBe(true);
    expect(run("steps.grade.json.tags contains 'go'")).toBe(false);
    expect(run('steps.review.output matches "APPROVED$"')).toBe(true);
    expect(run('steps.review.output matches "^approved"')).toBe(false);
    expect(run('input matches "\\bWIP\\b"')).toBe(true);
  });

  it('measures strings and lists; reads a missing value as null', () => {
    expect(run('length(steps.grade.json.tags) == 2')).toBe(true);
    expect(run('length(steps.opinions.outputs)')).toBe(2);
    expect(run('steps.missing.json.x == null')).toBe(true);
  });

  it('treats false, null, "", 0 and [] as false', () => {
    for (const value of [false, null, '', 0, []]) expect(isTruthy(value)).toBe(false);
    for (const value of [true, 'x', 1, ['a'], {}]) expect(isTruthy(value)).toBe(true);
  });

  it('makes a comparison of mismatched kinds false instead of failing', () => {
    expect(run('steps.grade.json.tags < 3')).toBe(false);
    expect(run('null < 1')).toBe(false);
  });
});

describe('checkExpression', () => {
  it('puts the caret under the path the chain cannot read', () => {
    const parsed = parseExpression('input contains "x" and loop.iteration > 1');
    try {
      checkExpression(parsed, (path) =>
        path.kind === 'loop' ? { message: 'loop.iteration is only valid inside a repeat', hint: 'move it' } : undefined,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ExpressionError).offset).toBe(23);
      expect((error as ExpressionError).hint).toBe(
        'input contains "x" and loop.iteration > 1\n                         ^^^^^^^^^^^^^^\n  move it',
      );
    }
  });
});
