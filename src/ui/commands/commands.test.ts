import { describe, expect, it } from 'vitest';
import { appendExchange, createConversation, type Conversation, type ReplyInput } from '../../conversations/index.js';
import { fakeResolver, memoryStore, recordingClipboard, testCatalog } from '../chat.test-support.js';
import type { Clipboard } from '../clipboard.js';
import { builtinCommands } from './index.js';
import { completeLine, findCommand, isCommandLine, parseCommandLine } from './parse-command.js';
import type { CommandContext, CommandResult, RequestParameters, SlashCommand } from './types.js';

const reply = (text: string, extra: Partial<ReplyInput> = {}): ReplyInput => ({
  provider: 'anthropic',
  modelId: 'claude-sonnet-4-5',
  text,
  finishReason: 'stop',
  usage: { inputTokens: 100, outputTokens: 40 },
  costUsd: 0.0009,
  durationMs: 500,
  status: 'ok',
  ...extra,
});

function conversationOf(...exchanges: [string, ReplyInput][]): Conversation {
  return exchanges.reduce(
    (conversation, [prompt, answer]) => appendExchange(conversation, { prompt, reply: answer }),
    createConversation({ origin: 'chat', model: 'anthropic:claude-sonnet-4-5' }),
  );
}

function context(
  overrides: {
    conversation?: Conversation;
    store?: ReturnType<typeof memoryStore>;
    clipboard?: Clipboard;
    raw?: boolean;
    retryPrompt?: string;
    parameters?: RequestParameters;
  } = {},
) {
  const resolver = fakeResolver();
  const mock: CommandContext = {
    catalog: testCatalog(),
    store: overrides.store ?? memoryStore(),
    resolveModel: resolver,
    clipboard: overrides.clipboard ?? recordingClipboard(),
    session: {
      conversation: overrides.conversation ?? conversationOf(),
      model: 'anthropic:claude-sonnet-4-5',
      provider: 'anthropic',
      raw: overrides.raw ?? false,
      retryPrompt: overrides.retryPrompt,
      parameters: overrides.parameters ?? {},
    },
    commands: builtinCommands,
  };
  return Object.assign(mock, { resolver });
}

const command = (name: string): SlashCommand => findCommand(builtinCommands, name)!;
const run = async (name: string, args: string, mock: CommandContext): Promise<CommandResult> => command(name).action(mock, args);
const text = (result: CommandResult) => (result.type === 'message' ? result.text : `<${result.type}>`);

