/**
 * Expression text → syntax tree, by recursive descent over CHAIN-FORMAT's grammar:
 *
 *   or := and ("or" and)*        and := not ("and" not)*        not := "not" not | cmp
 *   cmp := unary (OP unary)?     unary := "-" NUMBER | atom
 *   atom := NUMBER | STRING | true | false | null | length(expr) | (expr) | path
 *
 * Nothing here evaluates anything. Nesting is capped so a hostile string ends in a clean error,
 * never a stack overflow.
 */
import { ExpressionError } from './expression-error.js';
import type { ComparisonOperator, Expression, ExpressionPath, ParsedExpression } from './expression-syntax.js';
import { type Token, tokenizeExpression } from './tokenize-expression.js';

const MAX_DEPTH = 64;
const KEYWORDS = new Set(['and', 'or', 'not', 'contains', 'matches', 'true', 'false', 'null', 'length']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains', 'matches']);
export const PATH_FORMS =
  'input, previous, vars.KEY, steps.NAME.output, steps.NAME.outputs, steps.NAME.json.FIELD, loop.iteration, loop.previous, item, item.FIELD, item_index';

export function parseExpression(source: string): ParsedExpression {
  if (source.trim() === '') throw new ExpressionError('the expression is empty', source, 0);
  return { source, tree: new Parser(source).parse() };
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenizeExpression(source);
  }

  parse(): Expression {
    const tree = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint = next.kind === 'name' || next.kind === 'string' || next.kind === 'number' ? '; join conditions with "and" or "or"' : '';
      this.fail(`unexpected ${describe(next)} after a complete expression${hint}`, next);
    }
    return tree;
  }

  private or(): Expression {
    return this.nested(() => {
      let left = this.and();
      while (this.isWord('or')) {
        this.advance();
        const right = this.operand('or', () => this.and());
        left = { kind: 'or', left, right, ...spanOf(left, right) };
      }
      return left;
    });
  }

  private and(): Expression {
    let left = this.not();
    while (this.isWord('and')) {
      this.advance();
      const right = this.operand('and', () => this.not());
      left = { kind: 'and', left, right, ...spanOf(left, right) };
    }
    return left;
  }

  private not(): Expression {
    if (!this.isWord('not')) return this.comparison();
    const keyword = this.advance();
    const operand = this.nested(() => this.operand('not', () => this.not()));
    return { kind: 'not', operand, offset: keyword.offset, length: end(operand) - keyword.offset };
  }

  private comparison(): Expression {
    const left = this.unary();
    const next = this.peek();
    const operator = next.kind === 'operator' || (next.kind === 'name' && COMPARISONS.has(next.text)) ? next.text : undefined;
    if (operator === undefined) return left;
    this.advance();
    const right = this.operand(`'${operator}'`, () => this.unary());
    let regex: RegExp | undefined;
    if (operator === 'matches') regex = this.regexOf(right);
    const followedBy = this.peek();
    if (followedBy.kind === 'operator' || (followedBy.kind === 'name' && COMPARISONS.has(followedBy.text)))
      this.fail(`comparisons do not chain; join them with "and" (or use parentheses)`, followedBy);
    return { kind: 'compare', operator: operator as ComparisonOperator, left, right, regex, ...spanOf(left, right) };
  }

  private regexOf(pattern: Expression): RegExp {
    if (pattern.kind !== 'literal' || typeof pattern.value !== 'string')
      this.fail('"matches" needs a quoted regular expression after it', pattern);
    try {
      return new RegExp(pattern.value as string, 'u');
    } catch (error) {
      return this.fail(`invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, pattern);
    }
  }

  private unary(): Expression {
    const token = this.peek();
    if (token.kind !== '-') return this.atom();
    this.advance();
    const number = this.peek();
    if (number.kind !== 'number') this.fail('"-" goes only before a number (there is no arithmetic)', token);
    this.advance();
    return { kind: 'literal', value: -Number(number.text), offset: token.offset, length: end(number) - token.offset };
  }

  private atom(): Expression {
    const token = this.peek();
    if (token.kind === 'number') return this.literal(Number(token.text));
    if (token.kind === 'string') return this.literal(token.text);
    if (token.kind === '(') return this.parenthesised();
    if (token.kind !== 'name') return this.fail(`expected a value, found ${describe(token)}`, token);
    if (token.text === 'true' || token.text === 'false') return this.literal(token.text === 'true');
    if (token.text === 'null') return this.literal(null);
    if (token.text === 'length') return this.lengthCall();
    if (KEYWORDS.has(token.text)) return this.fail(`expected a value before "${token.text}"`, token);
    return this.path();
  }

  private literal(value: string | number | boolean | null): Expression {
    const token = this.advance();
    return { kind: 'literal', value, offset: token.offset, length: token.length };
  }

  private parenthesised(): Expression {
    const open = this.advance();
    const inner = this.nested(() => this.operand('"("', () => this.or()));
    const close = this.peek();
    if (close.kind !== ')') this.fail(`expected ")" to close the "(" at column ${open.offset + 1}, found ${describe(close)}`, close);
    this.advance();
    return { ...inner, offset: open.offset, length: end(close) - open.offset };
  }

  private lengthCall(): Expression {
    const keyword = this.advance();
    if (this.peek().kind !== '(') this.fail('write length(VALUE)', this.peek());
    const argument = this.parenthesised();
    return { kind: 'length', argument, offset: keyword.offset, length: end(argument) - keyword.offset };
  }

  /** `steps.NAME.json.a.0`, `vars.KEY`, `item.FIELD`, … : a name, then `.segment`s. */
  private path(): Expression {
    const first = this.advance();
    const segments = [first.text];
    let last = first;
    while (this.peek().kind === '.') {
      const dot = this.advance();
      const segment = this.peek();
      if (segment.kind !== 'segment') this.fail('expected a field name after "."', segment.kind === 'end' ? dot : segment);
      last = this.advance();
      segments.push(last.text);
    }
    const span = { offset: first.offset, length: end(last) - first.offset };
    const path = pathOf(segments);
    if (!path) this.fail(`unknown value "${segments.join('.')}"; values are ${PATH_FORMS}`, span);
    return { kind: 'path', path: path!, ...span };
  }

  /** The operand after `word`, or an error saying one is missing. */
  private operand(word: string, parse: () => Expression): Expression {
    const next = this.peek();
    if (next.kind === 'end' || next.kind === ')' || (next.kind === 'name' && ['and', 'or'].includes(next.text) && word !== 'not'))
      this.fail(`expected a ${word === 'and' || word === 'or' || word === 'not' ? 'condition' : 'value'} after ${quoteWord(word)}`, next);
    return parse();
  }

  private nested(parse: () => Expression): Expression {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) this.fail(`the expression nests more than ${MAX_DEPTH} deep`, this.peek());
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === word;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private advance(): Token {
    const token = this.tokens[this.position]!;
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private fail(message: string, where: { offset: number; length: number }): never {
    throw new ExpressionError(message, this.source, where.offset, Math.max(1, where.length));
  }
}

function pathOf(segments: readonly string[]): ExpressionPath | undefined {
  const [root, second, third, ...rest] = segments;
  switch (root) {
    case 'input':
    case 'previous':
      return segments.length === 1 ? { kind: root } : undefined;
    case 'item_index':
      return segments.length === 1 ? { kind: 'item-index' } : undefined;
    case 'item':
      return { kind: 'item', path: segments.slice(1) };
    case 'vars':
      return segments.length === 2 ? { kind: 'var', key: second! } : undefined;
    case 'loop':
      return segments.length === 2 && (second === 'iteration' || second === 'previous') ? { kind: 'loop', field: second } : undefined;
    case 'steps':
      if (second === undefined) return undefined;
      if ((third === 'output' || third === 'outputs') && rest.length === 0) return { kind: 'step', step: second, field: third };
      if (third === 'json') return { kind: 'step-json', step: second, path: rest };
      return undefined;
    default:
      return undefined;
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return 'a string';
  return `"${token.text}"`;
}

function quoteWord(word: string): string {
  return word.startsWith('"') || word.startsWith("'") ? word : `"${word}"`;
}

function end(span: { offset: number; length: number }): number {
  return span.offset + span.length;
}

function spanOf(left: Expression, right: Expression): { offset: number; length: number } {
  return { offset: left.offset, length: end(right) - left.offset };
}
