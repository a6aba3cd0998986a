import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../config/catalog.js';
import { estimateComplexity } from './estimate-complexity.js';
import { type RouteCandidate, type RouteInput, rankModels } from './rank-models.js';

function candidate(ref: string, info: Partial<ModelInfo>, extra: Partial<RouteCandidate> = {}): RouteCandidate {
  return {
    ref,
    info: { name: ref.split(':')[1]!, aliases: [], contextWindow: 100_000, ...info },
    capabilities: new Set(['tools', 'json_schema']),
    usable: true,
    measured: undefined,
    ...extra,
  };
}

// The three models of the README's example: cheap and weak, mid-priced and quick, dear and good.
const cheap = candidate('lab:cheap', { tier: 'efficient', quality: 5, latencyMs: 900, pricing: { input: 0.1, output: 0.4 } });
const fast = candidate('lab:fast', { tier: 'standard', quality: 6, latencyMs: 100, pricing: { input: 1, output: 4 } });
const best = candidate('lab:best', { tier: 'premium', quality: 9, latencyMs: 1200, pricing: { input: 5, output: 25 } });

const simple = estimateComplexity('Say hello', 3);
const input = (overrides: Partial<RouteInput> = {}): RouteInput => ({
  mode: 'balanced',
  candidates: [cheap, fast, best],
  needs: { tools: false, vision: false, pdf: false, schema: false, maxTokens: 4096 },
  complexity: simple,
  budget: { share: undefined, description: 'no budgets' },
  rules: [],
  ...overrides,
});
const winner = (overrides: Partial<RouteInput>) => rankModels(input(overrides)).winner?.candidate.ref;

