import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendExchange,
  createConversation,
  createConversationStore,
  type ConversationStore,
  type ReplyInput,
} from '../../conversations/index.js';
import { outcomeItems } from '../hooks/useExchange.js';
import { BudgetError } from '../../errors.js';
import { RateLimitError } from '../../providers/spec.js';
import type { Accounting } from '../../usage/accounting.js';
import { noAccounting } from '../../usage/accounting.js';
import { fakeResolver, startModel, testCatalog, type ScriptedReply } from '../chat.test-support.js';
import { ChatSession, type ExchangeHandlers } from './chat-session.js';

let directory: string;
let store: ConversationStore;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'llmo-session-'));
  store = createConversationStore(directory);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function session(scripts: Record<string, ScriptedReply[]> = {}, accounting: Accounting = noAccounting, fallback: string[] = []) {
  const resolver = fakeResolver(testCatalog(), scripts);
  const services = {
    fallback,
    resolveModel: resolver,
    accounting,
    catalog: testCatalog(),
    store,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  };
  const model = await startModel(services, 'anthropic');
  const chat = new ChatSession(services, { conversation: createConversation({ origin: 'chat', model: model.label }), model });
  return { chat, resolver };
}

function collect(): ExchangeHandlers & { text: string } {
  const handlers = { text: '', onText: (delta: string) => (handlers.text += delta) };
  return handlers;
}

const never = new AbortController().signal;
const replyInput: ReplyInput = {
  provider: 'openai',
  modelId: 'gpt-5-mini',
  text: '',
  finishReason: 'stop',
  usage: undefined,
  costUsd: undefined,
  durationMs: 1,
  status: 'ok',
};
const savedFile = (id: string | undefined) => JSON.parse(readFileSync(path.join(directory, `${id}.json`), 'utf8'));

