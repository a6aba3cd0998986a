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
    expect(chain.steps.map((step) => step.branches[0]!.model)).toEqual([
      'openrouter:meta-llama/llama-3.1-8b@preset',
      'openai:gpt-4.1-mini',
    ]);
    expect(chain.steps[0]!.name).toBe('step1');
    expect(chain.steps[0]!.branches[0]!.role).toBeUndefined();
  });

  it('reads a parallel stage, options and quoted values', () => {
    const chain = parseInlineChain(
      'draft(sonnet, persona=poet, temperature=0.7, max_tokens=300, fallback=gpt-4o, fallback=gemini) -> opinions[critique(sonnet) | critique(openai:gpt-4o)] -> (gemini, name=merge, prompt="Merge:\\n{{steps.opinions.outputs}} \\"now\\"")',
    );
    const [draft, opinions, merge] = chain.steps;
    expect(draft!.branches[0]).toMatchObject({
      model: 'sonnet',
      persona: 'poet',
      temperature: 0.7,
      maxTokens: 300,
      fallback: ['gpt-4o', 'gemini'],
    });
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

describe('parse errors after wide characters and on several lines', () => {
  /** The caret's column on screen: CJK and emoji take two columns. */
  const caretScreenColumn = (error: ConfigError) => error.hint!.split('\n')[1]!.indexOf('^') - 2;

  it('counts characters in the column and places the caret by display width', () => {
    const cjk = parseError('summarize(gemini, prompt="日本語") -> crit(sonnet');
    // 46 characters: the missing ")" is character 47; on screen it is 3 columns further right.
    expect(cjk.message).toContain('column 47: expected ")" to close the "(" at column 40');
    expect(caretScreenColumn(cjk)).toBe(49);

    const emoji = parseError('summarize(gemini, prompt="😀😀") -> crit(sonnet');
    // An emoji is one character (two string indices, two columns).
    expect(emoji.message).toContain('column 46: expected ")" to close the "(" at column 39');
    expect(caretScreenColumn(emoji)).toBe(47);
  });

  it('marks a whole wide character, and names it whole', () => {
    const error = parseError('(gemini) -> 😀(sonnet)');
    expect(error.message).toContain('found "😀"');
    expect(error.hint!.split('\n')[1]).toBe(`  ${' '.repeat(12)}^^`);
  });

  it('says line and column in a chain written over several lines', () => {
    const error = parseError('summarize(gemini)\n  -> critique(sonnet');
    expect(error.message).toContain('line 2, column 21: expected ")" to close the "(" at line 2, column 14');
    expect(error.hint!.split('\n')[0]).toBe('  -> critique(sonnet');
    expect(caretScreenColumn(error)).toBe(20);
  });

  it('says a role is ASCII when it meets a letter that is not', () => {
    expect(parseError('résumé(gemini)').message).toContain('column 2: a role is a word of ASCII letters, digits, - and _; found "é"');
  });

  it('says what the value before an unexpected character was', () => {
    expect(parseError('(gemini, persona=tech writer)').message).toContain(
      'expected "," or ")" after the persona value, found "w" (quote a value that has spaces',
    );
    expect(parseError('(gemini, prompt=a"b)').message).toContain(`after the prompt value, found '"'`);
  });
});

describe('quoted values', () => {
  it('unescapes \\" \\\\ and \\n only, keeping any other backslash (so \\{{ stays a literal "{{")', () => {
    const chain = parseInlineChain('(a, prompt="say \\"hi\\" \\\\ \\n \\{{x}} \\t")');
    expect(chain.steps[0]!.prompt).toBe('say "hi" \\ \n \\{{x}} \\t');
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

describe('schema= in an inline chain', () => {
  it('gives a single step its schema, and is refused on a parallel branch', () => {
    const chain = parseInlineChain('extract(a1, schema="title, year int") -> (b1, prompt="{{steps.extract.json.title}}")');
    expect(chain.steps[0]!.schema).toEqual({ value: 'title, year int', at: ['steps', 0, 'schema'] });
    expect(() => parseInlineChain('[(a1, schema="title") | (b1)]')).toThrow(/schema= is for single steps/);
  });
});
