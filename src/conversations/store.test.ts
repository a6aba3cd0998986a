import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendExchange, createConversation, type Conversation, type ReplyInput } from './index.js';
import { createConversationStore } from './store.js';

const schemaFile = path.resolve(import.meta.dirname, '../../conversations/conversation.schema.json');
const schema = z.fromJSONSchema(JSON.parse(readFileSync(schemaFile, 'utf8')));

const reply = (text: string, extra: Partial<ReplyInput> = {}): ReplyInput => ({
  provider: 'anthropic',
  modelId: 'claude-sonnet-4-5',
  text,
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 20 },
  costUsd: 0.00033,
  durationMs: 1200,
  status: 'ok',
  ...extra,
});

function conversationWith(prompt: string, text = 'an answer'): Conversation {
  return appendExchange(createConversation({ origin: 'chat', model: 'sonnet' }), { prompt, reply: reply(text) });
}

let directory: string;
const fixedNow = new Date(2025, 5, 1, 9, 30, 15);

beforeEach(() => {
  directory = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-store-')), 'conversations');
});
/** The conversation files in the store's directory (not its index). */
const conversationFiles = () => readdirSync(directory).filter((name) => name.startsWith('chat_'));

afterEach(() => {
  rmSync(path.dirname(directory), { recursive: true, force: true });
});

