import { messageText } from '../providers/spec.js';
import { describe, expect, it } from 'vitest';
import { AuthError, BudgetError } from '../errors.js';
import type { Accounting, PlannedCall, UsageEntry } from '../usage/accounting.js';
import { catalog, configChain, resolveRef } from './chain-test-catalog.test-support.js';
import { fakeModels, type FakeReply } from './fake-language-model.test-support.js';
import { parseInlineChain } from './inline-chain.js';
import { runChain, type ChainEvent, type RunChainOptions } from './run-chain.js';
import { chainRunRecord } from './run-record.js';
import { validateChain } from './validate-chain.js';

function recordingAccounting() {
  const budgetChecks: PlannedCall[][] = [];
  const records: UsageEntry[] = [];
  const accounting: Accounting = {
    async checkBudget(calls) {
      budgetChecks.push([...calls]);
    },
    async record(entry) {
      records.push(entry);
    },
  };
  return { accounting, budgetChecks, records };
}

function setup(inline: string, reply: (ref: string, prompt: string, call: number) => FakeReply, overrides: Partial<RunChainOptions> = {}) {
  const models = fakeModels((ref, request, call) => reply(ref, messageText(request.messages.at(-1)!), call));
  const { accounting, budgetChecks, records } = recordingAccounting();
  const events: ChainEvent[] = [];
  const plan = validateChain(parseInlineChain(inline), { catalog, resolveRef });
  const run = () =>
    runChain({
      plan,
      input: 'THE INPUT',
      resolve: models.resolve,
      accounting,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
      concurrency: 8,
      source: { kind: 'chain', id: 'chain_test', name: 'inline' },
      enforceBudget: true,
      onEvent: (event) => events.push(event),
      ...overrides,
    });
  return { models, budgetChecks, records, events, run };
}

