import { describe, expect, it } from 'vitest';
import { BudgetError, ExitCode, ToolPolicyError } from '../errors.js';
import type { Message, ModelRequest } from '../providers/spec.js';
import type { Accounting } from '../usage/accounting.js';
import { fakeModels, type FakeReply } from './fake-language-model.test-support.js';
import { runToolLoop, type ConfirmToolCall, type ToolLoopEvent, type ToolLoopOptions } from './run-tool-loop.js';
import { functionHost, type Handler } from './tool-host.test-support.js';
import { ToolPolicy, type ToolRule } from './tool-policy.js';

const retry = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };

function loop(
  replies: FakeReply[],
  handlers: Record<string, Handler>,
  overrides: Partial<ToolLoopOptions> & { rules?: ToolRule[]; prompt?: string } = {},
) {
  const models = fakeModels((_ref, _request, call) => replies[call - 1] ?? 'no more replies');
  const { host, tools, calls } = functionHost(handlers);
  const events: ToolLoopEvent[] = [];
  const run = async () =>
    runToolLoop({
      resolved: await models.resolve('fake:model'),
      request: { messages: [{ role: 'user', content: overrides.prompt ?? 'do it' }] },
      host,
      tools,
      policy: new ToolPolicy(overrides.rules ?? [{ pattern: '*', decision: 'allow' }]),
      confirm: undefined,
      maxSteps: 10,
      maxResultChars: 1000,
      source: { kind: 'ask' },
      accounting: { async checkBudget() {}, async record() {} },
      retry,
      onEvent: (event) => events.push(event),
      ...overrides,
    });
  return { run, models, calls, events };
}

const read = (path: string) => ({ toolCalls: [{ name: 'fs.read_file', arguments: { path } }] });