describe('conversation store', () => {
  it('saves a new conversation as chat_YYYYMMDD_HHMMSS.json that the schema accepts, and loads it back', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    const { conversation, file } = await store.save(conversationWith('What is a monad?'));
    expect(conversation.id).toBe('chat_20250601_093015');
    expect(path.basename(file)).toBe('chat_20250601_093015.json');
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(schema.safeParse(onDisk).success).toBe(true);
    expect(onDisk.title).toBe('What is a monad?');
    expect(onDisk.messages[1]).toMatchObject({
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: 10, output_tokens: 20 },
      cost_usd: 0.00033,
    });
    expect(await store.load('chat_20250601_093015')).toEqual(conversation);
  });

  it('sweeps away the temp files of writers that died mid-save', async () => {
    mkdirSync(directory, { recursive: true });
    // A pid above any pid_max: that writer is gone.
    const orphan = path.join(directory, '.chat_20250601_093015.json.99999999.0badc0de.tmp');
    writeFileSync(orphan, '{"half":');
    await createConversationStore(directory, { now: () => fixedNow }).save(conversationWith('hello'));
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('saves tool calls and their results in a shape the schema accepts, and loads them back', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    const withTools = appendExchange(createConversation({ origin: 'ask', model: 'anthropic' }), {
      prompt: 'read it',
      toolSteps: [
        {
          reply: reply('Reading.', { finishReason: 'tool-calls' }),
          toolCalls: [{ id: 'toolu_1', name: 'fs.read_file', arguments: { path: 'README.md' } }],
          results: [{ toolCallId: 'toolu_1', name: 'fs.read_file', content: '# llmo', durationMs: 4 }],
        },
      ],
      reply: reply('It is the llmo README.'),
    });
    const { conversation, file } = await store.save(withTools);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(schema.safeParse(onDisk).success).toBe(true);
    expect(schema.safeParse({ ...onDisk, messages: [{ ...onDisk.messages[1], tool_calls: [{ id: 'x' }] }] }).success).toBe(false);
    expect(await store.load(conversation.id!)).toEqual(conversation);
  });

  it('gives conversations started within the same second ids ending _2, _3', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    const saved = await Promise.all([1, 2, 3].map((n) => store.save(conversationWith(`question ${n}`))));
    expect(saved.map((result) => result.conversation.id).sort()).toEqual([
      'chat_20250601_093015',
      'chat_20250601_093015_2',
      'chat_20250601_093015_3',
    ]);
    const titles = await Promise.all(saved.map(async (result) => (await store.load(result.conversation.id!)).title));
    expect(titles.sort()).toEqual(['question 1', 'question 2', 'question 3']);
  });

  it('writes through a temp file and rename: no temp files remain and the file is private', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    const first = await store.save(conversationWith('one'));
    const second = appendExchange(first.conversation, { prompt: 'two', reply: reply('second answer') });
    await store.save(second);
    // Besides the conversation, only the index: no temp file, lock or pending mark is left.
    expect(readdirSync(directory).sort()).toEqual(['.index.json', 'chat_20250601_093015.json']);
    expect((await store.load('chat_20250601_093015')).messages).toHaveLength(4);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
  });

  it('never shows a reader a half-written file while saves replace it', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    let { conversation, file } = await store.save(conversationWith('big', 'x'.repeat(200_000)));
    let writing = true;
    const reads: boolean[] = [];
    const reader = (async () => {
      while (writing) {
        try {
          JSON.parse(readFileSync(file, 'utf8'));
          reads.push(true);
        } catch {
          reads.push(false);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let round = 0; round < 30; round += 1) {
      conversation = (await store.save(appendExchange(conversation, { prompt: `q${round}`, reply: reply('y'.repeat(20_000)) })))
        .conversation;
    }
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every(Boolean)).toBe(true);
    expect((await store.load(conversation.id!)).messages).toHaveLength(62);
  });

  it('lists newest first, and reports a corrupt file instead of failing', async () => {
    let clock = fixedNow.getTime();
    const tick = () => {
      clock += 1000;
      return clock;
    };
    const store = createConversationStore(directory, { now: () => new Date(tick()) });
    const older = await store.save({ ...conversationWith('older'), updated_at: '2025-06-01T08:00:00.000Z' });
    const newer = await store.save({ ...conversationWith('newer'), updated_at: '2025-06-01T09:00:00.000Z' });
    writeFileSync(path.join(directory, 'chat_20240101_000000.json'), '{ "version": 1, "id": ');
    writeFileSync(path.join(directory, 'notes.txt'), 'not a conversation');
    const { conversations, problems } = await store.list();
    expect(conversations.map((summary) => summary.id)).toEqual([newer.conversation.id, older.conversation.id]);
    expect(conversations[0]).toMatchObject({ title: 'newer', messages: 2, cost_usd: 0.00033, model: 'sonnet' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/chat_20240101_000000\.json$/);
    expect(problems[0]!.reason).toMatch(/not valid JSON/);
    expect((await store.latest())?.id).toBe(newer.conversation.id);
  });

  it('never overwrites a file it cannot parse: the save goes to a new id and says so', async () => {
    const store = createConversationStore(directory, { now: () => fixedNow });
    const first = await store.save(conversationWith('one'));
    writeFileSync(first.file, 'garbage the user cares about');
    const result = await store.save(appendExchange(first.conversation, { prompt: 'two', reply: reply('x') }));
    expect(result.forkedFrom).toBe(first.conversation.id);
    expect(result.forkReason).toBe('unreadable');
    expect(result.conversation.id).not.toBe(first.conversation.id);
    expect(readFileSync(first.file, 'utf8')).toBe('garbage the user cares about');
    expect((await store.load(result.conversation.id!)).messages).toHaveLength(4);
  });

  it('never writes over an exchange another llmo saved since this store read the conversation', async () => {
    let clock = fixedNow.getTime();
    const tick = () => {
      clock += 1000;
      return clock;
    };
    const now = () => new Date(tick());
    const chat = createConversationStore(directory, { now });
    const opened = await chat.save(conversationWith('chat question'));
    // Meanwhile, in another terminal: `llmo ask -c` continues the same (latest) conversation.
    const ask = createConversationStore(directory, { now });
    const latest = (await ask.latest())!;
    const asked = await ask.save(appendExchange(latest, { prompt: 'ask question', reply: reply('ask answer'), now: now() }));
    expect(asked.forkedFrom).toBeUndefined();
    await chat.list(); // looking at the list is not reading the conversation to carry it on
    const next = await chat.save(appendExchange(opened.conversation, { prompt: 'second chat question', reply: reply('b'), now: now() }));
    expect(next).toMatchObject({ forkedFrom: opened.conversation.id, forkReason: 'changed' });
    expect((await chat.load(opened.conversation.id!)).messages.map((message) => message.content)).toEqual([
      'chat question',
      'an answer',
      'ask question',
      'ask answer',
    ]);
    expect((await chat.load(next.conversation.id!)).messages.map((message) => message.content)).toEqual([
      'chat question',
      'an answer',
      'second chat question',
      'b',
    ]);
    // From then on the chat saves under its new id, quietly.
    const third = await chat.save(appendExchange(next.conversation, { prompt: 'third', reply: reply('c'), now: now() }));
    expect(third.forkedFrom).toBeUndefined();
    expect(third.conversation.id).toBe(next.conversation.id);
  });

  it('refuses to load a corrupt file with a message naming it, and can delete it', async () => {
    const store = createConversationStore(directory);
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      path.join(directory, 'chat_20240101_000000.json'),
      JSON.stringify({ version: 1, id: 'chat_20240101_000000', messages: 'nope' }),
    );
    await expect(store.load('chat_20240101_000000')).rejects.toThrow(/cannot be read: .*must be/);
    expect(await store.remove('chat_20240101_000000')).toBe('chat_20240101_000000');
    expect(conversationFiles()).toEqual([]);
  });

  it('finds a conversation by a unique prefix or with .json, and says when a prefix is ambiguous or unknown', async () => {
    let clock = fixedNow.getTime();
    const tick = () => {
      clock += 1000;
      return clock;
    };
    const store = createConversationStore(directory, { now: () => new Date(tick()) });
    await store.save(conversationWith('a'));
    await store.save(conversationWith('b'));
    expect(await store.resolveId('chat_20250601_093016.json')).toBe('chat_20250601_093016');
    await expect(store.resolveId('chat_20250601_0930')).rejects.toThrow(/matches 2 conversations/);
    await expect(store.load('chat_19990101')).rejects.toThrow(/no conversation "chat_19990101"/);
    await expect(store.load('../../etc/passwd')).rejects.toThrow(/no conversation/);
  });

  it('lists nothing (and no problems) when the directory does not exist yet', async () => {
    const store = createConversationStore(path.join(directory, 'missing'));
    expect(await store.list()).toEqual({ conversations: [], problems: [] });
    expect(await store.latest()).toBeUndefined();
  });
});
