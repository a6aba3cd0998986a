/**
 * `llmo ask --tools` end to end: the built CLI, each vendor's real SDK against the fake providers
 * (which ask for a tool in that vendor's recorded wire format), and the real
 * @modelcontextprotocol/server-everything over stdio, started by llmo's MCP host.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeProvider } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { everythingScript } from './helpers/mcp-servers.js';

const e2e = useE2e({
  home: 'file',
  config: [
    'mcp:',
    '  servers:',
    `    ev: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(everythingScript)}] }`,
    'tools:',
    '  max_steps: 4',
    '  policy: { "*": ask, "ev.get-sum": allow }',
    '',
  ].join('\n'),
});

const ask = (args: string[]) => e2e.run(['ask', ...args], { timeoutMs: 30_000 });

/** Every vendor refuses dots in tool names: adapters send `server__tool` (src/providers/tool-names.ts). */
const SUM = 'ev__get-sum';

const VENDORS: { ref: string; provider: FakeProvider }[] = [
  { ref: 'anthropic:claude-haiku-4-5', provider: 'anthropic' },
  { ref: 'openai:gpt-4o-mini', provider: 'openai' },
  { ref: 'gemini:gemini-2.5-flash', provider: 'gemini' },
  { ref: 'mistral:mistral-small-latest', provider: 'mistral' },
  { ref: 'deepseek', provider: 'deepseek' },
];

