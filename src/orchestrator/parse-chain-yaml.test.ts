import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseYaml } from '../config/yaml-file.js';
import { configChain } from './chain-test-catalog.test-support.js';
import { parseYamlChain } from './parse-chain-yaml.js';

describe('parseYamlChain', () => {
  it('reads steps, parallel stages with stage defaults, fallbacks, vars and budget', () => {
    const chain = configChain(
      `chains:
  research:
    description: Analyse, then summarise
    budget_usd: 0.5
    vars: { tone: dry }
    steps:
      - name: analyze
        model: a1
        role: critique
        persona: poet
        max_tokens: 200
        temperature: 0.2
        fallback: [b1, g1]
        prompt: "Analyse {{input}}"
      - name: opinions
        role: critique
        parallel: [ b1, { model: g1, role: summarize } ]
      - model: a1
        fallback: b1
`,
      'research',
    );
    expect(chain).toMatchObject({ name: 'research', description: 'Analyse, then summarise', budgetUsd: 0.5, vars: { tone: 'dry' } });
    expect(chain.steps[0]).toMatchObject({ name: 'analyze', parallel: false, prompt: 'Analyse {{input}}' });
    expect(chain.steps[0]!.branches[0]).toMatchObject({
      model: 'a1',
      role: 'critique',
      persona: 'poet',
      maxTokens: 200,
      temperature: 0.2,
      fallback: ['b1', 'g1'],
    });
    expect(chain.steps[1]!.branches.map((branch) => [branch.model, branch.role])).toEqual([
      ['b1', 'critique'],
      ['g1', 'summarize'],
    ]);
    expect(chain.steps[2]).toMatchObject({ name: 'step3', prompt: undefined });
    expect(chain.steps[2]!.branches[0]!.fallback).toEqual(['b1']);
  });

  it.each([
    ['steps: []', 'chains.bad.steps: a chain needs a list of steps', 3],
    ['steps:\n      - name: x\n        prompt: hi', 'step "x" needs a model', 4],
    ['steps:\n      - name: x\n        model: a1\n        parallel: [b1]', 'chains.bad.steps[0].model: step "x" is a parallel stage', 5],
    ['steps:\n      - name: x\n        model: a1\n        temprature: 1', 'chains.bad.steps[0].temprature: unknown field', 6],
    ['steps:\n      - name: 2nd\n        model: a1', 'chains.bad.steps[0].name: a step name starts with a letter', 4],
    [
      'steps:\n      - name: x\n        model: a1\n        max_tokens: -3',
      'chains.bad.steps[0].max_tokens: must be a positive whole number',
      6,
    ],
    ['budget_usd: lots\n    steps:\n      - model: a1', 'chains.bad.budget_usd: must be a non-negative number', 3],
  ])('reports a shape mistake at its file:line (%#)', (body, message, line) => {
    try {
      configChain(`chains:\n  bad:\n    ${body}\n`, 'bad');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toMatch(new RegExp(`^/home/me/\\.config/llmo/config\\.yaml:${line}: `));
    }
  });

  it('says a chain file that is not a mapping is one, without an empty field name', () => {
    const source = parseYaml('/tmp/list.yaml', '- a\n- b\n');
    expect(() => parseYamlChain({ name: 'list', definition: source.value, source, base: [], kind: 'file' })).toThrow(
      /^\/tmp\/list\.yaml:1: a chain is a mapping with description and steps$/,
    );
  });
});
