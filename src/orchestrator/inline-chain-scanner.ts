/**
 * The characters of an inline chain: names, model references, bare and quoted values, white
 * space, and a ConfigError with a caret under the spot. The grammar (inline-chain.ts) reads its
 * text through this.
 */
import { ConfigError } from '../errors.js';
import { caretLines, describePosition } from './caret.js';

/** Characters that end a model reference or a bare option value. */
const DELIMITERS = new Set([',', '(', ')', '[', ']', '|', '"', '=']);

export class InlineScanner {
  protected position = 0;
  /** Where the characters of the value read last were written (see ValueOffsets). */
  protected lastValueOffsets: number[] = [];

  constructor(protected readonly text: string) {}

  protected readName(): string {
    const match = /^[A-Za-z0-9_-]*/.exec(this.text.slice(this.position))![0];
    // "->" after a name is the arrow, not part of it.
    const name = match.endsWith('-') && this.text[this.position + match.length] === '>' ? match.slice(0, -1) : match;
    this.position += name.length;
    return name;
  }

  /** A model reference or bare value: everything up to whitespace or a delimiter. */
  protected readWord(): string {
    const start = this.position;
    while (!this.atEnd() && !/\s/.test(this.text[this.position]!) && !DELIMITERS.has(this.text[this.position]!)) this.position += 1;
    return this.text.slice(start, this.position);
  }

  /**
   * A bare word, or text in double quotes where \" \\ and \n are escapes. Any other backslash
   * is kept as written, so a prompt's own `\{{` (a literal "{{") reaches the template intact.
   */
  protected readValue(): string {
    const offsets: number[] = [];
    this.lastValueOffsets = offsets;
    if (this.peek() !== '"') {
      const start = this.position;
      const value = this.readWord();
      if (value === '') throw this.fail(`expected a value (a word, or text in "double quotes"), found ${quoted(this.current())}`);
      for (let index = start; index < this.position; index += 1) offsets.push(index);
      return value;
    }
    const open = this.position;
    this.position += 1;
    let value = '';
    while (!this.atEnd()) {
      const character = this.text[this.position]!;
      if (character === '"') {
        this.position += 1;
        return value;
      }
      const escaped = character === '\\' ? this.text[this.position + 1] : undefined;
      if (escaped === '"' || escaped === '\\' || escaped === 'n') {
        value += escaped === 'n' ? '\n' : escaped;
        offsets.push(this.position);
        this.position += 2;
        continue;
      }
      value += character;
      offsets.push(this.position);
      this.position += 1;
    }
    throw this.fail('this quoted value is never closed', [open, open + 1]);
  }

  protected skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.position]!)) this.position += 1;
  }

  /** The whole character at the position (an emoji is two string indices). */
  protected current(): string | undefined {
    const codePoint = this.text.codePointAt(this.position);
    return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
  }

  protected peek(): string | undefined {
    return this.text[this.position];
  }

  protected atEnd(): boolean {
    return this.position >= this.text.length;
  }

  protected fail(message: string, span: readonly [number, number] = [this.position, this.position + 1]): ConfigError {
    return new ConfigError(`inline chain, ${describePosition(this.text, span[0])}: ${message}`, {
      hint: caretLines(this.text, span[0], span[1]),
    });
  }
}

/** A character as an error message shows it: `"x"`, `'"'`, or `the end`. */
export function quoted(character: string | undefined): string {
  if (character === undefined) return 'the end';
  return character === '"' ? `'"'` : `"${character}"`;
}
