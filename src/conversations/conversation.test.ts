import { messageText } from '../providers/spec.js';
import { describe, expect, it } from 'vitest';
import {
  appendExchange,
  createConversation,
  removeLastExchange,
  titleFrom,
  toModelMessages,
  totalUsage,
  usageByModel,
  type ReplyInput,
} from './index.js';
import { baseConversationId, idOfFileName, isConversationId } from './conversation-id.js';
import { parseConversation } from './parse-conversation.js';
import { toMarkdown, toTranscript } from './format-conversation.js';

const reply = (text: string, extra: Partial<ReplyInput> = {}): ReplyInput => ({
  provider: 'openai',
  modelId: 'gpt-5-mini',
  text,
  finishReason: 'stop',
  usage: { inputTokens: 100, outputTokens: 50 },
  costUsd: 0.001,
  durationMs: 800,
  status: 'ok',
  ...extra,
});
const usd = (cost: number | undefined) => (cost === undefined ? 'unpriced' : `$${cost}`);

describe('conversation model', () => {
  it('records model, usage, cost and an interrupted flag per reply, and titles itself from the first prompt', () => {
    let conversation = createConversation({
      origin: 'chat',
      model: 'openai',
      system: { prompt: 'Be brief.', persona: null, role: null, text: 'Be brief.' },
    });
    conversation = appendExchange(conversation, { prompt: '  \nExplain   TCP slow start please\nmore', reply: reply('It ramps up.') });
    conversation = appendExchange(conversation, {
      prompt: 'And congestion avoidance?',
      reply: reply('It grows linearly', { status: 'aborted', finishReason: undefined, usage: undefined, costUsd: undefined }),
      modelRef: 'anthropic:claude-sonnet-4-5',
    });
    expect(conversation.title).toBe('Explain TCP slow start please');
    expect(conversation.model).toBe('anthropic:claude-sonnet-4-5');
    expect(conversation.messages[3]).toMatchObject({
      role: 'assistant',
      content: 'It grows linearly',
      interrupted: true,
      finish_reason: null,
      usage: null,
      cost_usd: null,
    });
    expect(toModelMessages(conversation)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: '  \nExplain   TCP slow start please\nmore' },
      { role: 'assistant', content: 'It ramps up.' },
      { role: 'user', content: 'And congestion avoidance?' },
      { role: 'assistant', content: 'It grows linearly' },
    ]);
    expect(toModelMessages(conversation, { includeSystem: false })[0]!.role).toBe('user');
    expect(totalUsage(conversation.messages)).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      costUsd: 0.001,
      replies: 2,
      unpricedReplies: 0,
      unreportedReplies: 1,
    });
  });

  it('keeps a failed reply with its error, and skips empty replies when building the next request', () => {
    let conversation = createConversation({ origin: 'ask', model: 'openai' });
    conversation = appendExchange(conversation, { prompt: 'q1', reply: reply('', { status: 'aborted' }) });
    conversation = appendExchange(conversation, {
      prompt: 'q2',
      reply: reply('half', { status: 'error', error: { name: 'ProviderUnavailableError', message: 'socket hang up' } }),
    });
    expect(conversation.messages[3]).toMatchObject({ error: { kind: 'ProviderUnavailableError', message: 'socket hang up' } });
    expect(toModelMessages(conversation).map((message) => messageText(message))).toEqual(['q2', 'half']);
  });

  it('removes the last exchange for /retry and hands back its prompt', () => {
    const conversation = appendExchange(createConversation({ origin: 'chat', model: 'x' }), { prompt: 'again?', reply: reply('no') });
    const removed = removeLastExchange(conversation);
    expect(removed?.prompt).toBe('again?');
    expect(removed?.conversation.messages).toEqual([]);
    expect(removeLastExchange(removed!.conversation)).toBeUndefined();
  });

  it('sums usage per model in the order models were used', () => {
    let conversation = createConversation({ origin: 'chat', model: 'x' });
    conversation = appendExchange(conversation, { prompt: 'a', reply: reply('1') });
    conversation = appendExchange(conversation, {
      prompt: 'b',
      reply: reply('2', { provider: 'anthropic', modelId: 'claude-haiku-4-5', costUsd: undefined }),
    });
    conversation = appendExchange(conversation, { prompt: 'c', reply: reply('3') });
    const byModel = usageByModel(conversation.messages);
    expect([...byModel.keys()]).toEqual(['openai:gpt-5-mini', 'anthropic:claude-haiku-4-5']);
    expect(byModel.get('openai:gpt-5-mini')).toMatchObject({ inputTokens: 200, outputTokens: 100, costUsd: 0.002, replies: 2 });
    expect(byModel.get('anthropic:claude-haiku-4-5')).toMatchObject({ costUsd: undefined, unpricedReplies: 1 });
  });

  it('cuts long titles at a word', () => {
    expect(titleFrom('word '.repeat(30))).toMatch(/^(word ){11}word…$/);
    expect(titleFrom('x'.repeat(80))).toBe(`${'x'.repeat(60)}…`);
  });
});