describe('llmo ask --tools against the real server-everything', () => {
  it.each(VENDORS)('$provider: the fake asks for get-sum, llmo calls the server and sends the result back', async ({ ref, provider }) => {
    e2e.fake.enqueue(provider, { toolCalls: [{ name: SUM, arguments: { a: 2, b: 3 } }] }, { text: 'The sum is 5.' });
    const result = await ask(['--no-save', '-m', ref, '--tools', 'ev.get-sum', 'What is 2 + 3?']);
    expect(result.stderr).toMatch(/→ ev\.get-sum \{"a":2,"b":3\} \d+ ms\n/);
    expect(result.stdout).toBe('The sum is 5.\n');
    expect(result.code).toBe(0);
    const [first, second] = e2e.fake.requestsFor(provider);
    // Only the selected tool's schema was sent.
    expect(JSON.stringify(first!.body)).toContain(SUM);
    expect(JSON.stringify(first!.body)).not.toContain('ev__echo');
    // The server's own words went back to the model.
    expect(JSON.stringify(second!.body)).toContain('The sum of 2 and 3 is 5.');
  });

  it('--json adds the calls and sums every step; --stream-json prints one event a line', async () => {
    e2e.fake.enqueue('openai', { toolCalls: [{ name: SUM, arguments: { a: 1, b: 1 } }] }, { text: 'Two.' });
    const json = await ask(['--no-save', '-m', 'openai:gpt-4o-mini', '--tools', 'ev', '--json', 'sum?']);
    expect(json.code).toBe(0);
    const output = JSON.parse(json.stdout);
    expect(output).toMatchObject({
      text: 'Two.',
      steps: 2,
      tool_calls: [{ name: 'ev.get-sum', arguments: { a: 1, b: 1 }, status: 'ran', result: 'The sum of 1 and 1 is 2.', is_error: false }],
    });
    expect(output.tool_calls[0].duration_ms).toEqual(expect.any(Number));
    // Two model calls, their usage summed.
    expect(e2e.fake.requestsFor('openai')).toHaveLength(2);
    expect(output.usage.input_tokens).toBeGreaterThan(0);

    e2e.fake.enqueue('openai', { toolCalls: [{ name: SUM, arguments: { a: 2, b: 2 } }] }, { text: 'Four.' });
    const streamed = await ask(['--no-save', '-m', 'openai:gpt-4o-mini', '--tools', 'ev', '--stream-json', 'sum?']);
    expect(streamed.code).toBe(0);
    const events = streamed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual(['tool_call', 'tool_result', 'text', 'result']);
    expect(events[0]).toMatchObject({ name: 'ev.get-sum', arguments: { a: 2, b: 2 } });
    expect(events[1]).toMatchObject({ is_error: false, content: 'The sum of 2 and 2 is 4.' });
    expect(events.at(-1)).toMatchObject({ text: 'Four.', steps: 2 });
  });

  it('without a terminal, an ask-policy tool is refused, the model is told, and the run exits 8', async () => {
    e2e.fake.enqueue(
      'anthropic',
      { toolCalls: [{ name: 'ev__echo', arguments: { message: 'hi' } }] },
      { text: 'I was not allowed to echo.' },
    );
    const result = await ask(['--no-save', '-m', 'anthropic:claude-haiku-4-5', '--tools', 'ev', 'echo hi']);
    expect(result.stdout).toBe('I was not allowed to echo.\n');
    expect(result.stderr).toContain('→ ev.echo {"message":"hi"} refused: it needs approval and no one is there to give it');
    expect(result.stderr).toContain('llmo: the tool policy refused ev.echo');
    expect(result.code).toBe(8);
    expect(JSON.stringify(e2e.fake.requestsFor('anthropic')[1]!.body)).toContain('llmo did not run ev.echo');

    // --approve lets it run.
    e2e.fake.enqueue('anthropic', { toolCalls: [{ name: 'ev__echo', arguments: { message: 'hi' } }] }, { text: 'Echoed.' });
    const approved = await ask(['--no-save', '-m', 'anthropic:claude-haiku-4-5', '--tools', 'ev', '--approve', 'ev.echo', 'echo hi']);
    expect(approved.code).toBe(0);
    expect(JSON.stringify(e2e.fake.requestsFor('anthropic')[3]!.body)).toContain('Echo: hi');
  });

  it('a model that keeps calling the same tool stops at the breaker with exit 8', async () => {
    const same = { toolCalls: [{ name: SUM, arguments: { a: 1, b: 2 } }] };
    e2e.fake.enqueue('mistral', same, same, same, { text: 'never sent' });
    const result = await ask(['--no-save', '-m', 'mistral:mistral-small-latest', '--tools', 'ev', 'loop']);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('llmo: stopped a loop: the model called ev.get-sum with the same arguments 3 times');
    expect(e2e.fake.requestsFor('mistral')).toHaveLength(3);
  });

  it('a conversation with tool calls begun on one vendor carries on with another', async () => {
    e2e.fake.enqueue('gemini', { toolCalls: [{ name: SUM, arguments: { a: 4, b: 5 } }] }, { text: 'It is 9.' });
    const first = await ask(['-m', 'gemini:gemini-2.5-flash', '--tools', 'ev', '--json', 'What is 4 + 5?']);
    expect(first.code).toBe(0);
    const id = JSON.parse(first.stdout).conversation_id as string;
    const saved = JSON.parse(readFileSync(path.join(e2e.home, 'conversations', `${id}.json`), 'utf8'));
    expect(saved.messages[1].tool_calls).toEqual([
      expect.objectContaining({
        name: 'ev.get-sum',
        arguments: { a: 4, b: 5 },
        result: expect.objectContaining({ content: 'The sum of 4 and 5 is 9.' }),
      }),
    ]);

    e2e.fake.enqueue('anthropic', { text: 'Still 9.' });
    const next = await ask(['--resume', id, '-m', 'anthropic:claude-haiku-4-5', 'And again?']);
    expect(next.code).toBe(0);
    const body = e2e.fake.requestsFor('anthropic')[0]!.body;
    const blocks = body.messages.flatMap((message: { content: unknown }) => (Array.isArray(message.content) ? message.content : []));
    expect(blocks.map((block: { type: string }) => block.type)).toEqual(expect.arrayContaining(['tool_use', 'tool_result']));
    expect(JSON.stringify(body)).toContain('The sum of 4 and 5 is 9.');
    expect(readdirSync(path.join(e2e.home, 'conversations'))).toContain(`${id}.json`);
  });

  it('a chain step with tools: the plan shows them, the step calls the server, the next step gets its answer', async () => {
    const chainFile = path.join(e2e.home, 'sums.yaml');
    writeFileSync(
      chainFile,
      [
        'steps:',
        '  - name: compute',
        '    model: openai:gpt-4o-mini',
        '    tools: [ev]',
        '    max_steps: 3',
        '    prompt: "Add {{input}}"',
        '  - name: report',
        '    model: anthropic:claude-haiku-4-5',
        '    prompt: "Report: {{previous}}"',
        '',
      ].join('\n'),
    );
    const plan = await e2e.run(['chain', 'run', chainFile, '--dry-run', '2 and 3']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/tools {3}ev {2}\(at most 3 steps\)/);

    e2e.fake.enqueue('openai', { toolCalls: [{ name: SUM, arguments: { a: 2, b: 3 } }] }, { text: 'Five.' });
    e2e.fake.enqueue('anthropic', { text: 'The answer is five.' });
    const run = await e2e.run(['chain', 'run', chainFile, '-q', '2 and 3'], { timeoutMs: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('The answer is five.\n');
    expect(run.code).toBe(0);
    expect(JSON.stringify(e2e.fake.requestsFor('openai')[1]!.body)).toContain('The sum of 2 and 3 is 5.');
    expect(JSON.stringify(e2e.fake.requestsFor('anthropic')[0]!.body)).toContain('Report: Five.');
  });
});