describe('slash commands as plain functions', () => {
  it('/model lists models with the current one marked, and switches to a resolved model', async () => {
    const mock = context();
    const listing = await run('model', '', mock);
    expect(listing).toMatchObject({ type: 'message', level: 'info' });
    expect(text(listing)).toMatch(/\* +anthropic:claude-sonnet-4-5 +sonnet +\$3\.00 \/ \$15\.00 per 1M/);
    expect(text(listing)).toMatch(/ {2}ollama:llama3\.2 +unpriced/);
    const switched = await run('model', 'mini', mock);
    expect(switched).toMatchObject({ type: 'switch-model', resolved: { provider: 'openai', modelId: 'gpt-5-mini' } });
  });

  it('/model reports an unknown model or a missing key with what to do, instead of throwing', async () => {
    const mock = context();
    expect(await run('model', 'gpt-99', mock)).toMatchObject({
      type: 'message',
      level: 'error',
      text: 'unknown model or alias "gpt-99"',
      hint: 'llmo models lists them',
    });
    mock.resolver.withoutKey('openai');
    expect(await run('model', 'openai', mock)).toMatchObject({
      level: 'error',
      text: 'no API key for openai',
      hint: expect.stringMatching(/llmo auth add openai/),
    });
  });

  it("/provider lists providers and switches to a provider's default model", async () => {
    const mock = context();
    expect(text(await run('provider', '', mock))).toMatch(/\* +anthropic +default claude-sonnet-4-5 +2 models/);
    expect(await run('provider', 'openai', mock)).toMatchObject({ type: 'switch-model', resolved: { modelId: 'gpt-5-mini' } });
    expect(await run('provider', 'nope', mock)).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/unknown provider "nope"; known: anthropic, openai, ollama/),
    });
  });

  it('/system sets, shows and removes the free-text part, keeping persona and role', async () => {
    const withPersona = conversationOf();
    withPersona.system = { prompt: 'You are a senior developer.', persona: 'developer', role: null, text: null };
    const mock = context({ conversation: withPersona });
    expect(await run('system', 'Answer in French.', mock)).toEqual({
      type: 'set-system',
      system: { prompt: 'You are a senior developer.\n\nAnswer in French.', persona: 'developer', role: null, text: 'Answer in French.' },
    });
    expect(text(await run('system', '', mock))).toBe('System prompt (persona developer):\nYou are a senior developer.');
    expect(await run('system', 'off', mock)).toMatchObject({ system: { text: null, prompt: 'You are a senior developer.' } });
  });

  it('/persona and /role list names, set one, refuse unknown names, and turn off', async () => {
    const mock = context();
    expect(text(await run('persona', '', mock))).toBe('Persona: none. Available: developer, poet');
    expect(await run('persona', 'poet', mock)).toMatchObject({ system: { persona: 'poet', prompt: 'You answer in verse.' } });
    expect(await run('role', 'critique', mock)).toMatchObject({ system: { role: 'critique', prompt: 'Critique the input.' } });
    expect(await run('role', 'juggler', mock)).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/unknown role "juggler"; known roles: critique/),
    });
    expect(await run('persona', 'off', mock)).toMatchObject({ system: { persona: null, prompt: null } });
  });

  it('/clear starts a new conversation', async () => {
    expect(await run('clear', '', context())).toEqual({ type: 'new-conversation' });
    expect(findCommand(builtinCommands, 'new')?.name).toBe('clear');
  });

  it('/save saves with an optional title, and says there is nothing yet on an empty conversation', async () => {
    expect(text(await run('save', 'x', context()))).toMatch(/Nothing to save yet/);
    const mock = context({ conversation: conversationOf(['hi', reply('hello')]) });
    expect(await run('save', '  My   title ', mock)).toEqual({ type: 'save', title: 'My title' });
    expect(await run('save', '', mock)).toEqual({ type: 'save' });
  });

  it('/load loads by id, offers a list to pick from when empty, and reports unknown or unreadable ids', async () => {
    const older = { ...conversationOf(['first question', reply('a')]), id: 'chat_20250101_100000', updated_at: '2025-01-01T10:00:00Z' };
    const newer = { ...conversationOf(['second question', reply('b')]), id: 'chat_20250102_100000', updated_at: '2025-01-02T10:00:00Z' };
    const store = memoryStore([older, newer], ['chat_20240101_000000']);
    const mock = context({ store });
    expect(await run('load', 'chat_20250101_100000', mock)).toEqual({ type: 'load-conversation', conversation: older });
    const picker = await run('load', '', mock);
    if (picker.type !== 'pick') throw new Error(`expected a picker, got ${picker.type}`);
    expect(picker.items.map((item) => item.label)).toEqual([
      'chat_20250102_100000  second question  · 2 messages · anthropic:claude-sonnet-4-5',
      'chat_20250101_100000  first question  · 2 messages · anthropic:claude-sonnet-4-5',
    ]);
    expect(await picker.pick('chat_20250102_100000')).toEqual({ type: 'load-conversation', conversation: newer });
    expect(await run('load', 'chat_1999', mock)).toMatchObject({ level: 'error', text: 'no conversation "chat_1999"' });
    expect(await run('load', 'chat_20240101_000000', mock)).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/cannot be read/),
    });
    expect(await command('load').completion!(mock, 'chat_2025')).toEqual(['chat_20250102_100000', 'chat_20250101_100000']);
  });

  it('/load says so when there is nothing else to load', async () => {
    expect(await run('load', '', context({ store: memoryStore([], ['chat_20240101_000000']) }))).toMatchObject({
      level: 'error',
      text: 'No other saved conversations (1 unreadable file skipped).',
    });
  });

  it('/retry regenerates, optionally with another model, and says when there is nothing to retry', async () => {
    expect(text(await run('retry', '', context()))).toBe('Nothing to retry yet.');
    const mock = context({ retryPrompt: 'the question' });
    expect(await run('retry', '', mock)).toEqual({ type: 'retry' });
    expect(await run('retry', 'haiku', mock)).toMatchObject({ type: 'retry', resolved: { modelId: 'claude-haiku-4-5' } });
    expect(await run('retry', 'nope', mock)).toMatchObject({ level: 'error' });
  });

  it('/copy copies the last reply, or says why it cannot', async () => {
    const clipboard = recordingClipboard();
    const mock = context({ conversation: conversationOf(['a', reply('first')], ['b', reply('the last reply')]), clipboard });
    expect(text(await run('copy', '', mock))).toBe('Copied the last reply (14 characters) with test-clip.');
    expect(clipboard.copied).toEqual(['the last reply']);
    expect(text(await run('copy', '', context()))).toBe('Nothing to copy yet.');
    const none = context({
      conversation: mock.session.conversation,
      clipboard: recordingClipboard({ copied: false, reason: 'no clipboard here' }),
    });
    expect(await run('copy', '', none)).toMatchObject({ level: 'error', text: 'no clipboard here' });
    const osc = context({
      conversation: mock.session.conversation,
      clipboard: recordingClipboard({ copied: true, method: 'the terminal (OSC 52)', uncertain: true }),
    });
    expect(text(await run('copy', '', osc))).toMatch(/^Sent the last reply .* not every terminal accepts it\.$/);
  });

  it('/cost totals tokens and cost per model, and notes unpriced and interrupted replies', async () => {
    expect(text(await run('cost', '', context()))).toBe('No replies yet: nothing spent.');
    const conversation = conversationOf(
      ['a', reply('x')],
      ['b', reply('y', { provider: 'openai', modelId: 'gpt-5-mini', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.00001 })],
      ['c', reply('z', { provider: 'ollama', modelId: 'llama3.2', costUsd: undefined })],
      ['d', reply('partial', { status: 'aborted', usage: undefined, costUsd: undefined })],
    );
    const output = text(await run('cost', '', context({ conversation })));
    expect(output.split('\n')).toEqual([
      'Cost of this conversation',
      '  anthropic:claude-sonnet-4-5  2 replies  100 in  40 out  $0.0009 + 1 without usage (interrupted or not reported)',
      '  openai:gpt-5-mini            1 reply    10 in   5 out   $0.00001',
      '  ollama:llama3.2              1 reply    100 in  40 out  unpriced',
      '  total                        4 replies  210 in  85 out  $0.00091 + 1 unpriced + 1 without usage (interrupted or not reported)',
    ]);
  });

  it('/raw toggles', async () => {
    expect(await run('raw', '', context({ raw: false }))).toEqual({ type: 'set-raw', raw: true });
    expect(await run('raw', '', context({ raw: true }))).toEqual({ type: 'set-raw', raw: false });
  });

  it('/help lists every command with its arguments, and the keys', async () => {
    const output = text(await run('help', '', context()));
    for (const each of builtinCommands) expect(output).toContain(`/${each.name}`);
    expect(output).toMatch(/\/model \[REF\] +switch model/);
    expect(output).toMatch(/Ctrl-C +stop a reply/);
    expect(output).toContain('(also /quit)');
  });

  it('/exit and /quit quit', async () => {
    expect(await run('exit', '', context())).toEqual({ type: 'quit' });
    expect(findCommand(builtinCommands, 'quit')?.name).toBe('exit');
  });
});