describe('conversation ids', () => {
  it('formats local time and recognises only its own shape', () => {
    expect(baseConversationId(new Date(2024, 0, 2, 3, 4, 5))).toBe('chat_20240102_030405');
    expect(isConversationId('chat_20240102_030405_12')).toBe(true);
    expect(isConversationId('chat_20240102_030405/../x')).toBe(false);
    expect(idOfFileName('chat_20240102_030405.json')).toBe('chat_20240102_030405');
    expect(idOfFileName('.chat_20240102_030405.json.1.tmp')).toBeUndefined();
  });
});

describe('parseConversation', () => {
  const valid = () => {
    const conversation = appendExchange(createConversation({ origin: 'chat', model: 'x' }), { prompt: 'p', reply: reply('r') });
    return { ...conversation, id: 'chat_20240102_030405' };
  };

  it('round-trips what the model produces', () => {
    const conversation = valid();
    expect(parseConversation(JSON.stringify(conversation))).toEqual(conversation);
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /must be an object/],
    [JSON.stringify({ ...valid(), version: 2 }), /unsupported version 2/],
    [JSON.stringify({ ...valid(), id: 'x' }), /id "x" is not/],
    [JSON.stringify({ ...valid(), messages: [{ role: 'tool', content: '', created_at: '2024-01-01T00:00:00Z' }] }), /messages\[0\]\.role/],
    [JSON.stringify({ ...valid(), updated_at: 'yesterday' }), /updated_at must be an ISO 8601 time/],
  ])('rejects %s', (text, reason) => {
    expect(() => parseConversation(text)).toThrow(reason);
  });
});

