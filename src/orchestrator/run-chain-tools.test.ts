import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors.js';
import { noAccounting } from '../usage/accounting.js';
import { catalog, configChain, resolveRef } from './chain-test-catalog.test-support.js';
import { fakeModels, type FakeReply } from './fake-language-model.test-support.js';
import { runChain, type ChainEvent } from './run-chain.js';
import { functionHost } from './tool-host.test-support.js';
import { ToolPolicy } from './tool-policy.js';
import { validateChain } from './validate-chain.js';

const yaml = (step: string) => `
chains:
  research:
    steps:
      - name: gather
        model: alpha:one
        prompt: "Look into {{input}}"
${step}
      - name: write
        model: beta:one
        prompt: "Write up: {{previous}}"
`;

function setup(stepFields: string, replies: Record<string, FakeReply[]>) {
  const models = fakeModels((ref, _request, call) => replies[ref]?.[call - 1] ?? `answer of ${ref}`);
  const { host, calls } = functionHost({ 'fs.read_file': ({ path }) => `contents of ${String(path)}`, 'gh.search': () => 'results' });
  const events: ChainEvent[] = [];
  const plan = validateChain(configChain(yaml(stepFields), 'research'), { catalog, resolveRef, toolServers: ['fs', 'gh'] });
  const run = () =>
    runChain({
      plan,
      input: 'the repo',
      resolve: models.resolve,
      accounting: noAccounting,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
      concurrency: 4,
      source: { kind: 'chain', id: 'chain_test', name: 'research' },
      enforceBudget: true,
      onEvent: (event) => events.push(event),
      tools: {
        host,
        policy: new ToolPolicy([{ pattern: '*', decision: 'allow' }]),
        confirm: undefined,
        maxSteps: 10,
        maxResultChars: 1000,
      },
    });
  return { plan, models, calls, events, run };
}

describe('chain steps with tools', () => {
  it('offers only the step its own tools and feeds the next step its answer', async () => {
    const { plan, models, calls, events, run } = setup('        tools: [fs]\n        max_steps: 3', {
      'alpha:one': [{ toolCalls: [{ name: 'fs.read_file', arguments: { path: 'README.md' } }] }, 'The README is short.'],
    });
    expect(plan.steps[0]!.tools).toEqual({ selectors: ['fs'], maxSteps: 3 });
    const result = await run();
    expect(result.status).toBe('ok');
    expect(calls).toEqual([{ name: 'fs.read_file', args: { path: 'README.md' } }]);
    expect(models.calls.map((call) => [call.provider, call.request.tools?.map((tool) => tool.name)])).toEqual([
      ['alpha', ['fs.read_file']],
      ['alpha', ['fs.read_file']],
      ['beta', undefined],
    ]);
    expect(models.prompts()[2]).toBe('Write up: The README is short.');
    expect(events.filter((event) => event.type === 'tool').map((event) => event.event.type)).toContain('tool-result');
    // The step's usage is every model call of its loop.
    expect(result.steps[0]!.branches[0]!.final!.usage).toEqual({ inputTokens: 20, outputTokens: 10 });
  });

  it("stops at the step's own max_steps with exit 8, without trying a fallback", async () => {
    const again = (path: string) => ({ toolCalls: [{ name: 'fs.read_file', arguments: { path } }] });
    const { run, models } = setup('        tools: [fs]\n        max_steps: 2\n        fallback: [gamma:one]', {
      'alpha:one': [again('a'), again('b'), again('c')],
    });
    const result = await run();
    expect(result.exitCode).toBe(ExitCode.toolPolicy);
    expect(result.error!.message).toContain('stopped after 2 steps');
    expect(models.calls.map((call) => call.provider)).toEqual(['alpha', 'alpha']);
  });

  it('refuses a step naming a server that is not configured, and max_steps without tools', () => {
    expect(() =>
      validateChain(configChain(yaml('        tools: [fz]'), 'research'), { catalog, resolveRef, toolServers: ['fs', 'gh'] }),
    ).toThrow(/step "gather": no MCP server is named "fz"; did you mean fs, gh\?/);
    expect(() => configChain(yaml('        max_steps: 2'), 'research')).toThrow(ConfigError);
    expect(() => configChain(yaml('        tools: 3'), 'research')).toThrow(/expected a list of MCP server names/);
  });
});