describe('runToolLoop', () => {
  it('runs the calls the model asks for, hands the results back and returns its answer', async () => {
    const { run, models, calls } = loop([read('README.md'), 'The README says hello.'], {
      'fs.read_file': ({ path }) => `contents of ${String(path)}`,
    });
    const result = await run();
    expect(result.error).toBeUndefined();
    expect(result.final.text).toBe('The README says hello.');
    expect(calls).toEqual([{ name: 'fs.read_file', args: { path: 'README.md' } }]);
    // The second request carries the assistant's call and the tool's result, and offers the tools.
    const second = models.calls[1]!.request;
    expect(second.tools?.map((tool) => tool.name)).toEqual(['fs.read_file']);
    expect(second.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: expect.any(String), name: 'fs.read_file', arguments: { path: 'README.md' } }] },
      { role: 'tool', results: [{ toolCallId: expect.any(String), name: 'fs.read_file', content: 'contents of README.md' }] },
    ]);
    expect(result.messages.map((message) => message.role)).toEqual(['assistant', 'tool', 'assistant']);
    expect(result.toolCalls).toEqual([expect.objectContaining({ status: 'ran', isError: false, content: 'contents of README.md' })]);
    // Usage and cost are the sum of every step.
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 10 });
    expect(result.steps).toHaveLength(2);
  });

  it('sends only the selected tools and none when none are selected', async () => {
    const { run, models } = loop(['plain answer'], { 'fs.read_file': () => 'x' }, { tools: [] });
    await run();
    expect(models.calls[0]!.request.tools).toBeUndefined();
  });

  it('tells the model about a tool error and carries on', async () => {
    const { run } = loop([read('missing'), 'It does not exist.'], {
      'fs.read_file': () => ({ content: 'ENOENT: no such file', isError: true, durationMs: 2 }),
    });
    const result = await run();
    expect(result.error).toBeUndefined();
    expect(result.messages[1]).toEqual({
      role: 'tool',
      results: [expect.objectContaining({ content: 'ENOENT: no such file', isError: true })],
    });
  });

  it('turns a host failure (a dead server) into an error result and a warning', async () => {
    const warnings: string[] = [];
    const { run } = loop(
      [read('a'), 'Could not read it.'],
      {
        'fs.read_file': () => {
          throw new Error('fs: the server exited (code 1)');
        },
      },
      { onWarning: (message) => warnings.push(message) },
    );
    const result = await run();
    expect(result.toolCalls[0]).toMatchObject({ isError: true, content: 'the tool could not be run: fs: the server exited (code 1)' });
    expect(warnings).toEqual(['fs: the server exited (code 1)']);
  });

  describe('policy', () => {
    it('without a terminal, refuses ask and deny tools with a result the model reads, then exits 8', async () => {
      const { run, calls, models } = loop(
        [
          {
            toolCalls: [
              { name: 'fs.read_file', arguments: { path: 'a' } },
              { name: 'fs.write_file', arguments: { path: 'b' } },
              { name: 'web.fetch', arguments: { url: 'x' } },
            ],
          },
          'I could only read.',
        ],
        { 'fs.read_file': () => 'A', 'fs.write_file': () => 'written', 'web.fetch': () => 'page' },
        {
          rules: [
            { pattern: '*', decision: 'ask' },
            { pattern: 'fs', decision: 'allow' },
            { pattern: 'fs.write_*', decision: 'deny' },
          ],
        },
      );
      const result = await run();
      expect(calls.map((call) => call.name)).toEqual(['fs.read_file']);
      expect(result.final.text).toBe('I could only read.');
      const results = (models.calls[1]!.request.messages.at(-1) as Extract<Message, { role: 'tool' }>).results;
      expect(results.map((item) => [item.name, item.isError ?? false, item.content])).toEqual([
        ['fs.read_file', false, 'A'],
        ['fs.write_file', true, 'llmo did not run fs.write_file: the tool policy denies it'],
        ['web.fetch', true, 'llmo did not run web.fetch: it needs approval and no one is there to give it'],
      ]);
      expect(result.error).toBeInstanceOf(ToolPolicyError);
      expect(result.error!.exitCode).toBe(ExitCode.toolPolicy);
      expect(result.error!.message).toContain('fs.write_file, web.fetch');
      expect(result.error!.hint).toContain('--approve');
    });

    it('--approve and --yes let ask tools run without a terminal; --yes leaves a deny a deny', async () => {
      const policy = new ToolPolicy(
        [
          { pattern: '*', decision: 'ask' },
          { pattern: 'fs.write_file', decision: 'deny' },
        ],
        { yes: true, approve: ['web.*'] },
      );
      expect([policy.decide('fs.read_file'), policy.decide('fs.write_file'), policy.decide('web.fetch')]).toEqual([
        'allow',
        'deny',
        'allow',
      ]);
      expect(new ToolPolicy([{ pattern: 'fs.write_file', decision: 'deny' }], { approve: ['fs.*'] }).decide('fs.write_file')).toBe('allow');
      expect(new ToolPolicy().decide('anything.at_all')).toBe('ask');
    });

    it('asks one call at a time on a terminal; "always this session" stops asking, "deny" tells the model', async () => {
      const asked: string[] = [];
      const answers = ['session', 'deny'] as const;
      const confirm: ConfirmToolCall = async ({ call }) => {
        asked.push(`${call.name} ${JSON.stringify(call.arguments)}`);
        return answers[asked.length - 1]!;
      };
      const { run, calls } = loop(
        [
          {
            toolCalls: [
              { name: 'fs.read_file', arguments: { path: 'a' } },
              { name: 'fs.write_file', arguments: { path: 'b' } },
            ],
          },
          read('c'),
          'done',
        ],
        { 'fs.read_file': () => 'A', 'fs.write_file': () => 'written' },
        { rules: [{ pattern: '*', decision: 'ask' }], confirm },
      );
      const result = await run();
      expect(asked).toEqual(['fs.read_file {"path":"a"}', 'fs.write_file {"path":"b"}']);
      expect(calls.map((call) => `${call.name} ${String(call.args.path)}`)).toEqual(['fs.read_file a', 'fs.read_file c']);
      expect(result.toolCalls.map((record) => record.status)).toEqual(['ran', 'declined', 'ran']);
      // A person's no is an answer, not a policy stop.
      expect(result.error).toBeUndefined();
    });

    it('refuses a tool that was not offered (the model made up a name)', async () => {
      const { run, calls } = loop([{ toolCalls: [{ name: 'fs.delete_everything', arguments: {} }] }, 'sorry'], {
        'fs.read_file': () => 'A',
      });
      const result = await run();
      expect(calls).toEqual([]);
      expect(result.toolCalls[0]).toMatchObject({
        isError: true,
        content: expect.stringContaining('there is no tool named fs.delete_everything'),
      });
    });
  });

  describe('breakers (exit 8)', () => {
    it('stops at the step limit and says what the model still wanted', async () => {
      const { run, calls } = loop([read('1'), read('2'), read('3'), 'never reached'], { 'fs.read_file': () => 'A' }, { maxSteps: 3 });
      const result = await run();
      expect(calls).toHaveLength(2);
      expect(result.steps).toHaveLength(3);
      expect(result.error).toBeInstanceOf(ToolPolicyError);
      expect(result.error!.message).toBe('stopped after 3 steps: the model still wanted to call fs.read_file');
      expect(result.error!.hint).toContain('--max-steps');
      // The unanswered calls get a result, so the saved conversation stays well-formed.
      expect(result.messages.at(-1)).toEqual({
        role: 'tool',
        results: [expect.objectContaining({ content: 'llmo did not run fs.read_file: the step limit was reached', isError: true })],
      });
    });

    it('stops when the same call with the same arguments comes a third time', async () => {
      const again = { toolCalls: [{ name: 'fs.read_file', arguments: { path: 'a', limit: 1 } }] };
      const reordered = { toolCalls: [{ name: 'fs.read_file', arguments: { limit: 1, path: 'a' } }] };
      const { run, calls } = loop([again, again, reordered, 'never'], { 'fs.read_file': () => 'A' });
      const result = await run();
      expect(calls).toHaveLength(2);
      expect(result.error!.exitCode).toBe(ExitCode.toolPolicy);
      expect(result.error!.message).toBe(
        'stopped a loop: the model called fs.read_file with the same arguments 3 times ({"limit":1,"path":"a"})',
      );
    });

    it('stops when a tool fails with the same error a third time', async () => {
      const { run, calls } = loop([read('1'), read('2'), read('3'), 'never'], {
        'fs.read_file': () => ({ content: 'permission denied', isError: true, durationMs: 0 }),
      });
      const result = await run();
      expect(calls).toHaveLength(3);
      expect(result.error!.exitCode).toBe(ExitCode.toolPolicy);
      expect(result.error!.message).toBe('stopped a loop: fs.read_file failed 3 times with the same error: permission denied');
    });
  });

  it('checks the budget before every step: a refusal after tools ran is exit 6, with the spend so far', async () => {
    let checks = 0;
    const accounting: Accounting = {
      async checkBudget() {
        checks += 1;
        if (checks === 2) throw new BudgetError('the daily budget would be exceeded');
      },
      async record() {},
    };
    const { run, models, calls } = loop([read('a'), 'never'], { 'fs.read_file': () => 'A' }, { accounting });
    const result = await run();
    expect(models.calls).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(result.error).toBeInstanceOf(BudgetError);
    expect(result.error!.exitCode).toBe(ExitCode.budget);
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
  });

  it('a budget refusal before the first step is thrown as it is', async () => {
    const accounting: Accounting = {
      async checkBudget() {
        throw new BudgetError('over');
      },
      async record() {},
    };
    const { run } = loop(['x'], {}, { accounting });
    await expect(run()).rejects.toThrow(BudgetError);
  });

  it('runs the allowed calls of a step at most 4 at once, results in the order of the calls', async () => {
    let inFlight = 0;
    let started = 0;
    let most = 0;
    let waiting: Array<() => void> = [];
    const total = 6;
    const handler: Handler = async ({ n }) => {
      inFlight += 1;
      started += 1;
      most = Math.max(most, inFlight);
      // Hold each call until four are running (or every call has started), so an unlimited
      // runner would be seen running all six.
      const gate = new Promise<void>((resolve) => waiting.push(resolve));
      if (inFlight >= 4 || started === total) {
        for (const release of waiting) release();
        waiting = [];
      }
      await gate;
      inFlight -= 1;
      return `result ${String(n)}`;
    };
    const step = { toolCalls: Array.from({ length: total }, (_, n) => ({ name: 'fs.read_file', arguments: { n } })) };
    const { run } = loop([step, 'done'], { 'fs.read_file': handler });
    const result = await run();
    expect(most).toBe(4);
    expect(result.toolCalls.map((record) => record.content)).toEqual(Array.from({ length: total }, (_, n) => `result ${n}`));
  });

  it('cuts a result over max_result_chars and tells the model', async () => {
    const { run } = loop([read('big'), 'ok'], { 'fs.read_file': () => 'x'.repeat(50) }, { maxResultChars: 10 });
    const result = await run();
    expect(result.toolCalls[0]!.content).toBe(`${'x'.repeat(10)}\n[llmo: this result was cut to its first 10 of 50 characters]`);
  });

  it('reports each call and its result as events, in order', async () => {
    const { run, events } = loop([read('a'), 'done'], { 'fs.read_file': () => 'A' });
    await run();
    expect(events.map((event) => event.type)).toEqual(['step-start', 'tool-call', 'tool-result', 'step-end', 'step-start', 'step-end']);
  });

  it('keeps the request settings on every step', async () => {
    const request: ModelRequest = { messages: [{ role: 'user', content: 'go' }], maxTokens: 99, temperature: 0.5 };
    const { run, models } = loop([read('a'), 'done'], { 'fs.read_file': () => 'A' }, { request });
    await run();
    expect(models.calls.map((call) => [call.request.maxTokens, call.request.temperature])).toEqual([
      [99, 0.5],
      [99, 0.5],
    ]);
  });
});
