import { describe, expect, it } from 'vitest';
import { configChain } from './chain-test-catalog.test-support.js';
import { countVotes, normaliseAnswer, type GoodBranch } from './merge-branches.js';

const branches = (...texts: string[]): GoodBranch[] => texts.map((text, index) => ({ index, label: `m${index}`, text }));

describe('vote', () => {
  it('counts answers alike once trimmed, collapsed, case folded and without trailing punctuation', () => {
    expect(normaliseAnswer('  Yes, it IS.\n')).toBe('yes, it is');
    expect(normaliseAnswer('No!?')).toBe('no');
    const { winner, votes, agreement } = countVotes(branches('No', 'yes.', 'YES', 'maybe'));
    expect(winner.index).toBe(1);
    expect(votes).toEqual({ no: 1, yes: 2, maybe: 1 });
    expect(agreement).toBe(0.5);
  });

  it('gives a tie to the earliest branch', () => {
    expect(countVotes(branches('red', 'blue', 'blue', 'red')).winner.index).toBe(0);
    expect(countVotes(branches('a', 'b', 'c')).winner.index).toBe(0);
  });

  it('counts any word, constructor and toString included', () => {
    const { votes, winner } = countVotes(branches('constructor', 'toString', 'toString'));
    expect(votes.tostring).toBe(2);
    expect(votes.constructor).toBe(1);
    expect(winner.index).toBe(1);
  });
});

describe('merge: in YAML', () => {
  const stage = (fields: string) => `chains:\n  c:\n    steps:\n      - name: s\n        parallel: [a1, b1]\n${fields}`;

  it('reads the strategy, the judge model and its prompt', () => {
    const chain = configChain(stage('        merge: judge\n        merge_model: g1\n        merge_prompt: Pick one.\n'), 'c');
    expect(chain.steps[0]!.merge).toMatchObject({ strategy: 'judge', model: 'g1', prompt: 'Pick one.' });
  });

  it.each([
    ['        merge: best\n', /expected one of concat, judge, vote, first_valid/],
    ['        merge: judge\n', /merge: judge needs merge_model/],
    ['        merge: vote\n        merge_model: g1\n', /merge_model.*is only used by merge: judge, and this stage merges by vote/],
  ])('refuses %j', (fields, message) => {
    expect(() => configChain(stage(fields), 'c')).toThrow(message);
  });

  it('refuses merge: on a step that is not a parallel stage', () => {
    expect(() => configChain('chains:\n  c:\n    steps:\n      - { name: s, model: a1, merge: vote }\n', 'c')).toThrow(
      /merges the branches of a parallel stage, and this step has none/,
    );
  });
});

describe('foreach: in YAML', () => {
  const block = (fields: string) =>
    `chains:\n  c:\n    steps:\n      - name: each\n        foreach:\n${fields}          steps: [ { name: one, model: a1 } ]\n`;

  it('reads its source, sizes and steps', () => {
    const chain = configChain(
      block('          chunks: input\n          chunk_tokens: 500\n          concurrency: 2\n          max_items: 9\n'),
      'c',
    );
    expect(chain.steps[0]!.block).toMatchObject({
      kind: 'foreach',
      source: { kind: 'chunks', expression: 'input' },
      chunkTokens: 500,
      concurrency: 2,
      maxItems: 9,
      steps: [{ name: 'one' }],
    });
  });

  it.each([
    ['', /a foreach needs items:, lines: or chunks:/],
    ['          items: input\n          lines: input\n', /a foreach reads one source; it already has items:/],
    ['          lines: input\n          chunk_tokens: 10\n', /sizes chunks:, and this foreach reads lines:/],
    ['          items: input\n          concurrency: 0\n', /must be a whole number from 1 to 1,000/],
    ['          items: input\n          every: 2\n', /unknown field; expected one of items, lines, chunks/],
  ])('refuses %j', (fields, message) => {
    expect(() => configChain(block(fields), 'c')).toThrow(message);
  });
});
