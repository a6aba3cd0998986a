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
import { describePosition } from './caret.js';
import {
  STEP_NAME,
  type BranchSettings,
  type ChainDefinition,
  type ChainOrigin,
  type ChainStep,
  type FieldPath,
} from './chain-definition.js';
import { inlineOrigin } from './inline-chain-origin.js';
import { InlineScanner, quoted } from './inline-chain-scanner.js';

const OPTION_KEYS = ['name', 'persona', 'system', 'prompt', 'schema', 'temperature', 'max_tokens', 'fallback'] as const;
type OptionKey = (typeof OPTION_KEYS)[number];

/** Does this argument look like an inline chain rather than a chain name or a file? */
export function looksInline(argument: string): boolean {
  return argument.includes('(') || argument.includes('[') || argument.includes('->');
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

class InlineParser extends InlineScanner {
  private readonly spans = new Map<string, readonly [number, number]>();
  private readonly valueOffsets = new Map<string, readonly number[]>();
  private readonly origin: ChainOrigin;

  constructor(text: string) {
    super(text);
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
}
