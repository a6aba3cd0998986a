import { describe, expect, it } from 'vitest';
import { plannedCalls } from './chain-budget.js';
import { catalog, configChain, resolveRef } from './chain-test-catalog.test-support.js';
import { validateChain } from './validate-chain.js';

function callsOf(steps: string): string[] {
  const plan = validateChain(configChain(`chains:\n  c:\n    steps:\n${steps}`, 'c'), { catalog, resolveRef });
  return plannedCalls(plan, 'input').map((call) => `${call.provider}:${call.model}`);
}

describe('plannedCalls: the worst case of blocks', () => {
  it('counts a when as taken, with its judge', () => {
    expect(callsOf('      - model: a1\n        when: { judge: b1, question: "?" }\n')).toEqual(['beta:one', 'alpha:one']);
  });

  it("counts a repeat's steps and its judge at max_iterations", () => {
    const calls = callsOf(
      '      - name: r\n        repeat:\n          max_iterations: 3\n          until: { judge: b1, question: "?" }\n          steps: [ { model: a1 } ]\n',
    );
    expect(calls).toEqual(['alpha:one', 'beta:one', 'alpha:one', 'beta:one', 'alpha:one', 'beta:one']);
  });

  it('counts a switch at its dearest case', () => {
    const calls = callsOf(
      '      - name: s\n        switch:\n          on: "input"\n          cases:\n            small: [ { model: a1, max_tokens: 10 } ]\n            big: [ { model: a1, max_tokens: 5000 }, { model: a1, max_tokens: 5000 } ]\n',
    );
    expect(calls).toHaveLength(2);
  });
});
