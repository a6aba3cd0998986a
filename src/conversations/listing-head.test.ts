/**
 * `newest(limit)` answers from a small head file while the conversations directory has not
 * changed since a check found the index right, and never from a head that might be stale.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendExchange, createConversation, type Conversation } from './index.js';
import { HEAD_SIZE, headFile } from './listing-head.js';
import { createConversationStore } from './store.js';

let directory: string;
beforeEach(() => {
  directory = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-head-')), 'conversations');
});
afterEach(() => {
  rmSync(path.dirname(directory), { recursive: true, force: true });
});

let clock = Date.UTC(2026, 0, 1);
/** A second later at every call, so each save gets its own id. */
function tick(): Date {
  clock += 1000;
  return new Date(clock);
}
const store = () => createConversationStore(directory, { now: tick });

function conversation(title: string): Conversation {
  return appendExchange(createConversation({ origin: 'ask', model: 'openai:gpt-4o-mini' }), {
    prompt: title,
    reply: {
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      text: 'ok',
      finishReason: 'stop',
      usage: undefined,
      costUsd: 0,
      durationMs: 1,
      status: 'ok',
    },
  });
}

async function saveAll(titles: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const title of titles) ids.push((await store().save(conversation(title))).conversation.id!);
  return ids;
}

/** The directory as a user's is most of the time: last changed a while ago. */
function settle(): void {
  const past = new Date(Date.now() - 60_000);
  utimesSync(directory, past, past);
}

const titles = async (limit: number) => (await store().newest(limit)).conversations.map((summary) => summary.title);

describe('the listing head', () => {
  it('is written by a check of a settled directory, answers the same as a full listing, and counts them all', async () => {
    await saveAll(['one', 'two', 'three']);
    settle();
    expect(await titles(2)).toEqual(['three', 'two']);
    expect(existsSync(headFile(directory))).toBe(true);
    const fromHead = await store().newest(2);
    expect(fromHead.conversations.map((summary) => summary.title)).toEqual(['three', 'two']);
    expect(fromHead.total).toBe(3);
    expect((await store().list()).conversations.slice(0, 2)).toEqual(fromHead.conversations);
    // Read from the head, not the directory: what the head says is what comes back.
    const head = JSON.parse(readFileSync(headFile(directory), 'utf8'));
    head.newest[0].title = 'as the head has it';
    writeFileSync(headFile(directory), JSON.stringify(head));
    expect(await titles(1)).toEqual(['as the head has it']);
  });

  it('is not trusted after a save, a delete or a file copied in by hand', async () => {
    const [first] = await saveAll(['one', 'two']);
    settle();
    await titles(5);
    await saveAll(['three']);
    expect(await titles(5)).toEqual(['three', 'two', 'one']);
    settle();
    await titles(5);
    await store().remove(first!);
    expect(await titles(5)).toEqual(['three', 'two']);
    settle();
    await titles(5);
    const [file] = readdirSync(directory).filter((name) => name.startsWith('chat_'));
    const copy = JSON.parse(readFileSync(path.join(directory, file!), 'utf8')) as Conversation;
    writeFileSync(
      path.join(directory, 'chat_20270101_000000.json'),
      JSON.stringify({ ...copy, id: 'chat_20270101_000000', title: 'copied', updated_at: '2027-01-01T00:00:00.000Z' }),
    );
    expect(await titles(5)).toEqual(['copied', 'three', 'two']);
  });

  it('is never written by a check that began within a timestamp tick of the last change (a change then would not show)', async () => {
    await saveAll(['one']);
    // The directory changed "now" as far as the check can tell: a file copied in within the same
    // tick leaves the mtime where it was, so the check must not vouch for it.
    const pinned = new Date(Date.now() + 60_000);
    utimesSync(directory, pinned, pinned);
    await titles(5);
    expect(existsSync(headFile(directory))).toBe(false);
    const [file] = readdirSync(directory).filter((name) => name.startsWith('chat_'));
    const copy = JSON.parse(readFileSync(path.join(directory, file!), 'utf8')) as Conversation;
    writeFileSync(
      path.join(directory, 'chat_20270101_000000.json'),
      JSON.stringify({ ...copy, id: 'chat_20270101_000000', title: 'copied', updated_at: '2027-01-01T00:00:00.000Z' }),
    );
    utimesSync(directory, pinned, pinned);
    expect(await titles(5)).toEqual(['copied', 'one']);
  });

  it('waits 2 s on a file system that keeps whole seconds, 100 ms on one that keeps nanoseconds', async () => {
    await saveAll(['one']);
    const wholeSecond = new Date(Math.floor(Date.now() / 1000) * 1000);
    utimesSync(directory, wholeSecond, wholeSecond);
    await titles(5);
    expect(existsSync(headFile(directory))).toBe(false);
    const fine = new Date(Date.now() - 1500.5);
    utimesSync(directory, fine, fine);
    await titles(5);
    expect(existsSync(headFile(directory))).toBe(true);
  });

  it('ignores and replaces a damaged head, and lists in full past the head', async () => {
    await saveAll(['one', 'two']);
    settle();
    await titles(5);
    writeFileSync(headFile(directory), '{"v":1,"newest":');
    expect(await titles(5)).toEqual(['two', 'one']);
    expect(JSON.parse(readFileSync(headFile(directory), 'utf8'))).toMatchObject({ total: 2 });
    expect((await store().newest(HEAD_SIZE + 1)).total).toBe(2);
  });
});
