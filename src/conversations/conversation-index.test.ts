import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendExchange, createConversation, type Conversation } from './index.js';
import { idOfFileName } from './conversation-id.js';
import { INDEX_FILE } from './conversation-index.js';
import { parseConversation } from './parse-conversation.js';
import { createConversationStore, summarize } from './store.js';

let directory: string;
let clock: number;
const now = () => {
  clock += 1000;
  return new Date(clock);
};

beforeEach(() => {
  directory = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-index-')), 'conversations');
  clock = new Date(2026, 10, 1, 9, 0, 0).getTime();
});
afterEach(() => {
  rmSync(path.dirname(directory), { recursive: true, force: true });
});

function exchange(conversation: Conversation, prompt: string): Conversation {
  const reply = {
    provider: 'openai',
    modelId: 'gpt-5',
    text: `re: ${prompt}`,
    finishReason: 'stop' as const,
    usage: { inputTokens: 3, outputTokens: 4 },
    costUsd: 0.01,
    durationMs: 9,
    status: 'ok' as const,
  };
  return appendExchange(conversation, { prompt, reply, now: now() });
}

async function saveSome(count: number): Promise<Conversation[]> {
  const store = createConversationStore(directory, { now });
  const saved: Conversation[] = [];
  for (let n = 1; n <= count; n += 1) {
    saved.push(
      (await store.save(exchange(createConversation({ origin: 'chat', model: 'gpt-5', now: now() }), `question ${n}`))).conversation,
    );
  }
  return saved;
}

/** What `list` must show, read the slow way: every file. */
function fullScan() {
  return readdirSync(directory)
    .filter((name) => idOfFileName(name) !== undefined)
    .map((name) => summarize(parseConversation(readFileSync(path.join(directory, name), 'utf8'))))
    .sort((left, right) => right.updated_at.localeCompare(left.updated_at) || right.id.localeCompare(left.id));
}

const indexFile = () => path.join(directory, INDEX_FILE);

describe('the conversation index', () => {
  it('is written by every save, and lists what a full scan finds', async () => {
    await saveSome(4);
    expect(existsSync(indexFile())).toBe(true);
    const { conversations } = await createConversationStore(directory).list();
    expect(conversations).toEqual(fullScan());
    expect(conversations.map((summary) => summary.title)).toEqual(['question 4', 'question 3', 'question 2', 'question 1']);
  });

  it.each([
    ['deleted', () => unlinkSync(indexFile())],
    ['cut short', () => writeFileSync(indexFile(), readFileSync(indexFile(), 'utf8').slice(0, 40))],
    ['not JSON at all', () => writeFileSync(indexFile(), '\u0000\u0000garbage')],
    ['from another version', () => writeFileSync(indexFile(), JSON.stringify({ v: 99, conversations: [], problems: [] }))],
    ['with a damaged entry', () => writeFileSync(indexFile(), JSON.stringify({ v: 1, conversations: [{ id: 'chat_x' }], problems: [] }))],
  ])('is rebuilt when %s, and the answers match a full scan', async (_, damage) => {
    const saved = await saveSome(3);
    damage();
    const store = createConversationStore(directory);
    expect((await store.list()).conversations).toEqual(fullScan());
    expect((await store.latest())?.id).toBe(saved[2]!.id);
    // Rebuilt on disk too: the next reader reads no conversation file to answer.
    expect(JSON.parse(readFileSync(indexFile(), 'utf8')).conversations).toHaveLength(3);
  });

  it('notices files added or deleted behind its back', async () => {
    const [first, second] = await saveSome(2);
    unlinkSync(path.join(directory, `${first!.id}.json`));
    const copy = { ...second!, id: 'chat_20300101_000000', updated_at: '2030-01-01T00:00:00.000Z', title: 'copied in' };
    writeFileSync(path.join(directory, 'chat_20300101_000000.json'), JSON.stringify(copy));
    const store = createConversationStore(directory);
    const { conversations } = await store.list();
    expect(conversations).toEqual(fullScan());
    expect(conversations.map((summary) => summary.title)).toEqual(['copied in', 'question 2']);
    expect((await store.latest())?.title).toBe('copied in');
  });

  it('re-reads a conversation whose save was killed between the file and the index, and clears the mark', async () => {
    const [only] = await saveSome(1);
    // What a writer killed mid-save leaves: its pending mark, the new file, the old index entry.
    const staleIndex = readFileSync(indexFile(), 'utf8');
    const store = createConversationStore(directory, { now });
    const continued = (await store.save(exchange(await store.load(only!.id!), 'one more'))).conversation;
    writeFileSync(indexFile(), staleIndex);
    writeFileSync(path.join(directory, `.${only!.id}.999999999.pending`), '');
    const { conversations } = await createConversationStore(directory).list();
    expect(conversations).toEqual(fullScan());
    expect(conversations[0]).toMatchObject({ id: continued.id, messages: 4 });
    expect(readdirSync(directory).filter((name) => name.endsWith('.pending'))).toEqual([]);
  });

  it('keeps files that do not parse as problems, and shows a file once it is fixed', async () => {
    const [only] = await saveSome(1);
    const file = path.join(directory, `${only!.id}.json`);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "version": 1, "id": ');
    const store = createConversationStore(directory);
    await store.reindex();
    expect(await store.list()).toMatchObject({ conversations: [], problems: [{ file, reason: expect.stringMatching(/not valid JSON/) }] });
    writeFileSync(file, good);
    expect(await store.list()).toEqual({ conversations: fullScan(), problems: [] });
  });

  it('reindex picks up a conversation edited by hand', async () => {
    const [only] = await saveSome(1);
    const file = path.join(directory, `${only!.id}.json`);
    writeFileSync(file, JSON.stringify({ ...only!, title: 'renamed by hand' }));
    const store = createConversationStore(directory);
    expect(await store.reindex()).toEqual({ conversations: 1, problems: 0 });
    expect((await store.list()).conversations[0]!.title).toBe('renamed by hand');
  });

  it('agrees with a full scan after many saves from stores running at once', async () => {
    const stores = [1, 2, 3, 4].map(() => createConversationStore(directory, { now }));
    await Promise.all(
      stores.map(async (store, n) => {
        let conversation = createConversation({ origin: 'ask', model: 'gpt-5', now: now() });
        for (let round = 0; round < 5; round += 1)
          conversation = (await store.save(exchange(conversation, `w${n} r${round}`))).conversation;
      }),
    );
    const { conversations } = await createConversationStore(directory).list();
    expect(conversations).toEqual(fullScan());
    expect(conversations.map((summary) => summary.messages).sort()).toEqual([10, 10, 10, 10]);
  });
});

describe('an empty store', () => {
  it('is listed without creating the directory or an index', async () => {
    const store = createConversationStore(directory);
    expect(await store.list()).toEqual({ conversations: [], problems: [] });
    expect(await store.latest()).toBeUndefined();
    expect(existsSync(directory)).toBe(false);
  });
});