describe('tool calls', () => {
  const call = (id: string, path: string) => ({ id, name: 'fs.read_file', arguments: { path } });
  const withTools = () =>
    appendExchange(createConversation({ origin: 'ask', model: 'gemini' }), {
      prompt: 'what is in a and b?',
      toolSteps: [
        {
          reply: reply('Reading.', { provider: 'gemini', modelId: 'gemini-2.5-flash', finishReason: 'tool-calls' }),
          toolCalls: [{ ...call('g1', 'a'), providerMetadata: { gemini: { thoughtSignature: 'sig' } } }, call('g2', 'b')],
          results: [
            { toolCallId: 'g1', name: 'fs.read_file', content: 'A', durationMs: 12 },
            { toolCallId: 'g2', name: 'fs.read_file', content: 'ENOENT', isError: true, durationMs: 3 },
          ],
        },
      ],
      reply: reply('a holds A; b is missing.', { provider: 'gemini', modelId: 'gemini-2.5-flash' }),
    });

  it('keeps each call with its result, and round-trips through the file', () => {
    const conversation = { ...withTools(), id: 'chat_20240102_030405' };
    expect(conversation.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(conversation.messages[1]).toMatchObject({
      finish_reason: 'tool-calls',
      tool_calls: [
        { id: 'g1', name: 'fs.read_file', arguments: { path: 'a' }, result: { content: 'A', is_error: false, duration_ms: 12 } },
        { id: 'g2', result: { content: 'ENOENT', is_error: true } },
      ],
    });
    expect(parseConversation(JSON.stringify(conversation))).toEqual(conversation);
    expect(totalUsage(conversation.messages)).toMatchObject({ inputTokens: 200, outputTokens: 100, costUsd: 0.002 });
  });

  it('gives the next model the calls and results in the vendor-neutral shape, whoever made them', () => {
    expect(toModelMessages(withTools()).slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Reading.',
        toolCalls: [{ ...call('g1', 'a'), providerMetadata: { gemini: { thoughtSignature: 'sig' } } }, call('g2', 'b')],
      },
      {
        role: 'tool',
        results: [
          { toolCallId: 'g1', name: 'fs.read_file', content: 'A' },
          { toolCallId: 'g2', name: 'fs.read_file', content: 'ENOENT', isError: true },
        ],
      },
      { role: 'assistant', content: 'a holds A; b is missing.' },
    ]);
  });

  it('keeps an exchange a tool limit stopped (no answer), and /retry removes every step of it', () => {
    const stopped = appendExchange(withTools(), {
      prompt: 'again',
      toolSteps: [{ reply: reply('', { finishReason: 'tool-calls' }), toolCalls: [call('c1', 'a')], results: [] }],
      reply: undefined,
    });
    expect(stopped.messages.at(-1)).toMatchObject({ tool_calls: [{ id: 'c1', result: { is_error: true } }] });
    expect(toModelMessages(stopped).at(-1)).toEqual({
      role: 'tool',
      results: [{ toolCallId: 'c1', name: 'fs.read_file', content: 'llmo did not run this call', isError: true }],
    });
    const removed = removeLastExchange(stopped)!;
    expect(removed.prompt).toBe('again');
    expect(removed.conversation.messages).toHaveLength(3);
    expect(removeLastExchange(removed.conversation)!.conversation.messages).toEqual([]);
  });

  it('shows each call in the transcript and the Markdown export', () => {
    const conversation = { ...withTools(), id: 'chat_20240102_030405' };
    expect(toTranscript(conversation, usd)).toContain(
      'Reading.\n→ fs.read_file {"path":"a"} → 1 character\n→ fs.read_file {"path":"b"} → error: ENOENT',
    );
    expect(toMarkdown(conversation, usd)).toContain('- `→ fs.read_file {"path":"b"} → error: ENOENT`');
  });

  it('rejects a malformed tool call', () => {
    const conversation = { ...withTools(), id: 'chat_20240102_030405' };
    const broken = JSON.parse(JSON.stringify(conversation));
    delete broken.messages[1].tool_calls[0].result;
    expect(() => parseConversation(JSON.stringify(broken))).toThrow('messages[1].tool_calls[0].result must be an object');
  });
});

describe('formatting', () => {
  it('exports Markdown with the system prompt, each speaker and an interrupted note', () => {
    let conversation = createConversation({
      origin: 'chat',
      model: 'openai',
      system: { prompt: 'Be brief.', persona: 'developer', role: null, text: null },
    });
    conversation = appendExchange(conversation, { prompt: 'Hi', reply: reply('Hello **there**') });
    conversation = appendExchange(conversation, { prompt: 'More', reply: reply('Par', { status: 'aborted' }) });
    const markdown = toMarkdown({ ...conversation, id: 'chat_20240102_030405' }, usd);
    expect(markdown).toContain('# Hi\n');
    expect(markdown).toContain('- persona: developer');
    expect(markdown).toContain('## System\n\n> Be brief.');
    expect(markdown).toContain('## You\n\nHi\n\n## openai:gpt-5-mini\n\nHello **there**');
    expect(markdown).toContain('Par\n\n_interrupted: the reply above is partial_');
    const transcript = toTranscript({ ...conversation, id: 'chat_20240102_030405' }, usd);
    expect(transcript).toContain('chat_20240102_030405  Hi');
    expect(transcript).toContain('> More');
    expect(transcript).toContain('[openai:gpt-5-mini · 100 in / 50 out · $0.001 · 0.8 s]\nHello **there**');
    expect(transcript).toContain('[interrupted: the reply above is partial]');
  });
});
