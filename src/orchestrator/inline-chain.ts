/**
 * The inline chain form, for quick use from the shell (grammar in docs/chains.md):
 *
 *   chain   := stage ( "->" stage )*
 *   stage   := step | NAME? "[" step ( "|" step )* "]"
 *   step    := ROLE? "(" MODEL ( "," KEY "=" VALUE )* ")"
 *
 * e.g. `summarize(gemini) -> [critique(sonnet) | critique(openrouter:meta-llama/llama-3.1-8b@preset)] -> (sonnet, prompt="Merge: {{previous}}")`.
 * A model reference ends only at `,` `)` or whitespace, so `:` `/` `.` `@` in it need no quoting.
 * Every mistake is a ConfigError whose hint shows the text with a caret under the spot.
 */
import { ConfigError } from '../errors.js';
import { caretLines, describePosition } from './caret.js';
import {
  STEP_NAME,
  type BranchSettings,
  type ChainDefinition,
  type ChainOrigin,
  type ChainStep,
  type FieldPath,
} from './chain-definition.js';

const OPTION_KEYS = ['name', 'persona', 'system', 'prompt', 'schema', 'temperature', 'max_tokens', 'fallback'] as const;
type OptionKey = (typeof OPTION_KEYS)[number];

/** Characters that end a model reference or a bare option value. */
const DELIMITERS = new Set([',', '(', ')', '[', ']', '|', '"', '=']);

/** Does this argument look like an inline chain rather than a chain name or a file? */
export function looksInline(argument: string): boolean {
  return argument.includes('(') || argument.includes('[') || argument.includes('->');
}

/**
 * Where each quoted value's characters were written: `offsets[i]` is the index in the chain's
 * text of the value's i-th character (escapes make the two differ), so a mistake found inside a
 * value (a template's `{{…}}`) can be pointed at exactly.
 */
export type ValueOffsets = ReadonlyMap<string, readonly number[]>;

export function inlineOrigin(
  text: string,
  spans: ReadonlyMap<string, readonly [number, number]>,
  valueOffsets: ValueOffsets = new Map(),
): ChainOrigin {
  return {
    kind: 'inline',
    where: text,
    error(fieldPath, message, hint, within) {
      let span = spanFor(spans, fieldPath);
      const offsets = valueOffsets.get(JSON.stringify(fieldPath));
      if (span && offsets && within) {
        const from = offsets[within.offset];
        const last = offsets[Math.min(within.offset + within.length, offsets.length) - 1];
        if (from !== undefined && last !== undefined) span = [from, last + 1];
      }
      const column = span ? `, ${describePosition(text, span[0])}` : '';
      return new ConfigError(`inline chain${column}: ${message}`, {
        hint: span ? caretLines(text, span[0], span[1]) + (hint ? `\n  ${hint}` : '') : (hint ?? text),
      });
    },
  };
}

/** The span of a field, or of the nearest enclosing part that has one. */
function spanFor(spans: ReadonlyMap<string, readonly [number, number]>, fieldPath: FieldPath): readonly [number, number] | undefined {
  for (let length = fieldPath.length; length >= 0; length -= 1) {
    const span = spans.get(JSON.stringify(fieldPath.slice(0, length)));
    if (span) return span;
  }
  return undefined;
}

export function parseInlineChain(text: string): ChainDefinition {
  return new InlineParser(text).parse();
}

interface NamedStep {
  step: ChainStep;
  /** Named with name= (or NAME[…]) rather than after its role. */
  explicit: boolean;
}

interface ParsedCall {
  branch: BranchSettings;
  name: string | undefined;
  prompt: string | undefined;
  /** `schema=`: the concise form, a file, a configured name or inline JSON (single steps only). */
  schema: string | undefined;
  role: string | undefined;
}

class InlineParser {
  private position = 0;
  private readonly spans = new Map<string, readonly [number, number]>();
  private readonly valueOffsets = new Map<string, readonly number[]>();
  /** Where the characters of the value read last were written (see ValueOffsets). */
  private lastValueOffsets: number[] = [];
  private readonly origin: ChainOrigin;

  constructor(private readonly text: string) {
    this.origin = inlineOrigin(text, this.spans, this.valueOffsets);
  }

  parse(): ChainDefinition {
    const steps: NamedStep[] = [];
    this.skipSpace();
    if (this.atEnd()) throw this.fail('the chain is empty; write steps like summarize(gemini) -> critique(sonnet)');
    for (;;) {
      steps.push(this.parseStage(steps.length));
      this.skipSpace();
      if (this.atEnd()) break;
      if (this.text.startsWith('->', this.position)) {
        this.position += 2;
        this.skipSpace();
        if (this.atEnd()) throw this.fail('expected a step after "->"');
        continue;
      }
      const found = this.current();
      if (found === '|') throw this.fail('"|" separates parallel branches, which go inside [ … ]');
      throw this.fail(`expected "->" between steps, found ${quoted(found)}`);
    }
    return { name: 'inline', description: undefined, budgetUsd: undefined, vars: {}, steps: this.nameSteps(steps), origin: this.origin };
  }

