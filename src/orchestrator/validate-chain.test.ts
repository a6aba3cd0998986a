import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { catalog, configChain, resolveRef } from './chain-test-catalog.test-support.js';
import { parseInlineChain } from './inline-chain.js';
import { validateChain } from './validate-chain.js';

function chainWith(steps: string) {
  return configChain(`chains:\n  research:\n    steps:\n${steps}`, 'research');
}

function validationError(steps: string, vars: Record<string, string> = {}): ConfigError {
  try {
    validateChain(chainWith(steps), { catalog, resolveRef, vars });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('validated without error');
}

const step = (name: string, extra = '') => `      - name: ${name}\n        model: a1\n${extra}`;

describe('validateChain', () => {
  it('resolves models and fallbacks, composes system prompts and notes that the input is read', () => {
    const plan = validateChain(
      chainWith(
        `${step('first', '        role: critique\n        persona: poet\n        fallback: [b1]\n')}${step('second', '        prompt: "{{steps.first.output}} {{vars.tone}}"\n')}`,
      ),
      { catalog, resolveRef, vars: { tone: 'dry' } },
    );
    expect(plan.readsInput).toBe(true);
    expect(plan.steps[0]!.branches[0]!.models.map((model) => `${model.provider.name}:${model.modelId}`)).toEqual(['alpha:one', 'beta:one']);
    expect(plan.steps[0]!.branches[0]!.system).toBe('You are a poet.\n\nYou criticise.');
    expect(plan.vars).toEqual({ tone: 'dry' });
  });

  it('--var overrides the chain default', () => {
    const chain = configChain(
      `chains:\n  c:\n    vars: { tone: dry }\n    steps:\n      - model: a1\n        prompt: "{{vars.tone}}"\n`,
      'c',
    );
    expect(validateChain(chain, { catalog, resolveRef, vars: { tone: 'warm' } }).vars).toEqual({ tone: 'warm' });
  });

  it.each([
    [
      'an unknown model',
      step('first').replace('a1', 'a2'),
      'chains.research.steps[0].model: chain "research", step "first": unknown model or alias "a2"; did you mean a1',
      5,
    ],
    [
      'an unknown fallback model',
      step('first', '        fallback: [b1, zz9]\n'),
      'chains.research.steps[0].fallback[1]: chain "research", step "first": unknown model or alias "zz9"',
      6,
    ],
    [
      'an unknown role',
      step('first', '        role: critiqe\n'),
      'chains.research.steps[0].role: chain "research", step "first": unknown role "critiqe"; did you mean critique?',
      6,
    ],
    [
      'an unknown persona',
      step('first', '        persona: poett\n'),
      'chains.research.steps[0].persona: chain "research", step "first": unknown persona "poett"; did you mean poet?',
      6,
    ],
    [
      'an unknown variable',
      step('first', '        prompt: "{{inputs}}"\n'),
      'chains.research.steps[0].prompt: chain "research", step "first": unknown variable {{inputs}}',
      6,
    ],
    [
      'a var without a value',
      step('first', '        prompt: "{{vars.tone}}"\n'),
      'chains.research.steps[0].prompt: chain "research", step "first": {{vars.tone}} has no value',
      6,
    ],
    [
      'an unknown step',
      `${step('first')}${step('second', '        prompt: "{{steps.frist.output}}"\n')}`,
      'chains.research.steps[1].prompt: chain "research", step "second": {{steps.frist.output}} names no step of this chain; did you mean first?',
      8,
    ],
    ['a reference to the same step', step('first', '        prompt: "{{steps.first.output}}"\n'), "refers to this step's own output", 6],
    [
      'a reference to a later step',
      `${step('first', '        prompt: "{{steps.second.output}}"\n')}${step('second')}`,
      '{{steps.second.output}} refers to a later step (step 2); steps run in order',
      6,
    ],
    [
      'two steps with one name',
      `${step('first')}${step('first')}`,
      'chains.research.steps[1].name: chain "research", step "first": another step (number 1) has the same name',
      6,
    ],
  ])('rejects %s, naming chain, step and field at file:line', (_case, steps, message, line) => {
    const error = validationError(steps);
    expect(error.message).toContain(message);
    expect(error.message.startsWith(`/home/me/.config/llmo/config.yaml:${line}: `)).toBe(true);
    expect(error.exitCode).toBe(3);
  });

  it('reports a mistake in a parallel branch at the branch', () => {
    const error = validationError(`      - name: opinions\n        parallel:\n          - b1\n          - { model: g1, role: critic }\n`);
    expect(error.message).toContain('chains.research.steps[0].parallel[1].role: chain "research", step "opinions": unknown role "critic"');
  });

  it('points at the model inside an inline chain', () => {
    try {
      validateChain(parseInlineChain('summarize(g1) -> critique(b2)'), { catalog, resolveRef });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).message).toMatch(
        /^inline chain, column 27: step "critique": unknown model or alias "b2"; did you mean b1/,
      );
      expect((error as ConfigError).hint!.startsWith('summarize(g1) -> critique(b2)\n                            ^^\n')).toBe(true);
    }
  });

  it.each([
    ['an unknown variable', '(g1, prompt="日本語 \\"q\\" {{bogus}}")', 'column 24: step "step1": unknown variable {{bogus}}', '{{bogus}}'],
    [
      'a later step',
      '(g1, prompt="a\\n{{input}} {{steps.b.output}}") -> (b1, name=b)',
      'column 27: step "step1": {{steps.b.output}} refers to a later step',
      '{{steps.b.output}}',
    ],
    ['an unclosed {{', '(g1, prompt="x {{input")', 'column 16: step "step1": "{{" is never closed', '{{'],
  ])('points at the {{…}} inside an inline prompt for %s, past escapes and wide characters', (_case, text, message, marked) => {
    try {
      validateChain(parseInlineChain(text), { catalog, resolveRef });
      expect.unreachable();
    } catch (error) {
      const [line, caret] = (error as ConfigError).hint!.split('\n');
      expect((error as ConfigError).message).toContain(message);
      const start = caret!.indexOf('^') - 2;
      // Carets under exactly the variable, counted in screen columns (日本語 takes six).
      const screen = [...line!].flatMap((character) => (/[\u3040-\u9fff]/.test(character) ? [character, ''] : [character]));
      expect(screen.slice(start, start + caret!.trim().length).join('')).toBe(marked);
    }
  });

  it('can skip the vars check (chain show)', () => {
    expect(() =>
      validateChain(chainWith(step('first', '        prompt: "{{vars.tone}}"\n')), { catalog, resolveRef, checkVars: false }),
    ).not.toThrow();
  });
});