describe('runChain', () => {
  it('feeds each step the previous output, across three providers', async () => {
    const { models, run, records } = setup('summarize(alpha:one) -> critique(beta:one) -> (gamma:one)', (ref) => `answer of ${ref}`);
    const result = await run();
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, output: 'answer of gamma:one', error: undefined });
    expect(models.calls.map((call) => call.provider)).toEqual(['alpha', 'beta', 'gamma']);
    expect(models.prompts()).toEqual(['THE INPUT', 'answer of alpha:one', 'answer of beta:one']);
    expect(models.calls[1]!.request.messages[0]).toEqual({ role: 'system', content: 'You criticise.' });
    expect(records.map((record) => record.source)).toEqual([
      { kind: 'chain', id: 'chain_test', name: 'inline', step: 'summarize' },
      { kind: 'chain', id: 'chain_test', name: 'inline', step: 'critique' },
      { kind: 'chain', id: 'chain_test', name: 'inline', step: 'step3' },
    ]);
  });

  it('runs a parallel stage at once and gives the merge step only the good outputs', async () => {
    const { models, run } = setup(
      '(alpha:one) -> opinions[(alpha:two) | (beta:one) | (gamma:one)] -> (alpha:one, prompt="Merge:\\n{{steps.opinions.outputs}}")',
      (ref, _prompt, call) => {
        if (ref === 'beta:one') return { error: 'unavailable' };
        if (ref === 'alpha:one' && call === 1) return 'draft';
        return { text: `opinion of ${ref}`, delayMs: 100 };
      },
    );
    const result = await run();
    expect(models.peakInFlight()).toBeGreaterThanOrEqual(2); // the two 100 ms branches at once, not one after the other
    const merge = models.prompts().at(-1)!;
    expect(merge).toBe(
      'Merge:\n--- output 1 of 2 (alpha:two) ---\nopinion of alpha:two\n\n--- output 2 of 2 (gamma:one) ---\nopinion of gamma:one',
    );
    expect(result.steps.map((step) => step.status)).toEqual(['ok', 'partial', 'ok']);
    expect(result).toMatchObject({ status: 'partial', exitCode: 10 });
    expect(result.output).toBe('opinion of alpha:one');
    expect(result.error!.message).toContain('the chain finished, but 1 parallel branch failed: opinions: beta:one: 503 overloaded');
  });

  it('tries the fallback models in order when a model fails', async () => {
    const { models, run, events } = setup('(alpha:one, fallback=beta:one, fallback=gamma:one) -> (alpha:two)', (ref) =>
      ref === 'gamma:one' || ref === 'alpha:two' ? `from ${ref}` : { error: 'unavailable' },
    );
    const result = await run();
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(models.calls.map((call) => `${call.provider}:${call.modelId}`)).toEqual(['alpha:one', 'beta:one', 'gamma:one', 'alpha:two']);
    expect(models.prompts()[3]).toBe('from gamma:one');
    expect(result.steps[0]!.branches[0]!.attempts.map((attempt) => attempt.status)).toEqual(['error', 'error', 'ok']);
    expect(
      events.filter((event) => event.type === 'attempt-end').map((event) => event.type === 'attempt-end' && event.willFallback),
    ).toEqual([true, true, false, false]);
  });

  it('stops at a first step that produces nothing: exit 5, later steps skipped and never called', async () => {
    const { models, run } = setup('(alpha:one) -> (beta:one)', () => ({ error: 'unavailable' }));
    const result = await run();
    expect(result).toMatchObject({ status: 'failed', exitCode: 5, output: undefined });
    expect(result.steps.map((step) => step.status)).toEqual(['failed', 'skipped']);
    expect(result.error!.message).toBe('step "step1" failed: alpha: 503 overloaded');
    expect(models.calls).toHaveLength(1);
  });

  it('keeps the outputs before a later failing step: exit 10', async () => {
    const { run } = setup('(alpha:one) -> (beta:one) -> (gamma:one)', (ref) =>
      ref === 'beta:one' ? { error: 'unavailable' } : `from ${ref}`,
    );
    const result = await run();
    expect(result).toMatchObject({ status: 'partial', exitCode: 10, output: undefined });
    expect(result.steps.map((step) => [step.status, step.output])).toEqual([
      ['ok', 'from alpha:one'],
      ['failed', undefined],
      ['skipped', undefined],
    ]);
    expect(result.error!.message).toMatch(
      /^chain stopped at step 2 of 3: step "step2" failed: beta: 503 overloaded; the outputs of the 1 step before it are kept$/,
    );
  });

  it('fails a parallel stage only when every branch fails', async () => {
    const { run } = setup('[(alpha:one) | (beta:one)] -> (gamma:one)', () => ({ error: 'unavailable' }));
    const result = await run();
    expect(result).toMatchObject({ status: 'failed', exitCode: 5 });
    expect(result.error!.message).toBe('every branch of step "parallel" failed: alpha:one: 503 overloaded; beta:one: 503 overloaded');
  });

  it('cancels the in-flight request on abort and keeps finished outputs: exit 130', async () => {
    const controller = new AbortController();
    const { models, run } = setup(
      '(alpha:one) -> (beta:one) -> (gamma:one)',
      // Longer than the test's timeout: only the abort can end it.
      (ref) => (ref === 'beta:one' ? { text: 'slow', delayMs: 600_000 } : `from ${ref}`),
      {
        signal: controller.signal,
      },
    );
    void models.started('beta:one').then(() => controller.abort());
    const result = await run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(result.steps.map((step) => [step.status, step.output])).toEqual([
      ['ok', 'from alpha:one'],
      ['aborted', undefined],
      ['skipped', undefined],
    ]);
    expect(models.calls.map((call) => call.aborted)).toEqual([false, true]);
    expect(result.error!.message).toBe(
      'interrupted during step "step2"; in-flight requests were cancelled; the outputs of 1 finished step are kept',
    );
  });

  it('an interrupt during a parallel stage stops the chain there, keeping the branches that answered', async () => {
    const controller = new AbortController();
    const { models, run } = setup(
      '(alpha:one) -> opinions[(beta:one) | (gamma:one)] -> (alpha:two)',
      (ref) => (ref === 'gamma:one' ? { text: 'slow', delayMs: 600_000 } : `from ${ref}`),
      {
        signal: controller.signal,
      },
    );
    void Promise.all([models.finished('beta:one'), models.started('gamma:one')]).then(() => controller.abort());
    const result = await run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(result.steps.map((step) => [step.name, step.status, step.output])).toEqual([
      ['step1', 'ok', 'from alpha:one'],
      ['opinions', 'aborted', undefined],
      ['step3', 'skipped', undefined],
    ]);
    expect(result.steps[1]!.branches.map((branch) => [branch.status, branch.text])).toEqual([
      ['ok', 'from beta:one'],
      ['aborted', undefined],
    ]);
    expect(result.error!.message).toBe(
      'interrupted during step "opinions"; in-flight requests were cancelled; the outputs of 1 finished step are kept',
    );
  });

  it('an interrupt while branches wait for a slot reports every branch, and the run can be saved', async () => {
    const controller = new AbortController();
    const { models, run } = setup('[(alpha:one) | (beta:one) | (gamma:one)] -> (alpha:two)', () => ({ text: 'slow', delayMs: 600_000 }), {
      signal: controller.signal,
      concurrency: 1,
    });
    void models.started('alpha:one').then(() => controller.abort());
    const result = await run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(models.calls).toHaveLength(1);
    const [stage] = result.steps;
    expect(stage!.branches.map((branch) => [branch.status, branch.final?.provider, branch.attempts.length])).toEqual([
      ['aborted', 'alpha', 1],
      ['aborted', 'beta', 1],
      ['aborted', 'gamma', 1],
    ]);
    expect(stage!.branches[1]!.error!.message).toBe('interrupted before the request was sent');
    const record = chainRunRecord({ id: 'chain_x', startedAt: new Date(0), input: 'THE INPUT', vars: {} }, parseInlineChain('(a)'), result);
    expect(record.steps[0]!.branches.map((branch) => [branch.provider, branch.status, branch.error?.kind])).toEqual([
      ['alpha', 'aborted', 'InterruptedError'],
      ['beta', 'aborted', 'InterruptedError'],
      ['gamma', 'aborted', 'InterruptedError'],
    ]);
  });

  it('checks the budget once for the whole plan before any call, prompts rendered with the input', async () => {
    const { budgetChecks, run } = setup('summarize(alpha:one, prompt="Sum: {{input}}") -> [(beta:one) | (gamma:one)]', () => 'ok');
    await run();
    const plan = budgetChecks[0]!;
    expect(plan.map((call) => `${call.provider}:${call.model}`)).toEqual(['alpha:one', 'beta:one', 'gamma:one']);
    expect(messageText(plan[0]!.request.messages.at(-1)!)).toBe('Sum: THE INPUT');
    expect(messageText(plan[1]!.request.messages.at(-1)!)).toBe('‹output of step summarize›');
    expect(plan[0]!.pricing).toEqual({ input: 1, output: 2 });
  });

  it('refuses a chain whose worst case passes its budget_usd, before any call', async () => {
    const models = fakeModels(() => 'ok');
    const chain = configChain(`chains:\n  c:\n    budget_usd: 0.001\n    steps:\n      - model: a1\n        max_tokens: 1000\n`, 'c');
    const options = {
      plan: validateChain(chain, { catalog, resolveRef }),
      input: 'x',
      resolve: models.resolve,
      accounting: recordingAccounting().accounting,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
      concurrency: 2,
      source: { kind: 'chain' as const },
    };
    await expect(runChain({ ...options, enforceBudget: true })).rejects.toThrow(BudgetError);
    await expect(runChain({ ...options, enforceBudget: true })).rejects.toThrow(
      'chain "c" could cost up to $0.002046, over its budget_usd of $0.001',
    );
    expect(models.calls).toHaveLength(0);
    expect((await runChain({ ...options, enforceBudget: false })).status).toBe('ok');
  });

  it('resolves every model (keys included) before the first call', async () => {
    const alpha = fakeModels(() => 'ok');
    const { run } = setup('(alpha:one) -> (beta:one)', () => 'ok', {
      resolve: async (ref) => {
        if (ref === 'beta:one') throw new AuthError('no API key for beta');
        return alpha.resolve(ref);
      },
    });
    await expect(run()).rejects.toThrow('no API key for beta');
    expect(alpha.calls).toHaveLength(0);
  });
});

