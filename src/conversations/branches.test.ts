/** Branches, compression and attachments as the file keeps them, the tree of branches, and search. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conversationTree, renderTree } from './conversation-tree.js';
import {
  appendExchange,
  createConversation,
  forkConversation,
  toModelMessages,
  turnCount,
  type Conversation,
  type ReplyInput,
} from './index.js';
import { toTranscript } from './format-conversation.js';
import { parseConversation } from './parse-conversation.js';
import { searchConversations } from './search-conversations.js';
import { createConversationStore, serialize, summarize } from './store.js';

const schema = z.fromJSONSchema(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../conversations/conversation.schema.json'), 'utf8')),
);

const reply = (text: string, modelId = 'claude-sonnet-4-5'): ReplyInput => ({
  provider: 'anthropic',
  modelId,
  text,
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 20 },
  costUsd: 0.0003,
  durationMs: 100,
  status: 'ok',
});

function talk(...prompts: string[]): Conversation {
  let conversation = createConversation({ origin: 'chat', model: 'anthropic:claude-sonnet-4-5' });
  for (const prompt of prompts) conversation = appendExchange(conversation, { prompt, reply: reply(`answer to ${prompt}`) });
  return conversation;
}

describe('forkConversation', () => {
  it('keeps the first N turns, records the parent, and leaves the original alone', () => {
    const original = { ...talk('one', 'two', 'three'), id: 'chat_20250601_093015' };
    const branch = forkConversation(original, 2, new Date('2025-06-02T00:00:00Z'));
    expect(branch.id).toBeUndefined();
    expect(branch.parent).toEqual({ id: 'chat_20250601_093015', turn: 2 });
    expect(branch.messages.map((message) => message.content)).toEqual(['one', 'answer to one', 'two', 'answer to two']);
    expect(branch.created_at).toBe('2025-06-02T00:00:00.000Z');
    expect(turnCount(original)).toBe(3);
    expect(original.messages).toHaveLength(6);
  });

  it('drops a summary of more messages than the branch keeps', () => {
    const original: Conversation = {
      ...talk('one', 'two', 'three'),
      id: 'chat_20250601_093015',
      compressed: { messages: 4, summary: 'they said one and two', model: 'openai:gpt-4o-mini', created_at: '2025-06-01T00:00:00Z' },
    };
    expect(forkConversation(original, 2).compressed).toBeDefined();
    expect(forkConversation(original, 1).compressed).toBeUndefined();
  });
});

describe('the file format', () => {
  it('round-trips parent, compressed and attachments, and the schema accepts them', () => {
    const conversation: Conversation = {
      ...appendExchange(talk('one'), {
        prompt: 'what is this?',
        reply: reply('a cat'),
        attachments: [{ name: 'cat.png', media_type: 'image/png', bytes: 1234 }],
      }),
      id: 'chat_20250601_093016',
      parent: { id: 'chat_20250601_093015', turn: 1 },
      compressed: { messages: 2, summary: 'they said one', model: 'openai:gpt-4o-mini', created_at: '2025-06-01T00:00:00.000Z' },
    };
    const text = serialize(conversation);
    expect(parseConversation(text)).toEqual(conversation);
    expect(schema.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('shows the parent, the summary and the attachments in the transcript', () => {
    const conversation: Conversation = {
      ...appendExchange(talk(), {
        prompt: 'what is this?',
        reply: reply('a cat'),
        attachments: [{ name: 'cat.png', media_type: 'image/png', bytes: 3 }],
      }),
      id: 'chat_20250601_093016',
      parent: { id: 'chat_20250601_093015', turn: 2 },
      compressed: { messages: 0, summary: 's', model: 'openai:gpt-4o-mini', created_at: '2025-06-01T00:00:00.000Z' },
    };
    const transcript = toTranscript(conversation, (usd) => `$${usd}`);
    expect(transcript).toContain('\nbranched from chat_20250601_093015 after turn 2\n');
    expect(transcript).toContain('\ncompressed: the first 0 messages are sent as a summary by openai:gpt-4o-mini\n');
    expect(transcript).toContain('> what is this?\n  [attached: cat.png (image/png)]');
  });

  it('refuses a summary of more messages than there are', () => {
    const broken = {
      ...talk('one'),
      id: 'chat_20250601_093015',
      compressed: { messages: 9, summary: 's', model: 'm', created_at: '2025-06-01T00:00:00Z' },
    };
    expect(() => parseConversation(serialize(broken))).toThrow('compressed.messages is 9, but there are only 2 messages');
  });
});

describe('toModelMessages', () => {
  it('sends the summary in place of the messages it stands for, after the system prompt', () => {
    const conversation: Conversation = {
      ...talk('one', 'two', 'three'),
      system: { prompt: 'Be brief.', persona: null, role: null, text: 'Be brief.' },
      compressed: { messages: 4, summary: 'they said one and two', model: 'openai:gpt-4o-mini', created_at: '2025-06-01T00:00:00Z' },
    };
    const messages = toModelMessages(conversation);
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'system',
        content: expect.stringMatching(/^The earlier part of this conversation \(4 messages\).*\n\nthey said one and two$/s),
      },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'answer to three' },
    ]);
  });

  it('sends attachments still at hand as parts, and names those that are gone', () => {
    const conversation = appendExchange(talk(), {
      prompt: 'what is this?',
      reply: reply('a cat'),
      attachments: [{ name: 'cat.png', media_type: 'image/png', bytes: 3 }],
    });
    const part = { type: 'image' as const, mediaType: 'image/png', source: { type: 'bytes' as const, data: new Uint8Array([1, 2, 3]) } };
    expect(toModelMessages(conversation, { attachmentsOf: () => [part] })[0]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'what is this?' }, part],
    });
    expect(toModelMessages(conversation)[0]).toEqual({
      role: 'user',
      content: 'what is this?\n\n[attached then, not available now: cat.png (image/png)]',
    });
  });
});

describe('conversationTree', () => {
  const summary = (id: string, parent?: { id: string; turn: number }) => ({
    ...summarize({ ...talk('root question'), id, created_at: `2025-06-01T00:00:0${id.at(-1)}Z` }),
    ...(parent ? { parent } : {}),
  });
  const summaries = [
    summary('chat_20250601_000001'),
    summary('chat_20250601_000002', { id: 'chat_20250601_000001', turn: 1 }),
    summary('chat_20250601_000003', { id: 'chat_20250601_000002', turn: 1 }),
    summary('chat_20250601_000004', { id: 'chat_20250601_000001', turn: 0 }),
    summary('chat_20250601_000005'),
  ];

  it('starts at the oldest saved ancestor and draws every branch, marking the one asked for', () => {
    const tree = conversationTree(summaries, 'chat_20250601_000003')!;
    expect(renderTree(tree, 'chat_20250601_000003', (item) => item.id)).toEqual([
      'chat_20250601_000001',
      '├─ chat_20250601_000002',
      '│  └─ chat_20250601_000003  ◀',
      '└─ chat_20250601_000004',
    ]);
  });

  it('is the conversation alone when it has no branches, and undefined for an unknown id', () => {
    expect(renderTree(conversationTree(summaries, 'chat_20250601_000005')!, '', (item) => item.id)).toEqual(['chat_20250601_000005']);
    expect(conversationTree(summaries, 'chat_20990101_000000')).toBeUndefined();
  });
});

describe('searchConversations', () => {
  let directory: string;
  beforeEach(() => {
    directory = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-search-')), 'conversations');
  });
  afterEach(() => rmSync(path.dirname(directory), { recursive: true, force: true }));

  it('finds a phrase in any case, newest first, with its context; filters by model and time; stops at the limit', async () => {
    const store = createConversationStore(directory);
    const older = appendExchange(talk('How do I read a "Context Window"?'), {
      prompt: 'and then?',
      reply: reply('The context window is the limit.', 'claude-haiku-4-5'),
      now: new Date('2025-06-01T10:00:00Z'),
    });
    await store.save({ ...older, updated_at: '2025-06-01T10:00:00.000Z' });
    await store.save({ ...talk('nothing relevant here'), updated_at: '2025-06-02T10:00:00.000Z' });
    await store.save({ ...talk('the context window again'), updated_at: '2025-06-03T10:00:00.000Z' });
    const { conversations } = await store.list();

    const hits = searchConversations(directory, conversations, 'context window');
    expect(hits.map((hit) => hit.title)).toEqual(['the context window again', 'How do I read a "Context Window"?']);
    const [first] = hits[1]!.matches;
    expect(first).toMatchObject({ message: -1, who: 'title' });
    expect(first!.excerpt.slice(first!.start, first!.end)).toBe('Context Window');
    expect(hits[1]!.matches.map((match) => match.who)).toEqual(['title', 'user', 'anthropic:claude-sonnet-4-5']);
    expect(hits[1]!.total).toBe(4);

    expect(searchConversations(directory, conversations, 'context window', { model: 'anthropic:claude-haiku-4-5' })).toHaveLength(1);
    expect(searchConversations(directory, conversations, 'context window', { since: new Date('2025-06-02T00:00:00Z') })).toHaveLength(1);
    expect(searchConversations(directory, conversations, 'context window', { limit: 1 })).toHaveLength(1);
    expect(searchConversations(directory, conversations, '"context window"')).toHaveLength(1);
    expect(searchConversations(directory, conversations, 'absent phrase')).toEqual([]);
  });
});