describe('validateChain with schemas', () => {
  it('loads a step schema and accepts {{steps.NAME.json.FIELD}} naming one of its fields', () => {
    const plan = validateChain(
      chainWith(
        `${step('extract', '        schema: "title, tags [str]"\n')}${step('use', '        prompt: "{{steps.extract.json.title}} {{steps.extract.json.tags.0}}"\n')}`,
      ),
      { catalog, resolveRef },
    );
    expect(plan.steps[0]!.schema?.schema.required).toEqual(['title', 'tags']);
    expect(plan.steps[1]!.schema).toBeUndefined();
  });

  it('catches a field the schema does not have, and a step without a schema', () => {
    expect(
      validationError(
        `${step('extract', '        schema: "title, year int"\n')}${step('use', '        prompt: "{{steps.extract.json.titel}}"\n')}`,
      ).message,
    ).toMatch(/\{\{steps\.extract\.json\.titel\}\}: the schema of step "extract" has no field "titel"; did you mean title\?/);
    expect(validationError(`${step('extract')}${step('use', '        prompt: "{{steps.extract.json.title}}"\n')}`).message).toMatch(
      /reads JSON, but step "extract" has no schema:/,
    );
  });

  it('reports a step schema that cannot be read at the step', () => {
    expect(validationError(step('extract', '        schema: "title, year integer"\n')).message).toMatch(
      /config\.yaml:\d+: chains\.research\.steps\[0\]\.schema: .*unknown type "integer"/,
    );
  });
});