describe('ChatSession', () => {
  it('keeps an exchange `llmo ask -c` added meanwhile: its next save goes to a new id and says why', async () => {
    const { chat } = await session();
    await chat.ask('from the chat', collect(), never);
    const first = chat.conversation.id!;
    // Another terminal: llmo ask -c continues the latest conversation, which is this one.
    const other = createConversationStore(directory);
    const latest = (await other.latest())!;
    await other.save(
      appendExchange(latest, { prompt: 'from ask', reply: { ...replyInput, text: 'ask answer' }, now: new Date(Date.now() + 1000) }),
    );
    const outcome = await chat.ask('from the chat again', collect(), never);
    expect(chat.conversation.id).not.toBe(first);
    expect(savedFile(first).messages.map((message: { content: string }) => message.content)).toEqual([
      'from the chat',
      'reply from anthropic:claude-sonnet-4-5',
      'from ask',
      'ask answer',
    ]);
    expect(outcomeItems(outcome)).toEqual([
      {
        type: 'info',
        text: `${first} was changed by another llmo since this chat read it (llmo ask -c, or a second chat), so it was left alone; this conversation is now saved as ${chat.conversation.id}`,
      },
    ]);
  });

  it('streams a reply, keeps the exchange and saves it with model, usage and cost', async () => {
    const { chat } = await session({
      'anthropic:claude-sonnet-4-5': [{ chunks: ['Hel', 'lo'], usage: { inputTokens: 1000, outputTokens: 100 } }],
    });
    const handlers = collect();
    const outcome = await chat.ask('Hi there', handlers, never);
    expect(handlers.text).toBe('Hello');
    expect(outcome).toMatchObject({ status: 'ok', kept: true });
    const file = savedFile(chat.conversation.id);
    expect(file.title).toBe('Hi there');
    expect(file.messages[1]).toMatchObject({
      content: 'Hello',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      cost_usd: 0.0045,
      usage: { input_tokens: 1000 },
    });
  });

  it('sends the conversation so far as history, with the system prompt first', async () => {
    const { chat, resolver } = await session();
    chat.setSystem({ prompt: 'Be brief.', persona: null, role: null, text: 'Be brief.' });
    await chat.ask('one', collect(), never);
    await chat.ask('two', collect(), never);
    const model = await resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests[1]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'reply from anthropic:claude-sonnet-4-5' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('keeps a reply stopped mid-way, marked interrupted, and saves it', async () => {
    const { chat } = await session({ 'anthropic:claude-sonnet-4-5': [{ chunks: ['partial ', 'text'], hang: true }] });
    const controller = new AbortController();
    const handlers = collect();
    const pending = chat.ask(
      'long question',
      {
        onText: (delta) => {
          handlers.onText(delta);
          if (handlers.text === 'partial text') controller.abort();
        },
      },
      controller.signal,
    );
    const outcome = await pending;
    expect(outcome).toMatchObject({ status: 'aborted', kept: true });
    expect(savedFile(chat.conversation.id).messages[1]).toMatchObject({ content: 'partial text', interrupted: true, finish_reason: null });
  });

  it('answers from a fallback model when the chat model fails, says so, and records who answered', async () => {
    const { chat } = await session(
      {
        'anthropic:claude-sonnet-4-5': [{ error: new RateLimitError('rate limited', { provider: 'anthropic' }) }],
        'anthropic:claude-haiku-4-5': [{ text: 'from the fallback' }],
      },
      noAccounting,
      ['haiku'],
    );
    const warnings: string[] = [];
    const outcome = await chat.ask('question', { ...collect(), onWarning: (message) => warnings.push(message) }, never);
    expect(outcome).toMatchObject({ status: 'ok', kept: true });
    expect(warnings).toEqual([expect.stringMatching(/^anthropic:claude-sonnet-4-5 failed .*; trying anthropic:claude-haiku-4-5$/)]);
    expect(chat.conversation.messages.map((message) => message.content)).toEqual(['question', 'from the fallback']);
    expect(savedFile(chat.conversation.id).messages[1]).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5' });
  });

  it('keeps nothing when a call fails before any text, and /retry sends the prompt again', async () => {
    const { chat } = await session({
      'anthropic:claude-sonnet-4-5': [{ error: new RateLimitError('rate limited', { provider: 'anthropic' }) }, { text: 'second try' }],
    });
    const failed = await chat.ask('question', collect(), never);
    expect(failed).toMatchObject({ status: 'error', kept: false });
    expect(failed.error).toBeInstanceOf(RateLimitError);
    expect(chat.conversation.messages).toEqual([]);
    expect(chat.retryPrompt()).toBe('question');
    const retried = await chat.retry(collect(), never);
    expect(retried).toMatchObject({ status: 'ok', kept: true });
    expect(chat.conversation.messages.map((message) => message.content)).toEqual(['question', 'second try']);
  });

  it('regenerates the last reply on retry (with another model), replacing it only when a new one arrives', async () => {
    const { chat, resolver } = await session({
      'anthropic:claude-haiku-4-5': [{ error: new RateLimitError('busy', { provider: 'anthropic' }) }, { text: 'from haiku' }],
    });
    await chat.ask('q', collect(), never);
    chat.setModel(await resolver('haiku'));
    const failed = await chat.retry(collect(), never);
    expect(failed).toMatchObject({ status: 'error', kept: false });
    expect(chat.conversation.messages.map((message) => message.content)).toEqual(['q', 'reply from anthropic:claude-sonnet-4-5']);
    const retried = await chat.retry(collect(), never);
    expect(retried).toMatchObject({ kept: true });
    expect(chat.conversation.messages).toHaveLength(2);
    expect(chat.conversation.messages[1]).toMatchObject({ content: 'from haiku', model: 'claude-haiku-4-5' });
    const request = (await resolver.model('anthropic:claude-haiku-4-5')).requests.at(-1)!;
    expect(request.messages).toEqual([{ role: 'user', content: 'q' }]);
  });

  it('turns a budget refusal and a missing key into outcomes, not exceptions', async () => {
    const refusing: Accounting = {
      async checkBudget() {
        throw new BudgetError('daily budget of $1 would be exceeded', { hint: 'raise budgets.daily_usd' });
      },
      async record() {},
    };
    const { chat } = await session({}, refusing);
    expect(await chat.ask('q', collect(), never)).toMatchObject({ status: 'error', kept: false, error: expect.any(BudgetError) });
    // No key for the model the chat started with: each prompt tries again and says so.
    const resolver = fakeResolver();
    resolver.withoutKey('openai');
    const services = {
      resolveModel: resolver,
      accounting: noAccounting,
      catalog: testCatalog(),
      store,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    };
    const keyless = new ChatSession(services, {
      conversation: createConversation({ origin: 'chat', model: 'openai:gpt-5-mini' }),
      model: { label: 'openai:gpt-5-mini', provider: 'openai', modelId: 'gpt-5-mini', info: undefined, resolved: undefined, ref: 'openai' },
    });
    expect((await keyless.ask('q', collect(), never)).error).toMatchObject({ name: 'AuthError', message: 'no API key for openai' });
    expect(keyless.retryPrompt()).toBe('q');
  });

  it('starts a new conversation with the same model and system prompt', async () => {
    const { chat } = await session();
    chat.setSystem({ prompt: 'p', persona: null, role: null, text: 'p' });
    await chat.ask('q', collect(), never);
    const firstId = chat.conversation.id;
    chat.newConversation();
    expect(chat.conversation).toMatchObject({ id: undefined, messages: [], system: { prompt: 'p' }, model: 'anthropic:claude-sonnet-4-5' });
    expect(savedFile(firstId).messages).toHaveLength(2);
  });
});

describe('ChatSession branches and attachments', () => {
  it('/fork keeps the first turns in a new saved conversation with its parent; /edit asks anew in another, leaving both', async () => {
    const { chat, resolver } = await session();
    await chat.ask('one', collect(), never);
    await chat.ask('two', collect(), never);
    const original = chat.conversation.id!;

    const edited = await chat.edit('two, differently', collect(), never);
    expect(edited.kept).toBe(true);
    const branch = chat.conversation;
    expect(branch.id).not.toBe(original);
    expect(branch.parent).toEqual({ id: original, turn: 1 });
    expect(branch.messages.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
      'one',
      'two, differently',
    ]);
    expect(savedFile(original).messages.map((message: { content: string }) => message.content)).toContain('two');
    const model = await resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests.at(-1)!.messages.map((message) => ('content' in message ? message.content : ''))).toEqual([
      'one',
      'reply from anthropic:claude-sonnet-4-5',
      'two, differently',
    ]);

    const forked = await chat.fork(1);
    expect(forked.parent).toBe(branch.id);
    expect(savedFile(chat.conversation.id)).toMatchObject({ parent: { id: branch.id, turn: 1 }, messages: [{ content: 'one' }, {}] });
    expect(savedFile(branch.id).messages).toHaveLength(4);
  });

  it('sends attachments with their prompt and again with later prompts of the session, keeping only their names in the file', async () => {
    const { chat, resolver } = await session();
    const part = { type: 'image' as const, mediaType: 'image/png', source: { type: 'bytes' as const, data: new Uint8Array([1, 2, 3]) } };
    await chat.ask('what is this?', collect(), never, [{ part, stored: { name: 'cat.png', media_type: 'image/png', bytes: 3 } }]);
    await chat.ask('and its colour?', collect(), never);
    const model = await resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'what is this?' }, part] });
    expect(model.requests[1]!.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'what is this?' }, part] });
    expect(savedFile(chat.conversation.id).messages[0].attachments).toEqual([{ name: 'cat.png', media_type: 'image/png', bytes: 3 }]);
  });
});