describe('command lines and completion', () => {
  it('tells commands from messages; // escapes a leading slash', () => {
    expect(isCommandLine('/model openai')).toBe(true);
    expect(isCommandLine('//etc/hosts is a file')).toBe(false);
    expect(isCommandLine('hello /model')).toBe(false);
    expect(parseCommandLine('/system   be brief  please ')).toEqual({ name: 'system', args: 'be brief  please' });
    expect(findCommand(builtinCommands, 'MODEL')?.name).toBe('model');
  });

  it('completes a command name, lists candidates when several match', async () => {
    const mock = context();
    expect(await completeLine('/mo', builtinCommands, mock)).toEqual({ text: '/mode', candidates: ['/model', '/mode'] });
    expect(await completeLine('/mode', builtinCommands, mock)).toEqual({ text: undefined, candidates: ['/model', '/mode'] });
    expect(await completeLine('/prov', builtinCommands, mock)).toEqual({ text: '/provider ', candidates: [] });
    expect(await completeLine('/r', builtinCommands, mock)).toEqual({
      text: undefined,
      candidates: ['/role', '/resume', '/retry', '/raw'],
    });
    expect(await completeLine('/pe', builtinCommands, mock)).toEqual({ text: '/persona ', candidates: [] });
    expect(await completeLine('hello', builtinCommands, mock)).toEqual({ text: undefined, candidates: [] });
  });

  it('completes arguments through the command: models, personas, ids', async () => {
    const mock = context();
    expect(await completeLine('/model ha', builtinCommands, mock)).toEqual({ text: '/model haiku', candidates: [] });
    expect(await completeLine('/model anthropic:claude-', builtinCommands, mock)).toEqual({
      text: undefined,
      candidates: ['anthropic:claude-sonnet-4-5', 'anthropic:claude-haiku-4-5'],
    });
    expect(await completeLine('/model open', builtinCommands, mock)).toEqual({
      text: '/model openai',
      candidates: ['openai', 'openai:gpt-5-mini'],
    });
    expect(await completeLine('/persona p', builtinCommands, mock)).toEqual({ text: '/persona poet', candidates: [] });
    expect(await completeLine('/clear x', builtinCommands, mock)).toEqual({ text: undefined, candidates: [] });
  });

  it('/set changes max_tokens and temperature for the session, refusing values out of range', async () => {
    const mock = context({ parameters: { temperature: 0.5 } });
    expect(await run('set', '', mock)).toEqual({ type: 'message', level: 'info', text: 'max_tokens default, temperature 0.5' });
    expect(await run('set', 'max_tokens 2000', mock)).toEqual({
      type: 'set-parameters',
      parameters: { temperature: 0.5, maxTokens: 2000 },
      text: 'max_tokens 2000, temperature 0.5',
    });
    expect(await run('set', 'temperature default', mock)).toMatchObject({ parameters: { temperature: undefined } });
    expect(await run('set', 'temperature 3', mock)).toMatchObject({
      level: 'error',
      text: '/set temperature: "3" must be a number from 0 to 2',
    });
    expect(await run('set', 'max_tokens 1.5', mock)).toMatchObject({ level: 'error' });
    expect(await run('set', 'top_p 1', mock)).toMatchObject({ level: 'error' });
  });
});

