import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { catalog, configChain, resolveRef } from './chain-test-catalog.test-support.js';
import { validateChain } from './validate-chain.js';

function plan(steps: string) {
  return validateChain(configChain(`chains:\n  c:\n    steps:\n${steps}`, 'c'), { catalog, resolveRef });
}

function refused(steps: string): ConfigError {
  try {
    plan(steps);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('validated without error');
}

const grade = '      - name: grade\n        model: a1\n        schema: "score int, comment"\n';

describe('conditions and blocks, checked before any call', () => {
  it('plans a when, a repeat and a switch with their inner steps, depth first', () => {
    const planned = plan(`${grade}      - name: fix
        when: "steps.grade.json.score < 7"
        model: a1
      - name: loop
        repeat:
          max_iterations: 3
          until: { judge: b1, question: "Done?" }
          steps:
            - { name: draft, model: a1, prompt: "{{loop.previous}} {{steps.review.output}}" }
            - { name: review, model: b1 }
      - name: route
        switch:
          on: "steps.review.output"
          cases:
            ok: [ { name: yes-path, model: a1 } ]
          default: [ { name: other, model: b1 } ]
`);
    expect(planned.steps.map((step) => step.name)).toEqual(['grade', 'fix', 'loop', 'route']);
    expect(planned.allSteps.map((step) => `${step.index}:${step.name}`)).toEqual([
      '0:grade',
      '1:fix',
      '2:loop',
      '3:draft',
      '4:review',
      '5:route',
      '6:yes-path',
      '7:other',
    ]);
    expect(planned.steps[1]!.when).toMatchObject({ kind: 'expression' });
    expect(planned.steps[2]!.block).toMatchObject({ kind: 'repeat', maxIterations: 3, until: { kind: 'judge', question: 'Done?' } });
  });

  it.each([
    [
      'an unknown step',
      '"steps.grde.json.score < 7"',
      'steps.grde.json.score names no step of this chain; did you mean grade?',
      '^^^^^^^^^^^^^^^^^^^^^',
    ],
    ['a field the schema lacks', '"steps.grade.json.scor < 7"', 'the schema of step "grade" has no field "scor"', '^^^^^^^^^^^^^^^^^^^^^'],
    ['loop outside a repeat', '"loop.iteration > 1"', 'loop.iteration is only valid inside a repeat: block', '^^^^^^^^^^^^^^'],
    ['item outside a foreach', '"item.x == 1"', 'item.x is only valid inside a foreach: block', '^^^^^^'],
    ['a later step', '"steps.after.output contains \'x\'"', 'refers to a later step (step 3)', '^^^^^^^^^^^^^^^^^^'],
    ['an invalid regex', '"steps.grade.output matches \'[\'"', 'invalid regular expression', '^^^'],
  ])('refuses %s in a when:, with a caret under it', (_case, expression, message, carets) => {
    const error = refused(
      `${grade}      - name: fix\n        when: ${expression}\n        model: a1\n      - name: after\n        model: a1\n`,
    );
    expect(error.message).toContain('chains.c.steps[1].when: chain "c", step "fix", when: expression, column');
    expect(error.message).toContain(message);
    expect(error.hint!.split('\n')[1]!.trim()).toBe(carets);
  });

  it('refuses a reference into a switch case from outside it', () => {
    const error = refused(`      - name: route
        switch:
          on: "input"
          cases:
            a: [ { name: inner, model: a1 } ]
      - name: after
        model: a1
        prompt: "{{steps.inner.output}}"
`);
    expect(error.message).toContain('inside a block that has not run here');
  });

  it('checks the shape of blocks at file:line', () => {
    expect(refused('      - name: loop\n        repeat:\n          steps: [ { model: a1 } ]\n').message).toContain(
      'a repeat needs max_iterations',
    );
    expect(refused('      - name: loop\n        repeat: { max_iterations: 0, steps: [ { model: a1 } ] }\n').message).toContain(
      'from 1 to 100',
    );
    expect(
      refused('      - name: loop\n        model: a1\n        repeat: { max_iterations: 2, steps: [ { model: a1 } ] }\n').message,
    ).toContain('put model: on its inner steps');
    expect(refused('      - model: a1\n        on_error: ignore\n').message).toContain('expected one of stop, skip, fallback');
    expect(refused('      - model: a1\n        on_error: fallback\n').message).toContain('on_error: fallback needs fallback: models');
    expect(
      refused(
        '      - name: r\n        switch:\n          on: { judge: a1, question: "?", answers: [x, y] }\n          cases: { z: [ { model: a1 } ] }\n',
      ).message,
    ).toContain('the judge never answers "z"');
  });

  it('refuses a judge whose model is unknown, at the judge field', () => {
    const error = refused('      - name: fix\n        when: { judge: zz9, question: "Code?" }\n        model: a1\n');
    expect(error.message).toContain('chains.c.steps[0].when.judge: chain "c", step "fix": unknown model or alias "zz9"');
  });
});