describe('rankModels', () => {
  it('picks the cheapest for cheap, the best for best and the quickest for fast', () => {
    expect(winner({ mode: 'cheap' })).toBe('lab:cheap');
    expect(winner({ mode: 'best' })).toBe('lab:best');
    expect(winner({ mode: 'fast' })).toBe('lab:fast');
  });

  it('gives every score part and says why the winner won', () => {
    const decision = rankModels(input({ mode: 'cheap' }));
    expect(decision.ranked.map((model) => model.candidate.ref)).toEqual(['lab:cheap', 'lab:fast', 'lab:best']);
    expect(decision.ranked[0]).toMatchObject({ parts: { quality: 0.5, cost: 1 }, latencySource: 'models.yaml' });
    expect(decision.ranked[2]?.parts.cost).toBe(0);
    expect(decision.reason).toMatch(/^best cheap score 0\.\d+ \(quality 5, ~\$/);
  });

  it('trusts what llmo measured over latency_ms once there are enough calls', () => {
    const slowed = { ...fast, measured: { samples: 20, ttftMs: 2500, tokensPerSecond: undefined } };
    const decision = rankModels(input({ mode: 'fast', candidates: [cheap, slowed, best] }));
    expect(decision.winner?.candidate.ref).toBe('lab:cheap');
    expect(decision.ranked.find((model) => model.candidate.ref === 'lab:fast')?.latencySource).toBe('measured');
  });

  it('never chooses a model that cannot read an image, call tools or hold the prompt', () => {
    const seeing = candidate('lab:seeing', { quality: 4, pricing: { input: 3, output: 3 } }, { capabilities: new Set(['vision']) });
    const needs = { tools: false, vision: true, pdf: false, schema: false, maxTokens: 1000 };
    const decision = rankModels(input({ mode: 'cheap', candidates: [cheap, seeing], needs }));
    expect(decision.winner?.candidate.ref).toBe('lab:seeing');
    expect(decision.skipped).toContainEqual({ ref: 'lab:cheap', why: 'cannot read images' });

    const small = candidate('lab:small', { quality: 8, contextWindow: 8000, pricing: { input: 0.01, output: 0.01 } });
    const long = estimateComplexity('x', 50_000);
    const over = rankModels(input({ candidates: [small, cheap], complexity: long }));
    expect(over.winner?.candidate.ref).toBe('lab:cheap');
    expect(over.skipped[0]).toMatchObject({ ref: 'lab:small', why: expect.stringMatching(/exceed its 8000-token window/) });
  });

  it('for a vendor batch, chooses only among models whose provider has a batch API', () => {
    const batchable = { ...best, capabilities: new Set(['batch']) };
    const decision = rankModels(input({ mode: 'cheap', candidates: [cheap, batchable], needs: { ...input().needs, batch: true } }));
    expect(decision.winner?.candidate.ref).toBe('lab:best');
    expect(decision.skipped).toEqual([{ ref: 'lab:cheap', why: 'no batch API' }]);
  });

  it('skips models without a key, embedding models, unpriced models and models without a quality', () => {
    const decision = rankModels(
      input({
        candidates: [
          { ...best, usable: false },
          candidate('lab:embed', { quality: 1, pricing: { input: 0, output: 0 } }, { capabilities: new Set(['embeddings']) }),
          candidate('lab:local', { quality: 4 }),
          candidate('lab:unknown', { pricing: { input: 1, output: 1 } }),
          cheap,
        ],
      }),
    );
    expect(decision.skipped.map((entry) => entry.why)).toEqual(['no key', 'an embedding model', 'unpriced', 'no quality in models.yaml']);
    expect(decision.winner?.candidate.ref).toBe('lab:cheap');
  });

  it('asks a harder prompt for more quality, except when no model has it', () => {
    const hard = estimateComplexity('```ts\nconst x = 1;\n```\nWhy does this fail? Explain step by step. What else? Any risks?', 1500);
    expect(hard.score).toBeGreaterThanOrEqual(8);
    const decision = rankModels(input({ mode: 'cheap', complexity: hard }));
    // Complexity 8 asks for quality 6: the cheap model (5) is out, the next cheapest wins.
    expect(decision.qualityFloor).toBe(6);
    expect(decision.winner?.candidate.ref).toBe('lab:fast');
    expect(decision.skipped).toEqual([{ ref: 'lab:cheap', why: 'quality 5 is below the 6 this prompt needs' }]);
    expect(winner({ mode: 'cheap', complexity: hard, candidates: [cheap] })).toBe('lab:cheap');
  });

  it('leaves premium models out when little of a budget is left', () => {
    const decision = rankModels(input({ mode: 'best', budget: { share: 0.1, description: "10% of today's budget left" } }));
    expect(decision.winner?.candidate.ref).not.toBe('lab:best');
    expect(decision.skipped).toContainEqual({ ref: 'lab:best', why: "premium, and 10% of today's budget left" });
  });

  it('lets a rule whose conditions hold pin its model', () => {
    const code = estimateComplexity('def f():\n    return 1', 10);
    const rules = [{ number: 1, when: { hasCode: true }, target: 'lab:fast' }];
    const decision = rankModels(input({ mode: 'cheap', complexity: code, rules }));
    expect(decision.winner?.candidate.ref).toBe('lab:fast');
    expect(decision.reason).toBe('routing rule 1 pins lab:fast');
    expect(winner({ mode: 'cheap', rules })).toBe('lab:cheap');
  });
});

describe('estimateComplexity', () => {
  it('counts length, code, questions and requests for reasoning', () => {
    expect(estimateComplexity('Say hello', 3).score).toBe(0);
    expect(estimateComplexity('function add(a, b) { return a + b; }', 12)).toMatchObject({ hasCode: true, score: 3 });
    expect(estimateComplexity('What? Where? When? Who?', 8)).toMatchObject({ questions: 4, score: 2 });
    expect(estimateComplexity('Explain why the sky is blue', 8)).toMatchObject({ asksReasoning: true, score: 2 });
    expect(estimateComplexity('text', 5000).score).toBe(3);
  });
});
