/**
 * End to end in a real terminal (tmux), against the fake providers: a chat that outgrows a small
 * context window is compressed and keeps going with its full history saved; /edit and /fork
 * make branches `llmo conversations tree` shows; /attach and @path (Tab-completed) send files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { llmoBin, makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';
import { hasTmux, killTmuxServer, Terminal, writeLauncher } from './helpers/tmux-terminal.js';

let fake: FakeProviders;
let home: string;

const saved = () => {
  const directory = path.join(home, 'conversations');
  return existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .sort()
        .map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')))
    : [];
};

/** The request bodies sent to OpenAI for one model, in order. */
const openaiBodies = (model: string) =>
  fake
    .requestsFor('openai')
    .map((request) => request.body as { model: string; messages: { role: string; content: unknown }[] })
    .filter((body) => body?.model === model);

describe.skipIf(!hasTmux)('llmo chat: compression, branches and attachments (tmux)', () => {
  const open: Terminal[] = [];
  const start = (...args: string[]) => {
    const launcher = writeLauncher(home, { ...fake.env(), ANTHROPIC_API_KEY: 'test-anthropic-key', OPENAI_API_KEY: 'test-openai-key' });
    const terminal = new Terminal(launcher, ['chat', ...args]);
    open.push(terminal);
    return terminal;
  };

  beforeAll(async () => {
    expect(existsSync(path.join(path.dirname(llmoBin), '..', 'dist', 'cli.js')), 'build first: node scripts/build.mjs').toBe(true);
    fake = await startFakeProviders({ providers: ['anthropic', 'openai'] });
  });
  afterAll(async () => {
    killTmuxServer();
    await fake?.close();
  });
  beforeEach(() => {
    home = makeHome();
    fake.reset();
  });
  afterEach(() => {
    for (const terminal of open.splice(0)) terminal.close();
    removeHome(home);
  });

  it('passes a small context window: older turns are summarised by chat.compress_model, the chat goes on, the file keeps everything; /edit and /fork branch it', {
    timeout: 120_000,
  }, async () => {
    // A model with a 700-token window; summaries come from gpt-4o-mini.
    writeFileSync(
      path.join(home, 'models.yaml'),
      'openai:\n  models:\n    - name: tiny-window\n      context_window: 700\n      max_tokens: 100\n',
    );
    writeFileSync(path.join(home, 'config.yaml'), 'chat:\n  compress_model: openai:gpt-4o-mini\n');
    fake.setDefault('openai', { words: 60 });
    const chat = start('-m', 'openai:tiny-window');
    await chat.waitForText('Ask anything');

    let turn = 0;
    while (!chat.status().includes('compressed')) {
      turn += 1;
      expect(turn, 'compression within eight turns').toBeLessThanOrEqual(8);
      await chat.send(`question number ${turn}`);
      await chat.waitFor(() => saved()[0]?.messages.length === turn * 2 && !/streaming|waiting/.test(chat.status()), `reply ${turn}`);
    }
    expect(chat.screen(200)).toMatch(/compressed: \d+ earlier messages are sent as a summary by openai:gpt-4o-mini/);
    expect(chat.status()).toMatch(/compressed \(\d+ msgs summarised\)/);
    // The summary was asked of the compress model; the chat model was sent the summary instead of the old turns.
    expect(openaiBodies('gpt-4o-mini')).toHaveLength(1);
    const compressedRequest = openaiBodies('tiny-window').at(-1)!;
    expect(compressedRequest.messages[0]).toMatchObject({ role: 'system' });
    expect(String(compressedRequest.messages[0]!.content)).toContain('The earlier part of this conversation');
    expect(JSON.stringify(compressedRequest.messages)).not.toContain('question number 1"');

    // It keeps going, and the file holds every message with the summary beside them.
    turn += 1;
    await chat.send(`question number ${turn}`);
    await chat.waitFor(
      () => saved()[0]?.messages.length === turn * 2 && !/streaming|waiting/.test(chat.status()),
      'the reply after compression',
    );
    const [full] = saved();
    expect(
      full.messages.filter((message: { role: string }) => message.role === 'user').map((message: { content: string }) => message.content),
    ).toEqual(Array.from({ length: turn }, (_, index) => `question number ${index + 1}`));
    expect(full.compressed).toMatchObject({ model: 'openai:gpt-4o-mini' });
    expect(full.compressed.messages).toBeGreaterThan(0);

    // /edit: the last prompt asked differently, in a new branch; the old one stays as it was.
    await chat.send('/edit a different last question');
    await chat.waitFor(() => saved().length === 2 && !/streaming|waiting/.test(chat.status()), 'the edited branch');
    await chat.waitForText('keeps the old prompt');
    const edited = saved().find((conversation) => conversation.id !== full.id);
    expect(edited.parent).toEqual({ id: full.id, turn: turn - 1 });
    expect(edited.messages.at(-2).content).toBe('a different last question');
    expect(edited.messages).toHaveLength(turn * 2);
    expect(saved().find((conversation) => conversation.id === full.id).messages).toHaveLength(turn * 2);

    // /fork 1: a third conversation holding the first turn of the edited one.
    await chat.send('/fork 1');
    await chat.waitFor(() => saved().length === 3, 'the fork');
    const forked = saved().find((conversation) => conversation.id !== full.id && conversation.id !== edited.id);
    expect(forked.parent).toEqual({ id: edited.id, turn: 1 });
    expect(forked.messages).toHaveLength(2);
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);

    const tree = await runLlmo(['conversations', 'tree', forked.id], { home });
    expect(tree.code).toBe(0);
    expect(tree.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(new RegExp(`^${full.id}  question number 1  · ${turn * 2} messages$`)),
      expect.stringMatching(new RegExp(`^└─ ${edited.id}  question number 1  · ${turn * 2} messages · from turn ${turn - 1}$`)),
      expect.stringMatching(new RegExp(`^   └─ ${forked.id}  question number 1  · 2 messages · from turn 1  ◀$`)),
    ]);
  });

  it('sends an /attach-ed image and an @path text file (completed with Tab) with the next prompt', { timeout: 60_000 }, async () => {
    const recording = path.resolve(import.meta.dirname, 'fake-providers/recordings/anthropic/nonstream_image_base64.meta.json');
    const imageData = JSON.parse(readFileSync(recording, 'utf8')).request.body.messages[0].content[1].source.data;
    writeFileSync(path.join(home, 'photo.png'), Buffer.from(imageData, 'base64'));
    writeFileSync(path.join(home, 'notes-for-the-model.md'), 'The meeting is on Tuesday.\n');
    const chat = start();
    await chat.waitForText('Ask anything');

    await chat.send(`/attach ${path.join(home, 'photo.png')}`);
    await chat.waitForText('attached photo.png: it goes with your next message');
    expect(chat.status()).toContain('1 attached');

    chat.type(`what is in the picture, and see @${home}/notes-for`);
    chat.press('Tab');
    await chat.waitForText(`@${home}/notes-for-the-model.md`);
    chat.press('Enter');
    await chat.waitFor(() => saved().length === 1, 'the reply');
    const body = fake.requestsFor('anthropic').at(-1)!.body as { messages: { content: { type: string; text?: string }[] }[] };
    const parts = body.messages.at(-1)!.content;
    expect(parts.map((part) => part.type)).toEqual(['text', 'image']);
    expect(parts[0]!.text).toContain(`<file path="${home}/notes-for-the-model.md">\nThe meeting is on Tuesday.\n</file>`);
    const [conversation] = saved();
    expect(conversation.messages[0].attachments).toEqual([{ name: 'photo.png', media_type: 'image/png', bytes: expect.any(Number) }]);
    chat.press('C-d');
    expect(await chat.waitForExit()).toBe(0);
  });
});