describe('runChain with a schema', () => {
  function schemaChain(reply: (ref: string, prompt: string, call: number) => FakeReply) {
    const models = fakeModels((ref, request, call) => reply(ref, messageText(request.messages.at(-1)!), call));
    const { accounting, records } = recordingAccounting();
    const chain = configChain(
      `chains:
  film:
    steps:
      - name: extract
        model: alpha:one
        schema: "title, year int"
      - name: opinions
        parallel: [alpha:two, beta:one]
        schema: "verdict"
        prompt: "{{steps.extract.json.title}}"
      - name: use
        model: gamma:one
        prompt: "Title: {{steps.extract.json.title}} ({{steps.extract.json.year}}); first verdict: {{steps.opinions.json.0.verdict}}"
`,
      'film',
    );
    const plan = validateChain(chain, { catalog, resolveRef });
    const run = () =>
      runChain({
        plan,
        input: 'THE INPUT',
        resolve: models.resolve,
        accounting,
        retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
        concurrency: 8,
        source: { kind: 'chain', id: 'chain_test', name: 'film' },
        enforceBudget: true,
      });
    return { models, records, run };
  }

  it('repairs a step before the next one runs, and later prompts read its fields', async () => {
    const { models, records, run } = schemaChain((ref, _prompt, call) => {
      if (ref === 'alpha:one') return call === 1 ? '{"title": "Dune"}' : '{"title": "Dune", "year": 1965}';
      if (ref === 'gamma:one') return 'done';
      return `{"verdict": "good (${ref})"}`;
    });
    const result = await run();
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(records).toHaveLength(5);
    expect(models.prompts().at(-1)).toBe('Title: Dune (1965); first verdict: good (alpha:two)');
    expect(result.steps[0]!.output).toBe('{"title":"Dune","year":1965}');
    expect(models.calls[0]!.request.responseFormat?.schema).toMatchObject({ required: ['title', 'year'] });
  });

  it('fails a branch whose reply stays invalid while the others succeed: exit 10', async () => {
    const { run } = schemaChain((ref) => {
      if (ref === 'alpha:one') return '{"title": "Dune", "year": 1965}';
      if (ref === 'beta:one') return 'I refuse to answer in JSON';
      return ref === 'gamma:one' ? 'done' : '{"verdict": "fine"}';
    });
    const result = await run();
    expect(result).toMatchObject({ status: 'partial', exitCode: 10 });
    expect(result.steps[1]!.branches.map((branch) => branch.status)).toEqual(['ok', 'error']);
    expect(result.steps[1]!.branches[1]!.attempts).toHaveLength(3);
    expect(result.error!.message).toMatch(/beta:one: .*3 attempts did not match the schema/);
  });
});