  private parseStage(index: number): NamedStep {
    const start = this.position;
    const word = this.readName();
    this.skipSpace();
    const at: FieldPath = ['steps', index];
    if (this.peek() === '[') {
      const open = this.position;
      this.position += 1;
      const branches: ParsedCall[] = [];
      for (;;) {
        this.skipSpace();
        const branchIndex = branches.length;
        const call = this.parseCall([...at, 'parallel', branchIndex]);
        if (call.name !== undefined)
          throw this.fail(
            `name a parallel stage before its "[" (NAME[…]), not in a branch`,
            this.spans.get(JSON.stringify([...at, 'parallel', branchIndex, 'name'])),
          );
        if (call.prompt !== undefined)
          throw this.fail(
            'a parallel stage sends {{previous}} to every branch; prompt= is for single steps',
            this.spans.get(JSON.stringify([...at, 'parallel', branchIndex, 'prompt'])),
          );
        if (call.schema !== undefined)
          throw this.fail(
            'schema= is for single steps; give a parallel stage its schema in a YAML chain',
            this.spans.get(JSON.stringify([...at, 'parallel', branchIndex, 'schema'])),
          );
        branches.push(call);
        this.skipSpace();
        if (this.peek() === '|') {
          this.position += 1;
          continue;
        }
        if (this.peek() === ']') {
          this.position += 1;
          break;
        }
        if (this.atEnd()) throw this.fail(`expected "]" to close the "[" at ${describePosition(this.text, open)}`);
        throw this.fail(`expected "|" or "]" after a branch, found ${quoted(this.current())}`);
      }
      this.spans.set(JSON.stringify(at), [start, this.position]);
      const roles = new Set(branches.map((call) => call.role));
      if (word) this.spans.set(JSON.stringify([...at, 'name']), [start, start + word.length]);
      const name = word || (roles.size === 1 ? [...roles][0] : undefined) || 'parallel';
      return {
        step: { name, prompt: undefined, parallel: true, branches: branches.map((call) => call.branch), at },
        explicit: word !== '',
      };
    }
    this.position = start;
    const call = this.parseCall(at);
    this.spans.set(JSON.stringify(at), [start, this.position]);
    return {
      step: {
        name: call.name ?? call.role ?? 'step',
        prompt: call.prompt,
        parallel: false,
        branches: [call.branch],
        ...(call.schema === undefined ? {} : { schema: { value: call.schema, at: [...at, 'schema'] } }),
        at,
      },
      explicit: call.name !== undefined,
    };
  }

  /** Steps named after their role repeat (critique, critique-2); explicit names must be unique. */
  private nameSteps(steps: readonly NamedStep[]): ChainStep[] {
    const taken = new Set<string>();
    for (const { step, explicit } of steps) {
      if (!explicit) continue;
      if (taken.has(step.name))
        throw this.origin.error([...step.at, 'name'], `two steps are named "${step.name}"; step names must be unique`);
      taken.add(step.name);
    }
    return steps.map(({ step, explicit }, index) => {
      if (explicit) return step;
      const base = step.name === 'step' ? `step${index + 1}` : step.name;
      let name = base;
      for (let suffix = 2; taken.has(name); suffix += 1) name = `${base}-${suffix}`;
      taken.add(name);
      return { ...step, name };
    });
  }

  /** `ROLE? "(" MODEL ("," KEY=VALUE)* ")"` */
  private parseCall(at: FieldPath): ParsedCall {
    const roleStart = this.position;
    const role = this.readName() || undefined;
    const roleEnd = this.position;
    this.skipSpace();
    if (this.peek() !== '(') {
      if (this.atEnd()) throw this.fail(role ? `expected "(" and a model after "${role}"` : 'expected a step: ROLE(MODEL) or (MODEL)');
      const found = this.current()!;
      const nonAsciiLetter = /[^\x00-\x7f]/.test(found) && /[\p{L}\p{N}]/u.test(found);
      if (this.position === roleEnd && nonAsciiLetter)
        throw this.fail(`a role is a word of ASCII letters, digits, - and _; found ${quoted(found)}`);
      if (role) throw this.fail(`expected "(" after "${role}", found ${quoted(found)}`);
      throw this.fail(`expected a step, ROLE(MODEL) or (MODEL), found ${quoted(found)}`);
    }
    const open = this.position;
    this.position += 1;
    this.skipSpace();
    const modelStart = this.position;
    const model = this.readWord();
    if (model === '') {
      throw this.fail(
        this.peek() === ')' ? 'expected a model reference inside "( )"' : `expected a model reference, found ${quoted(this.current())}`,
      );
    }
    const branch: BranchSettings = { model, fallback: [], at: { model: [...at, 'model'] } };
    this.spans.set(JSON.stringify([...at, 'model']), [modelStart, this.position]);
    if (role) {
      branch.role = role;
      branch.at.role = [...at, 'role'];
      this.spans.set(JSON.stringify([...at, 'role']), [roleStart, roleEnd]);
    }
    const call: ParsedCall = { branch, name: undefined, prompt: undefined, schema: undefined, role };
    let after = 'the model';
    for (;;) {
      const gap = this.position;
      this.skipSpace();
      const next = this.peek();
      if (next === ')') {
        this.position += 1;
        return call;
      }
      if (next === ',') {
        this.position += 1;
        this.skipSpace();
        after = `the ${this.parseOption(call, at)} value`;
        continue;
      }
      if (next === undefined) throw this.fail(`expected ")" to close the "(" at ${describePosition(this.text, open)}`);
      const why =
        this.position > gap ? (after === 'the model' ? ' (a model reference has no spaces)' : ' (quote a value that has spaces: "…")') : '';
      throw this.fail(`expected "," or ")" after ${after}, found ${quoted(this.current())}${why}`);
    }
  }

