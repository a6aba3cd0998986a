/**
 * End to end: `llmo ask` saves its exchanges as conversations, `-c`/`--resume` continue them,
 * and `llmo conversations list|show|export|delete` read them back — against the fake providers,
 * through the built CLI.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({ providers: ['anthropic', 'openai'] });
const llmo = (...args: string[]) => e2e.run(args, { env: { ANTHROPIC_API_KEY: 'test-anthropic-key', OPENAI_API_KEY: 'test-openai-key' } });
const conversationsDir = () => path.join(e2e.home, 'conversations');
// The conversation files (the index beside them is tested in test/conversation-index.test.ts).
const files = () =>
  existsSync(conversationsDir())
    ? readdirSync(conversationsDir())
        .filter((name) => !name.startsWith('.'))
        .sort()
    : [];
const readConversation = (id: string) => JSON.parse(readFileSync(path.join(conversationsDir(), `${id}.json`), 'utf8'));

async function askJson(...args: string[]) {
  const result = await llmo('ask', '--json', ...args);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { text: string; conversation_id: string | null; provider: string; model: string };
}

describe('llmo ask saves conversations', () => {
  it('saves an exchange, and -c continues the latest conversation with its history', async () => {
    const first = await askJson('-m', 'anthropic', 'What is a monad?');
    expect(first.conversation_id).toMatch(/^chat_\d{8}_\d{6}$/);
    expect(files()).toEqual([`${first.conversation_id}.json`]);
    const saved = readConversation(first.conversation_id!);
    expect(saved).toMatchObject({ version: 1, id: first.conversation_id, title: 'What is a monad?', origin: 'ask' });
    expect(saved.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'What is a monad?' }),
      expect.objectContaining({
        role: 'assistant',
        content: first.text,
        provider: 'anthropic',
        finish_reason: 'stop',
        usage: expect.objectContaining({ output_tokens: expect.any(Number) }),
      }),
    ]);
    expect(saved.messages[1].cost_usd).toBeGreaterThan(0);

    const second = await askJson('-m', 'openai', '-c', 'And a functor?');
    expect(second.conversation_id).toBe(first.conversation_id);
    const request = e2e.fake.requestsFor('openai').at(-1)!;
    const sent = JSON.stringify(request.body);
    expect(sent).toContain('What is a monad?');
    expect(sent).toContain(first.text);
    const continued = readConversation(first.conversation_id!);
    expect(continued.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(continued.messages[3]).toMatchObject({ provider: 'openai', content: second.text });
  });

  it("-c and --resume carry on with the conversation's own model unless -m names another", async () => {
    // The default model is anthropic's; the conversation was begun on openai.
    const first = await askJson('-m', 'openai', 'Hello');
    const continued = await askJson('-c', 'Again');
    expect(continued.provider).toBe('openai');
    const resumed = await askJson('--resume', first.conversation_id!, 'And again');
    expect(resumed.provider).toBe('openai');
    const switched = await askJson('-m', 'anthropic', '-c', 'Now you');
    expect(switched.provider).toBe('anthropic');
    expect(e2e.fake.requests.map((request) => request.provider)).toEqual(['openai', 'openai', 'openai', 'anthropic']);
  });

  it('--resume continues a given conversation; --no-save and ask.save: false save nothing', async () => {
    const first = await askJson('-m', 'anthropic', 'one');
    await askJson('-m', 'anthropic', 'two'); // now the latest
    const resumed = await askJson('-m', 'anthropic', '--resume', first.conversation_id!, 'three');
    expect(resumed.conversation_id).toBe(first.conversation_id);
    expect(readConversation(first.conversation_id!).messages).toHaveLength(4);

    const before = files();
    const unsaved = await askJson('-m', 'anthropic', '--no-save', 'not kept');
    expect(unsaved.conversation_id).toBeNull();
    writeFileSync(path.join(e2e.home, 'config.yaml'), 'ask:\n  save: false\n');
    expect((await askJson('-m', 'anthropic', 'not kept either')).conversation_id).toBeNull();
    expect(files()).toEqual(before);
  });

  it('--resume with an unknown id fails with exit 2 before calling the model', async () => {
    const result = await llmo('ask', '-m', 'anthropic', '--resume', 'chat_19990101_000000', 'hello');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('llmo: no conversation "chat_19990101_000000"');
    expect(result.stderr).toContain('llmo conversations list shows their ids');
    expect(e2e.fake.requests).toHaveLength(0);
  });
});

describe('llmo conversations', () => {
  it('list shows the newest 50 unless --limit or --all says otherwise, and says what it left out', async () => {
    const ids: string[] = [];
    for (const question of ['first question', 'second question', 'third question'])
      ids.push((await askJson('-m', 'anthropic', question)).conversation_id!);
    // The ids in the table's first column (one id may be the start of another: chat_…_2).
    const listed = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(' ')[0]);
    const two = await llmo('conversations', 'list', '--limit', '2');
    expect(two.code).toBe(0);
    expect(listed(two.stdout)).toEqual([ids[2], ids[1]]);
    expect(two.stderr).toBe('showing the newest 2 of 3; --limit N or --all shows more\n');
    const all = await llmo('conversations', 'list', '--all');
    expect(listed(all.stdout)).toEqual([ids[2], ids[1], ids[0]]);
    expect(all.stderr).toBe('');
    expect(JSON.parse((await llmo('conversations', 'list', '--json', '--limit', '1')).stdout).map((row: { id: string }) => row.id)).toEqual(
      [ids[2]],
    );
    expect((await llmo('conversations', 'list', '--limit', '0')).code).toBe(2);
  });

  it('lists conversations even when config.yaml is broken: listing reads no configuration', async () => {
    const id = (await askJson('-m', 'anthropic', 'kept question')).conversation_id!;
    writeFileSync(path.join(e2e.home, 'config.yaml'), 'main_llm: [unclosed\n');
    const list = await llmo('conversations', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id);
    expect((await llmo('ask', '-m', 'anthropic', 'hi')).code).toBe(3);
  });

  it('lists, shows, exports and deletes conversations', async () => {
    const saved = await askJson('-m', 'anthropic', 'Plan a **trip**\nto Lisbon');
    const id = saved.conversation_id!;

    const list = await llmo('conversations', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID +UPDATED +MSGS +COST +MODEL +TITLE/);
    expect(list.stdout).toMatch(
      new RegExp(`${id} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +2 +\\$[0-9.]+ +anthropic\\S* +Plan a \\*\\*trip\\*\\*`),
    );

    const json = JSON.parse((await llmo('conversations', 'list', '--json')).stdout);
    expect(json).toEqual([
      expect.objectContaining({ id, title: 'Plan a **trip**', origin: 'ask', messages: 2, cost_usd: expect.any(Number) }),
    ]);

    const show = await llmo('conversations', 'show', id);
    expect(show.stdout).toContain(`${id}  Plan a **trip**`);
    expect(show.stdout).toContain('> Plan a **trip**\n  to Lisbon');
    expect(show.stdout).toContain(saved.text);

    const markdown = await llmo('conversations', 'export', id, '--format', 'md');
    expect(markdown.stdout).toMatch(/^# Plan a \*\*trip\*\*\n/);
    expect(markdown.stdout).toContain(`## You\n\nPlan a **trip**\nto Lisbon\n\n## anthropic:`);
    const exported = JSON.parse((await llmo('conversations', 'export', id, '--format', 'json')).stdout);
    expect(exported).toEqual(readConversation(id));
    expect((await llmo('conversations', 'show', 'latest')).stdout).toContain(id);

    const bad = await llmo('conversations', 'export', id, '--format', 'pdf');
    expect(bad.code).toBe(2);

    const deleted = await llmo('conversations', 'delete', id.slice(0, -2));
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain(`deleted ${id}`);
    expect(files()).toEqual([]);
    const gone = await llmo('conversations', 'show', id);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`llmo: no conversation "${id}"`);
  });

  it('reports a corrupt file and skips it without touching it; ask -c continues the latest readable one', async () => {
    const saved = await askJson('-m', 'anthropic', 'good one');
    const corrupt = path.join(conversationsDir(), 'chat_20990101_000000.json');
    writeFileSync(corrupt, '{"version": 1, "id": "chat_20990101_000000", "messages": [');
    const list = await llmo('conversations', 'list');
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/warning: skipped .*chat_20990101_000000\.json: not valid JSON/);
    expect(list.stdout).toContain(saved.conversation_id);
    expect(list.stdout).not.toContain('chat_20990101_000000');

    const continued = await askJson('-m', 'anthropic', '-c', 'still there?');
    expect(continued.conversation_id).toBe(saved.conversation_id);
    expect(readFileSync(corrupt, 'utf8')).toBe('{"version": 1, "id": "chat_20990101_000000", "messages": [');

    const show = await llmo('conversations', 'show', 'chat_20990101_000000');
    expect(show.code).toBe(3);
    expect(show.stderr).toContain('conversation chat_20990101_000000 cannot be read: not valid JSON');
    expect(show.stderr).toContain('llmo conversations delete chat_20990101_000000');
  });

  it('ask -c says when the newest conversation file cannot be read, and what it continues instead', async () => {
    const older = await askJson('-m', 'anthropic', 'the older one');
    const newest = await askJson('-m', 'anthropic', 'the newest one');
    const newestFile = path.join(conversationsDir(), `${newest.conversation_id}.json`);
    writeFileSync(newestFile, readFileSync(newestFile, 'utf8').slice(0, 40));
    const continued = await llmo('ask', '--json', '-m', 'anthropic', '-c', 'and now?');
    expect(continued.code).toBe(0);
    expect(continued.stderr).toContain(`the newest conversation file, ${newestFile}, cannot be read (not valid JSON`);
    expect(continued.stderr).toContain(`; continuing ${older.conversation_id}, the newest one that can`);
    expect(JSON.parse(continued.stdout).conversation_id).toBe(older.conversation_id);

    // Nothing readable at all: it says it starts afresh instead of continuing.
    const olderFile = path.join(conversationsDir(), `${older.conversation_id}.json`);
    writeFileSync(olderFile, '{');
    writeFileSync(newestFile, '{');
    const fresh = await llmo('ask', '-m', 'anthropic', '--no-save', '-c', 'anyone?');
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(
      /the newest conversation file, .*\.json, cannot be read \(not valid JSON.*\); not continuing it; starting a new conversation/,
    );
  });

  it('says so when there is nothing saved yet', async () => {
    const list = await llmo('conversations', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('');
    expect(list.stderr).toContain('no saved conversations yet');
    expect(JSON.parse((await llmo('conversations', 'list', '--json')).stdout)).toEqual([]);
  });
});
