import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { looksInline, parseInlineChain } from './inline-chain.js';

function parseError(text: string): ConfigError {
  try {
    parseInlineChain(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parsed without error: ${text}`);
}

/** The column the caret line points at (0-based), after the two-space indent bin/llmo.js adds. */
function caretColumn(error: ConfigError): number {
  const [, caret] = error.hint!.split('\n');
  return caret!.indexOf('^') - 2;
}

describe('parseInlineChain', () => {
  it('reads steps, roles and models, naming steps after their roles', () => {
    const chain = parseInlineChain('summarize(gemini) -> critique(sonnet)');
    expect(chain.steps.map((step) => [step.name, step.branches[0]!.role, step.branches[0]!.model, step.prompt])).toEqual([
      ['summarize', 'summarize', 'gemini', undefined],
      ['critique', 'critique', 'sonnet', undefined],
    ]);
  });

  it('keeps model references with : / . @ - whole', () => {
    const chain = parseInlineChain('(openrouter:meta-llama/llama-3.1-8b@preset)->plan(openai:gpt-4.1-mini)');
    expect(chain.steps.map((step) => step.branches[0]!.model)).toEqual(['openrouter:meta-llama/llama-3.1-8b@preset', 'openai:gpt-4.1-mini']);
    expect(chain.steps[0]!.name).toBe('step1');
    expect(chain.steps[0]!.branches[0]!.role).toBeUndefined();
  });

  it('reads a parallel stage, options and quoted values', () => {
    const chain = parseInlineChain(
      'draft(sonnet, persona=poet, temperature=0.7, max_tokens=300, fallback=gpt-4o, fallback=gemini) -> opinions[critique(sonnet) | critique(openai:gpt-4o)] -> (gemini, name=merge, prompt="Merge:\\n{{steps.opinions.outputs}} \\"now\\"")',
    );
    const [draft, opinions, merge] = chain.steps;
    expect(draft!.branches[0]).toMatchObject({ model: 'sonnet', persona: 'poet', temperature: 0.7, maxTokens: 300, fallback: ['gpt-4o', 'gemini'] });
    expect(opinions).toMatchObject({ name: 'opinions', parallel: true });
    expect(opinions!.branches.map((branch) => [branch.role, branch.model])).toEqual([
      ['critique', 'sonnet'],
      ['critique', 'openai:gpt-4o'],
    ]);
    expect(merge).toMatchObject({ name: 'merge', prompt: 'Merge:\n{{steps.opinions.outputs}} "now"' });
  });

  it('names an unnamed parallel stage after its shared role, and repeats get a suffix', () => {
    const chain = parseInlineChain('critique(a) -> [critique(b) | critique(c)] -> [(d) | plan(e)]');
    expect(chain.steps.map((step) => step.name)).toEqual(['critique', 'critique-2', 'parallel']);
  });

  it.each([
    ['summarize(gemini) -> critique(sonnet', 'expected ")" to close the "(" at column 30', 36],
    ['summarize(gemini) critique(sonnet)', 'expected "->" between steps', 18],
    ['summarize(gemini) => critique(sonnet)', 'expected "->" between steps', 18],
    ['summarize(open ai)', 'a model reference has no spaces', 15],
    ['summarize()', 'expected a model reference inside "( )"', 10],
    ['summarize gemini', 'expected "(" after "summarize"', 10],
    ['(sonnet, colour=red)', 'unknown option "colour"', 9],
    ['(sonnet, temperature=hot)', 'temperature must be a number from 0 to 2', 21],
    ['[critique(a) | critique(b) -> (c)', 'expected "|" or "]" after a branch', 27],
    ['(a) | (b)', '"|" separates parallel branches', 4],
    ['(a) -> ', 'expected a step after "->"', 7],
    ['(sonnet, prompt="unclosed)', 'this quoted value is never closed', 16],
    ['(a, name=x) -> (b, name=x)', 'two steps are named "x"', 24],
  ])('points at the offending character of %j', (text, message, column) => {
    const error = parseError(text);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`column ${column + 1}`);
    expect(error.hint!.split('\n')[0]).toBe(text.trimEnd() === text ? text : text);
    expect(caretColumn(error)).toBe(column);
  });

  it('shows a window of a long chain around the spot', () => {
    const long = `${'(a) -> '.repeat(20)}(b`;
    const error = parseError(long);
    const [line, caret] = error.hint!.split('\n');
    expect(line!.length).toBeLessThanOrEqual(80);
    expect(line!.startsWith('…')).toBe(true);
    expect(line![caret!.indexOf('^') - 2 - 1]).toBe('b');
  });
});

describe('looksInline', () => {
  it('tells inline chains from names and paths', () => {
    expect(looksInline('summarize(gemini)')).toBe(true);
    expect(looksInline('[(a) | (b)]')).toBe(true);
    expect(looksInline('a->b')).toBe(true);
    expect(looksInline('review-code')).toBe(false);
    expect(looksInline('chains/review.yaml')).toBe(false);
  });
});
