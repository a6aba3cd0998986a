/**
 * Thousands of random strings (seeded, so a failure can be replayed) must each end in a valid
 * tree or a clean ExpressionError (exit 3, with a caret) — never another exception or a hang;
 * and random valid trees, printed, must parse back to the same tree.
 */
import { describe, expect, it } from 'vitest';
import { ExpressionError } from './expression-error.js';
import type { ComparisonOperator, Expression, ExpressionPath } from './expression-syntax.js';
import { parseExpression } from './parse-expression.js';
import { printExpression } from './print-expression.js';

const SEED = Number(process.env.LLMO_FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: small, fast and good enough to spread inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const FRAGMENTS = [
  'input',
  'previous',
  'steps',
  '.',
  'grade',
  'json',
  'score',
  'output',
  'outputs',
  'vars',
  'loop',
  'iteration',
  'item',
  'item_index',
  'and',
  'or',
  'not',
  'contains',
  'matches',
  'length',
  'true',
  'false',
  'null',
  '(',
  ')',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '=',
  '!',
  '&&',
  '-',
  '7',
  '0.5',
  '12',
  '"a b"',
  "'x'",
  '"\\"',
  "'\\''",
  '"(["',
  ' ',
  ' ',
  '  ',
  '\n',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  '+',
  '*',
  'é',
  '🙂',
  '你',
  '\t',
  '.0',
  '0.',
  '_',
  'x-y',
];

describe('expression fuzz', () => {
  it(`ends every random string in a tree or a clean ExpressionError (seed ${SEED})`, () => {
    const next = random(SEED);
    for (let round = 0; round < 5000; round += 1) {
      const count = Math.floor(next() * 14);
      let source = '';
      for (let index = 0; index < count; index += 1) {
        source += next() < 0.85 ? FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] : String.fromCharCode(Math.floor(next() * 0x3000));
        if (next() < 0.5) source += ' ';
      }
      try {
        const parsed = parseExpression(source);
        expect(parseExpression(printExpression(parsed.tree)).tree).toBeDefined();
      } catch (error) {
        if (!(error instanceof ExpressionError))
          throw new Error(`seed ${SEED}, round ${round}: ${JSON.stringify(source)} threw ${String(error)}`);
        expect(error.exitCode).toBe(3);
        expect(error.hint).toMatch(/\^/);
        expect(error.offset).toBeGreaterThanOrEqual(0);
        expect(error.offset).toBeLessThanOrEqual(source.length);
      }
    }
  });

  it(`prints random trees that parse back to the same tree (seed ${SEED})`, () => {
    const next = random(SEED + 1);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const name = () => pick(['a', 'grade', 'x-y', 'step_2', 'length', 'and']);
    const path = (): ExpressionPath =>
      pick<() => ExpressionPath>([
        () => ({ kind: 'input' }),
        () => ({ kind: 'previous' }),
        () => ({ kind: 'var', key: name() }),
        () => ({ kind: 'step', step: name(), field: pick(['output', 'outputs'] as const) }),
        () => ({ kind: 'step-json', step: name(), path: [name(), String(Math.floor(next() * 3))].slice(0, Math.floor(next() * 3)) }),
        () => ({ kind: 'loop', field: pick(['iteration', 'previous'] as const) }),
        () => ({ kind: 'item', path: next() < 0.5 ? [] : [name()] }),
        () => ({ kind: 'item-index' }),
      ])();
    const span = { offset: 0, length: 0 };
    const value = (depth: number): Expression => {
      const roll = next();
      if (depth > 3 || roll < 0.4) return { kind: 'path', path: path(), ...span };
      if (roll < 0.6) return { kind: 'literal', value: pick([1, -2, 0.5, 'a "q" \\ b', "it's", true, false, null]), ...span };
      if (roll < 0.7) return { kind: 'length', argument: expression(depth + 1), ...span };
      return expression(depth + 1);
    };
    const expression = (depth: number): Expression => {
      const roll = next();
      if (depth > 4 || roll < 0.2) return value(depth + 1);
      if (roll < 0.35) return { kind: 'not', operand: expression(depth + 1), ...span };
      if (roll < 0.65) return { kind: pick(['and', 'or'] as const), left: expression(depth + 1), right: expression(depth + 1), ...span };
      const operator = pick<ComparisonOperator>(['==', '!=', '<', '<=', '>', '>=', 'contains', 'matches']);
      const right: Expression =
        operator === 'matches' ? { kind: 'literal', value: pick(['^a+$', '\\d', 'x|y']), ...span } : value(depth + 1);
      return { kind: 'compare', operator, left: value(depth + 1), right, ...span };
    };
    for (let round = 0; round < 2000; round += 1) {
      const printed = printExpression(expression(0));
      let reprinted: string;
      try {
        reprinted = printExpression(parseExpression(printed).tree);
      } catch (error) {
        throw new Error(`seed ${SEED}, round ${round}: ${printed} did not parse: ${(error as Error).message}`);
      }
      expect(reprinted, `seed ${SEED}, round ${round}`).toBe(printed);
    }
  });
});