  /** `KEY=VALUE`; returns the key. */
  private parseOption(call: ParsedCall, at: FieldPath): OptionKey {
    const keyStart = this.position;
    const key = this.readName();
    if (!key) throw this.fail(`expected an option (${OPTION_KEYS.join(', ')}), found ${quoted(this.current())}`);
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw this.fail(`unknown option "${key}"; options are ${OPTION_KEYS.join(', ')}`, [keyStart, this.position]);
    }
    this.skipSpace();
    if (this.peek() !== '=') throw this.fail(`expected "=" after "${key}"`);
    this.position += 1;
    this.skipSpace();
    const valueStart = this.position;
    const value = this.readValue();
    const span = [valueStart, this.position] as const;
    const { branch } = call;
    const option = key as OptionKey;
    switch (option) {
      case 'name':
        if (!STEP_NAME.test(value)) throw this.fail('a step name starts with a letter and holds only letters, digits, - and _', span);
        call.name = value;
        this.spans.set(JSON.stringify([...at, 'name']), span);
        break;
      case 'prompt':
        call.prompt = value;
        this.spans.set(JSON.stringify([...at, 'prompt']), span);
        this.valueOffsets.set(JSON.stringify([...at, 'prompt']), this.lastValueOffsets);
        break;
      case 'schema':
        call.schema = value;
        this.spans.set(JSON.stringify([...at, 'schema']), span);
        break;
      case 'persona':
      case 'system':
        branch[option] = value;
        branch.at[option] = [...at, option];
        this.spans.set(JSON.stringify([...at, option]), span);
        break;
      case 'temperature': {
        const number = Number(value);
        if (value === '' || !Number.isFinite(number) || number < 0 || number > 2)
          throw this.fail('temperature must be a number from 0 to 2', span);
        branch.temperature = number;
        break;
      }
      case 'max_tokens': {
        const number = Number(value);
        if (!Number.isInteger(number) || number < 1) throw this.fail('max_tokens must be a positive whole number', span);
        branch.maxTokens = number;
        break;
      }
      case 'fallback': {
        const index = branch.fallback.length;
        branch.fallback.push(value);
        branch.at.fallback = [...at, 'fallback'];
        this.spans.set(JSON.stringify([...at, 'fallback', index]), span);
        break;
      }
    }
    return option;
  }

  private readName(): string {
    const match = /^[A-Za-z0-9_-]*/.exec(this.text.slice(this.position))![0];
    // "->" after a name is the arrow, not part of it.
    const name = match.endsWith('-') && this.text[this.position + match.length] === '>' ? match.slice(0, -1) : match;
    this.position += name.length;
    return name;
  }

  /** A model reference or bare value: everything up to whitespace or a delimiter. */
  private readWord(): string {
    const start = this.position;
    while (!this.atEnd() && !/\s/.test(this.text[this.position]!) && !DELIMITERS.has(this.text[this.position]!)) this.position += 1;
    return this.text.slice(start, this.position);
  }

  /**
   * A bare word, or text in double quotes where \" \\ and \n are escapes. Any other backslash
   * is kept as written, so a prompt's own `\{{` (a literal "{{") reaches the template intact.
   */
  private readValue(): string {
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

  private skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.position]!)) this.position += 1;
  }

  /** The whole character at the position (an emoji is two string indices). */
  private current(): string | undefined {
    const codePoint = this.text.codePointAt(this.position);
    return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
  }

  private peek(): string | undefined {
    return this.text[this.position];
  }

  private atEnd(): boolean {
    return this.position >= this.text.length;
  }

  private fail(message: string, span: readonly [number, number] = [this.position, this.position + 1]): ConfigError {
    return new ConfigError(`inline chain, ${describePosition(this.text, span[0])}: ${message}`, {
      hint: caretLines(this.text, span[0], span[1]),
    });
  }
}

/** A character as an error message shows it: `"x"`, `'"'`, or `the end`. */
function quoted(character: string | undefined): string {
  if (character === undefined) return 'the end';
  return character === '"' ? `'"'` : `"${character}"`;
}