describe('/edit, /fork, /compress and /attach', () => {
  const talked = () => {
    const mock = context({ conversation: conversationOf(['first', reply('one')], ['second', reply('two')]) });
    mock.session.turns = 2;
    mock.session.lastPrompt = 'second';
    return mock;
  };

  it('/edit TEXT asks it in a new branch; /edit alone puts the last prompt in the editor to change', async () => {
    expect(await run('edit', 'second, differently', talked())).toEqual({ type: 'edit', prompt: 'second, differently' });
    expect(await run('edit', '', talked())).toEqual({ type: 'fill-input', text: '/edit second' });
    expect(text(await run('edit', '', context()))).toBe('Nothing to edit yet: no prompt has been sent.');
  });

  it('/fork takes a turn from 1 to the last (the last when none is given)', async () => {
    expect(await run('fork', '', talked())).toEqual({ type: 'fork', turns: 2 });
    expect(await run('branch', '1', talked())).toEqual({ type: 'fork', turns: 1 });
    expect(text(await run('fork', '3', talked()))).toBe('/fork takes a turn from 1 to 2, got "3"');
    expect(text(await run('fork', '', context()))).toBe('Nothing to fork yet: no prompt has been sent.');
  });

  it('/compress needs two turns', async () => {
    expect(await run('compress', '', talked())).toEqual({ type: 'compress' });
    expect(text(await run('compress', '', context()))).toBe('Nothing to compress: the conversation has fewer than two turns.');
  });

  it('/attach reads through the chat input reader and says what went wrong', async () => {
    const mock = context();
    const read: string[] = [];
    mock.inputs = {
      async read(source) {
        read.push(source);
        if (source === 'missing.txt') throw new Error('missing.txt: no such file');
        return { inputs: [{ kind: 'fragment', label: source, text: 'notes', page: false }], notes: [] };
      },
      withFragments: (_fragments, prompt) => prompt,
    };
    expect(await run('attach', 'notes.md', mock)).toMatchObject({ type: 'attach', source: 'notes.md', inputs: [{ label: 'notes.md' }] });
    expect(text(await run('attach', 'missing.txt', mock))).toContain('missing.txt: no such file');
    expect(text(await run('attach', '', mock))).toBe('/attach needs a path or an http(s) URL');
    expect(read).toEqual(['notes.md', 'missing.txt']);
  });

  it('Tab completes paths after /attach and after an @ in a message', async () => {
    const mock = context();
    const here = (await completeLine('/attach src/ui/commands/branch-c', builtinCommands, mock)).text;
    expect(here).toBe('/attach src/ui/commands/branch-commands.ts');
    expect(await completeLine('look at @src/ui/commands/attach-comm', builtinCommands, mock)).toEqual({
      text: 'look at @src/ui/commands/attach-command.ts',
      candidates: [],
    });
    expect((await completeLine('look at @src/ui/comm', builtinCommands, mock)).text).toBe('look at @src/ui/commands/');
    expect(await completeLine('an email@example', builtinCommands, mock)).toEqual({ text: undefined, candidates: [] });
  });
});
