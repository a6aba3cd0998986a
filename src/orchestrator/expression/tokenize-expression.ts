/**
 * Expression text → tokens. Words are names (`steps`, `and`, a step's name, which may hold `-`);
 * right after a `.` a run of letters, digits, `_` and `-` is one path segment, so
 * `json.items.0.name` never reads `0.` as the start of a decimal number.
 */
import { ExpressionError } from './expression-error.js';

export type TokenKind = 'number' | 'string' | 'name' | 'segment' | 'operator' | '(' | ')' | '.' | '-' | 'end';

export interface Token {
  kind: TokenKind;
  /** The number's value, the string's unescaped text, the name or operator as written. */
  text: string;
  /** Where the token starts and its length in the source (string indices). */
  offset: number;
  length: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'];
const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const SEGMENT = /[A-Za-z0-9_-]+/y;
const NUMBER = /\d+(?:\.\d+)?(?![A-Za-z0-9_])/y;
const SPACE = /\s+/y;

export function tokenizeExpression(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const take = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    return match ? match[0] : undefined;
  };
  while (index < source.length) {
    const space = take(SPACE);
    if (space) {
      index += space.length;
      continue;
    }
    const afterDot = tokens.at(-1)?.kind === '.';
    const char = source[index]!;
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index));
    let token: Token;
    if (afterDot && take(SEGMENT)) token = at('segment', take(SEGMENT)!, index);
    else if (operator) token = at('operator', operator, index);
    else if (char === '(' || char === ')' || char === '.' || char === '-') token = at(char, char, index);
    else if (char === '"' || char === "'") token = readString(source, index);
    else if (take(NUMBER)) token = at('number', take(NUMBER)!, index);
    else if (take(NAME)) token = at('name', take(NAME)!, index);
    else if (char === '=') throw new ExpressionError('"=" is not an operator; write "==" to compare', source, index);
    else if (char === '!') throw new ExpressionError('"!" is not an operator; write "not" to negate, "!=" to compare', source, index);
    else if (char === '&' || char === '|') throw new ExpressionError(`"${char}" is not an operator; write "and" or "or"`, source, index);
    else
      throw new ExpressionError(`unexpected character ${JSON.stringify(String.fromCodePoint(source.codePointAt(index)!))}`, source, index);
    tokens.push(token);
    index = token.offset + token.length;
  }
  tokens.push(at('end', '', source.length));
  return tokens;
}

function at(kind: TokenKind, text: string, offset: number): Token {
  return { kind, text, offset, length: text.length };
}

/**
 * '…' or "…". `\\`, `\'` and `\"` are escapes; any other backslash stays as written, so a regular
 * expression reads naturally (`matches "^\d+$"`).
 */
function readString(source: string, start: number): Token {
  const quote = source[start]!;
  let text = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source[index]!;
    if (char === quote) return { kind: 'string', text, offset: start, length: index + 1 - start };
    if (char === '\\' && ['\\', "'", '"'].includes(source[index + 1] ?? '')) {
      text += source[index + 1];
      index += 2;
      continue;
    }
    text += char;
    index += 1;
  }
  throw new ExpressionError(`this string is never closed with ${quote}`, source, start);
}
