import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendExchange, createConversation, type Conversation } from '../conversations/index.js';
import { RateLimitError, messageText } from '../providers/spec.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { App, type AppControls } from './App.js';
import {
  fakeResolver,
  memoryStore,
  recordingClipboard,
  renderInk,
  startModel,
  testCatalog,
  testServices,
  type ScriptedReply,
  type TestServicesOptions,
} from './chat.test-support.js';
import { ServicesProvider } from './contexts/ServicesContext.js';
import { functionHost } from '../orchestrator/tool-host.test-support.js';
import { ToolPolicy } from '../orchestrator/tool-policy.js';
import type { ChatTools } from './session/chat-session.js';
import type { NewHistoryItem } from './history.js';
import type { MarkdownRenderer } from './markdown/load-markdown.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const KEYS = {
  enter: '\r',
  altEnter: '\u001b\r',
  up: '\u001b[A',
  down: '\u001b[B',
  tab: '\t',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  escape: '\u001b',
};

/** Brackets each rendered piece, so a test can see what was rendered together. */
const bracket: MarkdownRenderer = (text) => `⟦${text}⟧`;

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount();
});

interface OpenOptions extends TestServicesOptions {
  scripts?: Record<string, ScriptedReply[]>;
  conversation?: Conversation;
  notices?: NewHistoryItem[];
  rows?: number;
}

async function openChat(options: OpenOptions = {}) {
  const resolver = fakeResolver(testCatalog(), options.scripts ?? {});
  const store = options.store ?? memoryStore();
  const services = testServices({ ...options, resolver, store });
  const model = await startModel(services, 'anthropic');
  const conversation = options.conversation ?? createConversation({ origin: 'chat', model: model.label });
  const controls: { current: AppControls | undefined } = { current: undefined };
  const app = renderInk(
    <ServicesProvider services={services}>
      <App start={{ conversation, model, notices: options.notices ?? [] }} controls={controls} />
    </ServicesProvider>,
    { columns: 100, rows: options.rows ?? 30 },
  );
  mounted.push(app);
  const frame = () => app.lastFrame();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await delay(15);
    }
  };
  // Generous: a positive signal on a busy machine may take a while, and costs nothing when it comes.
  const waitFor = async (check: string | RegExp | (() => boolean), timeout = 15_000) => {
    await vi.waitFor(
      () => {
        if (typeof check === 'function') expect(check()).toBe(true);
        else if (typeof check === 'string') expect(frame()).toContain(check);
        else expect(frame()).toMatch(check);
      },
      { timeout, interval: 10 },
    );
  };
  const send = async (text: string) => {
    await press(text, KEYS.enter);
  };
  await waitFor('llmo chat');
  return { app, services, resolver, store: store as ReturnType<typeof memoryStore>, frame, press, send, waitFor, controls };
}

/** The status line (the last line of the frame). */
const statusOf = (frame: string) => frame.split('\n').at(-1)!;

describe('<App>: asking', () => {
  it('streams a reply under the model label, then shows tokens and cost on the status line', async () => {
    const chat = await openChat({
      scripts: {
        'anthropic:claude-sonnet-4-5': [
          { chunks: ['Hello ', 'from ', 'the ', 'model.'], delayMs: 60, usage: { inputTokens: 1200, outputTokens: 34 } },
        ],
      },
    });
    expect(chat.frame()).toContain('llmo chat · anthropic:claude-sonnet-4-5 · /help lists commands · Ctrl-D quits');
    await chat.send('What is up?');
    await chat.waitFor(/anthropic:claude-sonnet-4-5 ([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting|● streaming) \d+\.\ds/);
    await chat.waitFor('Hello from');
    await chat.waitFor('model.');
    await chat.waitFor(() => !chat.frame().includes('streaming'));
    const frame = chat.frame();
    expect(frame).toContain('› What is up?\n\n◆ anthropic:claude-sonnet-4-5\n  Hello from the model.');
    expect(statusOf(frame)).toBe('anthropic:claude-sonnet-4-5 · last 1,200 in / 34 out · total 1,200 in / 34 out · $0.00411');
    expect(chat.store.saved.at(-1)!.messages.map((message) => message.content)).toEqual(['What is up?', 'Hello from the model.']);
  });

  it('moves finished paragraphs to the scrollback while the rest streams, rendering each once', async () => {
    const renders: string[] = [];
    const spy: MarkdownRenderer = (text, width) => {
      renders.push(text);
      return bracket(text, width);
    };
    const chunks = ['First paragraph.\n\n', 'Second ', 'paragraph ', 'grows ', 'slowly ', 'over ', 'many ', 'frames.'];
    const chat = await openChat({ markdown: spy, scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks, delayMs: 70 }] } });
    await chat.send('Two paragraphs please');
    await chat.waitFor('⟦First paragraph.⟧');
    const rendersOfFirst = () => renders.filter((text) => text.includes('First paragraph.')).length;
    const afterSplit = rendersOfFirst();
    await chat.waitFor('⟦Second paragraph grows slowly over many frames.⟧');
    expect(rendersOfFirst()).toBe(afterSplit); // printed once, never re-rendered
    expect(renders.filter((text) => text.startsWith('Second')).length).toBeGreaterThan(2); // the pending part re-renders
    expect(chat.frame()).toContain('◆ anthropic:claude-sonnet-4-5\n  ⟦First paragraph.⟧\n\n  ⟦Second paragraph');
  });

  it('keeps a streaming reply within the terminal height, showing its end', async () => {
    const lines = Array.from({ length: 80 }, (_, index) => `line ${index + 1}`);
    const chat = await openChat({ rows: 20, scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks: [lines.join('\n')], hang: true }] } });
    await chat.send('long');
    await chat.waitFor('line 80');
    // The live part (from the pending reply's label down) stays shorter than the terminal.
    const live = chat.frame().slice(chat.frame().lastIndexOf('◆'));
    expect(live).toContain('↑ earlier lines appear in full when the reply completes');
    expect(live.split('\n').length).toBeLessThan(20);
    await chat.press(KEYS.ctrlC);
    await chat.waitFor('interrupted');
    expect(chat.frame()).toContain('line 1\n'); // all of it in the scrollback once done
  });

  it('moves a reply sent as one long paragraph to the scrollback line by line while it streams, reading as one paragraph', async () => {
    const words = Array.from({ length: 3000 }, (_, index) => `w${index}`);
    const chunks = Array.from({ length: 60 }, (_, index) => `${words.slice(index * 50, index * 50 + 50).join(' ')} `);
    const chat = await openChat({ rows: 20, scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks, delayMs: 10, hang: true }] } });
    await chat.send('one long paragraph');
    // The start is in the scrollback while the reply still streams: the live area, shorter than
    // the screen, shows only its end, so before this change the start came only with the end.
    await chat.waitFor(() => chat.frame().includes('w1500 ') && chat.frame().includes('Ctrl-C stops'));
    expect(chat.frame()).toContain('\n  w0 w1 w2 ');
    await chat.waitFor('w2999');
    await chat.press(KEYS.ctrlC);
    await chat.waitFor('interrupted');
    const frame = chat.frame();
    const lines = frame.slice(frame.indexOf('  w0 '), frame.indexOf('w2999') + 5).split('\n');
    // Laid out as one paragraph: no blank line between pieces, and each line full (its next word would not fit).
    expect(lines.map((line) => line.trim()).join(' ')).toBe(words.join(' '));
    for (const [index, line] of lines.slice(0, -1).entries())
      expect(line.length + 1 + lines[index + 1]!.trim().split(' ')[0]!.length).toBeGreaterThan(100);
    expect(frame.match(/◆ anthropic/g)).toHaveLength(1);
  });

  it('a prompt sent before the screen caught up with the one before waits in the editor: one exchange at a time', async () => {
    const chat = await openChat({ scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks: ['first ', 'answer'], delayMs: 40 }] } });
    // Four reads in a row, before React re-renders (a fast typist, a script, tmux send-keys).
    for (const key of ['first question', KEYS.enter, 'second question', KEYS.enter]) chat.app.stdin.write(key);
    await chat.waitFor('first answer');
    await chat.waitFor(() => !chat.frame().includes('streaming'));
    expect(chat.frame()).toContain('› second question\n'); // still in the editor, not sent
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests).toHaveLength(1);
    await chat.press(KEYS.enter);
    await chat.waitFor('reply from anthropic:claude-sonnet-4-5');
    expect(chat.store.saved.at(-1)!.messages.map((message) => message.content)).toEqual([
      'first question',
      'first answer',
      'second question',
      'reply from anthropic:claude-sonnet-4-5',
    ]);
  });

  it('shows a provider error with what to do, gives the prompt back, and carries on', async () => {
    const chat = await openChat({
      scripts: {
        'anthropic:claude-sonnet-4-5': [
          { error: new RateLimitError('rate limit exceeded', { provider: 'anthropic', requestId: 'req_42' }) },
        ],
      },
    });
    await chat.send('Are you there?');
    await chat.waitFor('✗ anthropic: rate limit exceeded (request id req_42)');
    expect(chat.frame()).toContain('→ still rate-limited after retrying: wait a little and /retry, or /model to switch');
    await chat.waitFor('› Are you there?\n'); // back in the prompt, ready to resend
    await chat.press(KEYS.enter);
    await chat.waitFor('reply from anthropic:claude-sonnet-4-5');
  });

  it('gives a failed prompt back selected: typing replaces it', async () => {
    const chat = await openChat({
      scripts: { 'anthropic:claude-sonnet-4-5': [{ error: new RateLimitError('rate limit exceeded', { provider: 'anthropic' }) }] },
    });
    await chat.send('Are you there?');
    await chat.waitFor('› Are you there?\n');
    await chat.press('N', 'e', 'w');
    await chat.waitFor('› New');
    expect(chat.frame()).not.toContain('Are you there?New');
    await chat.press(KEYS.enter);
    await chat.waitFor('reply from anthropic:claude-sonnet-4-5');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests.at(-1)!.messages.at(-1)).toEqual({ role: 'user', content: 'New' });
  });

  it('says why Enter waits while a reply streams, and sends nothing until it is done', async () => {
    const chat = await openChat({ scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks: ['slow ', 'answer'], delayMs: 400 }] } });
    await chat.send('first');
    await chat.waitFor('slow');
    await chat.send('second');
    await chat.waitFor('a reply is still streaming: press Enter again when it is done, or Ctrl-C to stop it');
    await chat.waitFor(() => !chat.frame().includes('streaming'));
    expect(chat.frame()).toContain('› second\n');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests).toHaveLength(1);
  });

  it('says a retry is coming where it can be read in full, then shows the reply', async () => {
    const vendorMessage =
      'Rate limit reached for requests per minute in organization org-123 on tokens per min (TPM): Limit 30000, Used 29000';
    const chat = await openChat({
      retry: { retries: 2, baseDelayMs: 0, maxDelayMs: 0 },
      scripts: {
        'anthropic:claude-sonnet-4-5': [
          { error: new RateLimitError(vendorMessage, { provider: 'anthropic', retryAfterMs: 400 }) },
          { text: 'Made it.' },
        ],
      },
    });
    await chat.send('Busy?');
    await chat.waitFor(/anthropic:claude-sonnet-4-5 [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] retrying \(1 of 2\) \d+\.\ds · Ctrl-C stops$/);
    expect(chat.frame().replace(/\n +/g, ' ')).toContain(`anthropic: ${vendorMessage}; retrying in 0.4 s (attempt 1 of 2)`); // wrapped, not cut
    await chat.waitFor('◆ anthropic:claude-sonnet-4-5\n  Made it.');
  });

  it('shows a startup notice (no key) and the model can be switched', async () => {
    const chat = await openChat({ notices: [{ type: 'error', text: 'no API key for anthropic', hint: 'set ANTHROPIC_API_KEY' }] });
    expect(chat.frame()).toContain('✗ no API key for anthropic\n    → set ANTHROPIC_API_KEY');
  });
});

describe('<App>: keys', () => {
  it('Ctrl-C while a reply streams stops it and keeps the partial text, marked interrupted and saved', async () => {
    const chat = await openChat({
      scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks: ['The beginning ', 'of a long answer'], delayMs: 20, hang: true }] },
    });
    await chat.send('Tell me everything');
    await chat.waitFor('of a long answer');
    expect(statusOf(chat.frame())).toContain('Ctrl-C stops');
    await chat.press(KEYS.ctrlC);
    await chat.waitFor('⏹ interrupted: the partial reply above is kept');
    expect(chat.frame()).toContain('  The beginning of a long answer\n  ⏹ interrupted');
    const saved = chat.store.saved.at(-1)!;
    expect(saved.messages[1]).toMatchObject({ content: 'The beginning of a long answer', interrupted: true });
    expect(chat.app.hasExited()).toBe(false);
  });

  it('Ctrl-C on an empty prompt asks for a second press, which quits; with text it clears the line', async () => {
    const chat = await openChat();
    await chat.press('some text');
    await chat.press(KEYS.ctrlC);
    await chat.waitFor(() => !chat.frame().includes('some text'));
    expect(chat.app.hasExited()).toBe(false);
    await chat.press(KEYS.ctrlC);
    await chat.waitFor('press Ctrl-C again to quit');
    expect(chat.app.hasExited()).toBe(false);
    await chat.press(KEYS.ctrlC);
    await chat.app.exit;
  });

  it('Ctrl-D quits, stopping and saving a reply in progress; the last frame shows how it ended', async () => {
    const chat = await openChat({ scripts: { 'anthropic:claude-sonnet-4-5': [{ chunks: ['partial'], hang: true }] } });
    await chat.send('q');
    await chat.waitFor('partial');
    await chat.press(KEYS.ctrlD);
    await chat.app.exit;
    expect(chat.store.saved.at(-1)!.messages[1]).toMatchObject({ content: 'partial', interrupted: true });
    // What stays on the terminal after llmo has gone: the reply marked, no live prompt or spinner.
    const last = chat.frame();
    expect(last).toContain('  partial\n  ⏹ interrupted: the partial reply above is kept');
    expect(last).not.toMatch(/streaming|Ctrl-C stops|Ask anything/);
  });

  it('Ctrl-D while a command is on its way to a reply quits without sending anything more', async () => {
    const chat = await openChat();
    await chat.send('question');
    await chat.waitFor('reply from anthropic:claude-sonnet-4-5');
    const resolve = chat.services.resolveModel;
    // a vendor module still loading
    let loaded: Promise<unknown> = Promise.resolve();
    chat.services.resolveModel = (ref) => {
      const pending = delay(150).then(() => resolve(ref));
      loaded = pending;
      return pending;
    };
    await chat.send('/retry haiku');
    await chat.press(KEYS.ctrlD);
    await chat.app.exit;
    // Once the model has loaded, a request would go out at once if it ever did.
    await loaded;
    await new Promise((done) => setImmediate(done));
    expect((await chat.resolver.model('anthropic:claude-haiku-4-5')).requests).toHaveLength(0);
  });

  it('enters several lines with a trailing backslash or Alt+Enter, and sends them as one prompt', async () => {
    const chat = await openChat();
    await chat.press('first \\', KEYS.enter, 'second', KEYS.altEnter, 'third');
    await chat.waitFor('› first\n  second\n  third');
    await chat.press(KEYS.enter);
    await chat.waitFor('reply from');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'first \nsecond\nthird' });
  });

  it('keeps the newlines of a paste instead of sending each line', async () => {
    const chat = await openChat();
    await chat.press('\u001b[200~', 'line one\rline two\r', '\u001b[201~');
    await chat.press('\u001b[200~', 'x\r', '\u001b[201~'); // a paste split so a line break arrives alone
    await chat.waitFor('› line one\n  line two\n  x\n');
    await chat.press('a\rb'); // a terminal without bracketed paste: one chunk with a line break inside
    await chat.waitFor('  a\n  b');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests).toHaveLength(0);
  });

  it('acts on editing keys that arrive in one read with others, and never puts control characters in the prompt', async () => {
    const chat = await openChat();
    await chat.press('hello');
    await chat.press('\u007f\u007f'); // Backspace held down on a slow link
    await chat.waitFor('› hel\n');
    await chat.press('\u0015abc'); // Ctrl-U, then typing, from a script
    await chat.waitFor('› abc\n');
    await chat.press('\u0007d', KEYS.enter); // a bell is dropped
    await chat.waitFor('reply from');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'abcd' });
  });

  it('keeps a pasted file taller than the terminal to a window of the prompt, so the screen is not redrawn whole', async () => {
    const chat = await openChat({ rows: 20 });
    const file = Array.from({ length: 60 }, (_, index) => `source line ${index}`).join('\r');
    await chat.press('\u001b[200~', file, '\u001b[201~', ' what does this do?');
    await chat.waitFor('source line 59 what does this do?');
    const live = chat.frame().slice(chat.frame().indexOf('↑'));
    expect(live).toMatch(/^↑ \d+ more lines\n/);
    expect(live.split('\n').length).toBeLessThan(20);
    expect(chat.app.frames.some((frame) => frame.includes('\u001b[2J'))).toBe(false);
    await chat.press(KEYS.enter);
    await chat.waitFor('reply from');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(messageText(model.requests[0]!.messages.at(-1)!)).toMatch(/^source line 0\n[\s\S]*\nsource line 59 what does this do\?$/);
  });

  it('recalls earlier prompts with up and down', async () => {
    const chat = await openChat();
    await chat.send('first question');
    await chat.waitFor('reply from');
    await chat.send('second question');
    await chat.waitFor(() => chat.frame().split('reply from').length === 3);
    await chat.press(KEYS.up);
    await chat.waitFor(/› second question\n\n?anthropic/);
    await chat.press(KEYS.up);
    await chat.waitFor(/› first question\n\n?anthropic/);
    await chat.press(KEYS.down, KEYS.down);
    await chat.waitFor('Ask anything');
  });

  it('acts on every arrow key of a burst that arrives in one read', async () => {
    const chat = await openChat();
    await chat.send('first question');
    await chat.waitFor('reply from');
    await chat.send('second question');
    await chat.waitFor(() => chat.frame().split('reply from').length === 3);
    await chat.press(`${KEYS.up}${KEYS.up}`); // key repeat over a slow link, or tmux send-keys
    await chat.waitFor(/› first question\n\n?anthropic/);
    await chat.press(`${KEYS.down}${KEYS.down}${KEYS.up}`);
    await chat.waitFor(/› second question\n\n?anthropic/);
    await chat.press('\u001b[D\u001b[D\u001b[DX');
    await chat.waitFor(/› second questXion\n\n?anthropic/);
  });

  it('suggests commands as you type a slash, and Tab completes names and arguments', async () => {
    const chat = await openChat();
    await chat.press('/');
    await chat.waitFor(/\/model \[REF\] +switch model/);
    // /mode and /model share "mode": Tab goes as far as they agree, then one letter more decides.
    await chat.press('mo', KEYS.tab);
    await chat.waitFor(/› \/mode\s*\n/);
    await chat.press('l', KEYS.tab);
    await chat.waitFor(/› \/model\s*\n/);
    await chat.press('anthropic:claude-', KEYS.tab);
    await chat.waitFor('  anthropic:claude-sonnet-4-5\n  anthropic:claude-haiku-4-5');
    await chat.press('h', KEYS.tab);
    await chat.waitFor('› /model anthropic:claude-haiku-4-5');
    await chat.press(KEYS.enter);
    await chat.waitFor('switched to anthropic:claude-haiku-4-5');
  });
});

describe('<App>: slash commands', () => {
  it('/help lists the commands', async () => {
    const chat = await openChat();
    await chat.send('/help');
    await chat.waitFor('Commands');
    expect(chat.frame()).toMatch(/\/retry \[REF\] +regenerate the last reply/);
    expect(chat.frame()).toMatch(/Ctrl-D +quit/);
    // At 100 columns a long description wraps under itself, not under the command names.
    expect(chat.frame()).toMatch(
      / {4}\/model \[REF\] {9}switch model \(provider:model, alias or provider name\); lists models when\n {25}empty\n/,
    );
  });

  it('/model lists models and switches; the next reply comes from the new model', async () => {
    const chat = await openChat();
    await chat.send('/model');
    await chat.waitFor(/\* +anthropic:claude-sonnet-4-5 +sonnet/);
    await chat.send('/model openai');
    await chat.waitFor('switched to openai:gpt-5-mini');
    expect(statusOf(chat.frame())).toMatch(/^openai:gpt-5-mini/);
    await chat.send('hi');
    await chat.waitFor('◆ openai:gpt-5-mini\n  reply from openai:gpt-5-mini');
    await chat.send('/model nonsense');
    await chat.waitFor('✗ unknown model or alias "nonsense"');
  });

  it('/provider lists providers and switches to a default model', async () => {
    const chat = await openChat();
    await chat.send('/provider');
    await chat.waitFor(/\* +anthropic +default claude-sonnet-4-5/);
    await chat.send('/provider ollama');
    await chat.waitFor('switched to ollama:llama3.2 (unpriced)');
  });

  it('/system, /persona and /role change the system prompt sent with the next request', async () => {
    const chat = await openChat();
    await chat.send('/persona poet');
    await chat.waitFor('System prompt (persona poet):\n  You answer in verse.');
    await chat.send('/role critique');
    await chat.send('/system Keep it short.');
    await chat.waitFor('System prompt (persona poet + role critique + your text)');
    await chat.send('/persona');
    await chat.waitFor('Persona: poet. Available: developer, poet');
    await chat.send('hello');
    await chat.waitFor('reply from');
    const model = await chat.resolver.model('anthropic:claude-sonnet-4-5');
    expect(model.requests[0]!.messages[0]).toEqual({
      role: 'system',
      content: 'You answer in verse.\n\nCritique the input.\n\nKeep it short.',
    });
    expect(chat.store.saved.at(-1)!.system).toMatchObject({ persona: 'poet', role: 'critique', text: 'Keep it short.' });
  });

  it('says so when the conversation cannot be saved after a system prompt change', async () => {
    const chat = await openChat();
    await chat.send('hello');
    await chat.waitFor('reply from');
    chat.store.save = async () => {
      throw new Error('EACCES: permission denied');
    };
    await chat.send('/system Be brief.');
    await chat.waitFor(
      '✗ could not save the conversation: EACCES: permission denied\n    → it stays in memory: /save tries again, /save PATH.json saves it elsewhere',
    );
  });

  it('a disk-full save is never reported as saved; /save PATH.json keeps the exchange elsewhere', async () => {
    const chat = await openChat();
    chat.store.save = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    await chat.send('hello');
    await chat.waitFor('✗ could not save the conversation: ENOSPC');
    // What the process prints on exit depends on this: "not saved", never "saved as".
    expect(chat.controls.current?.unsaved()?.message).toContain('ENOSPC');
    const directory = mkdtempSync(path.join(tmpdir(), 'llmo-save-'));
    try {
      const target = path.join(directory, 'rescued.json');
      await chat.send(`/save ${target}`);
      await chat.waitFor(`Saved to ${target}`);
      expect(JSON.parse(readFileSync(target, 'utf8')).messages[0].content).toBe('hello');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('/clear starts a new conversation on a cleared screen', async () => {
    const chat = await openChat();
    await chat.send('old question');
    await chat.waitFor('reply from');
    const firstId = chat.store.saved.at(-1)!.id;
    await chat.send('/clear');
    await chat.waitFor('new conversation');
    // The screen was cleared and the scrollback starts again (test frames keep all static output).
    expect(chat.app.frames.some((frame) => frame.startsWith('\u001b[2J'))).toBe(true);
    const redrawn = chat.frame().slice(chat.frame().lastIndexOf('llmo chat'));
    expect(redrawn).not.toContain('old question');
    expect(redrawn).toContain('new conversation');
    // The status line forgets the old conversation's figures too.
    expect(redrawn).not.toMatch(/last [\d,]+ in|total [\d,]+ in/);
    await chat.send('new question');
    await chat.waitFor('reply from');
    expect(chat.store.saved.at(-1)!.id).not.toBe(firstId);
    expect(chat.store.saved.at(-1)!.messages[0]!.content).toBe('new question');
  });

  it('/save saves under a title', async () => {
    const chat = await openChat();
    await chat.send('/save');
    await chat.waitFor('Nothing to save yet');
    await chat.send('q');
    await chat.waitFor('reply from');
    await chat.send('/save Trip planning');
    await chat.waitFor(/saved as chat_\d+_\d+ “Trip planning” \(\/memory\/chat_/);
    expect(chat.store.saved.at(-1)!.title).toBe('Trip planning');
  });

  it('/load picks a conversation from a list and shows its history; /load ID loads directly', async () => {
    const earlier = appendExchange(createConversation({ origin: 'ask', model: 'openai:gpt-5-mini' }), {
      prompt: 'What did we say about tests?',
      reply: {
        provider: 'openai',
        modelId: 'gpt-5-mini',
        text: 'Write them first.',
        finishReason: 'stop',
        usage: undefined,
        costUsd: undefined,
        durationMs: 5,
        status: 'ok',
      },
    });
    const other = {
      ...createConversation({ origin: 'chat', model: 'x' }),
      id: 'chat_20240101_000000',
      title: 'Other',
      updated_at: '2024-01-01T00:00:00Z',
    };
    const store = memoryStore([{ ...earlier, id: 'chat_20250301_101010' }, other]);
    const chat = await openChat({ store });
    await chat.send('/load');
    await chat.waitFor('Load a conversation (2; ↑↓ Enter, Esc cancels)');
    expect(chat.frame()).toContain('› chat_20250301_101010  What did we say about tests?');
    await chat.press(KEYS.down, KEYS.up, KEYS.enter);
    await chat.waitFor('› What did we say about tests?\n\n◆ openai:gpt-5-mini\n  Write them first.');
    expect(chat.frame()).toContain('continuing chat_20250301_101010');
    expect(statusOf(chat.frame())).toMatch(/^openai:gpt-5-mini/); // carries on with the model it used
    await chat.send('/load chat_2024');
    await chat.waitFor('continuing chat_20240101_000000 “Other”');
    expect(chat.frame()).toContain('keeping openai:gpt-5-mini: unknown model or alias "x"');
    await chat.send('/load');
    await chat.press(KEYS.escape);
    await chat.waitFor('Ask anything');
  });

  it('/retry regenerates the last reply, with another model when named', async () => {
    const chat = await openChat({ scripts: { 'anthropic:claude-sonnet-4-5': [{ text: 'first answer' }, { text: 'second answer' }] } });
    await chat.send('/retry');
    await chat.waitFor('Nothing to retry yet.');
    await chat.send('question');
    await chat.waitFor('first answer');
    await chat.send('/retry');
    await chat.waitFor('second answer');
    await chat.send('/retry haiku');
    await chat.waitFor('◆ anthropic:claude-haiku-4-5\n  reply from anthropic:claude-haiku-4-5');
    const saved = chat.store.saved.at(-1)!;
    expect(saved.messages.map((message) => message.content)).toEqual(['question', 'reply from anthropic:claude-haiku-4-5']);
  });

  it('/copy puts the last reply on the clipboard', async () => {
    const clipboard = recordingClipboard();
    const chat = await openChat({ clipboard });
    await chat.send('/copy');
    await chat.waitFor('Nothing to copy yet.');
    await chat.send('q');
    await chat.waitFor('reply from');
    await chat.send('/copy');
    await chat.waitFor('Copied the last reply (38 characters) with test-clip.');
    expect(clipboard.copied).toEqual(['reply from anthropic:claude-sonnet-4-5']);
  });

  it('/cost shows tokens and cost per model', async () => {
    const chat = await openChat({
      scripts: { 'anthropic:claude-sonnet-4-5': [{ text: 'a', usage: { inputTokens: 1000, outputTokens: 1000 } }] },
    });
    await chat.send('q');
    await chat.waitFor('◆');
    await chat.send('/cost');
    await chat.waitFor('Cost of this conversation\n    anthropic:claude-sonnet-4-5  1 reply  1,000 in  1,000 out  $0.018'); // counts as the status line writes them
  });

  it('/cost still counts a reply that /retry replaced: it was paid for', async () => {
    const chat = await openChat({
      scripts: {
        'anthropic:claude-sonnet-4-5': [
          { text: 'first', usage: { inputTokens: 1000, outputTokens: 1000 } },
          { text: 'second', usage: { inputTokens: 1000, outputTokens: 1000 } },
        ],
      },
    });
    await chat.send('q');
    await chat.waitFor('first');
    await chat.send('/retry');
    await chat.waitFor('second');
    await chat.send('/cost');
    await chat.waitFor('anthropic:claude-sonnet-4-5  2 replies  2,000 in  2,000 out  $0.036');
    expect(chat.frame()).toContain('(counting 1 reply replaced by /retry)');
    expect(statusOf(chat.frame())).toContain('total 2,000 in / 2,000 out');
  });

  it('/raw switches between rendered markdown and raw text, redrawing the conversation', async () => {
    const chat = await openChat({ markdown: bracket });
    await chat.send('q');
    await chat.waitFor('⟦reply from anthropic:claude-sonnet-4-5⟧');
    await chat.send('/raw');
    await chat.waitFor('raw text (/raw again renders markdown)');
    const redrawn = chat.frame().slice(chat.frame().lastIndexOf('llmo chat'));
    expect(redrawn).toContain('  reply from anthropic:claude-sonnet-4-5\n');
    expect(redrawn).not.toContain('⟦');
    expect(statusOf(chat.frame())).toMatch(/· raw$/);
    await chat.send('/raw');
    await chat.waitFor('markdown rendering on');
    expect(chat.frame().slice(chat.frame().lastIndexOf('llmo chat'))).toContain('⟦reply from');
  });

  it('/exit quits; an unknown command says how to find the right one', async () => {
    const chat = await openChat();
    await chat.send('/frobnicate');
    await chat.waitFor('✗ unknown command /frobnicate\n    → /help lists them');
    await chat.send('//etc is a path');
    await chat.waitFor('› /etc is a path');
    await chat.waitFor('reply from');
    await chat.send('/exit');
    await chat.app.exit;
    // The last frame shows the command run, not the prompt with /exit still typed in it.
    expect(chat.frame()).toMatch(/› \/exit\n+anthropic:claude-sonnet-4-5/);
    expect(chat.frame()).not.toMatch(/Ask anything|quit \(the conversation is saved\)/);
  });
});

describe('<App>: resuming', () => {
  it('shows the history of a resumed conversation, and its prompts are in the up-arrow history', async () => {
    let conversation = createConversation({ origin: 'chat', model: 'anthropic:claude-sonnet-4-5' });
    conversation = appendExchange(conversation, {
      prompt: 'Earlier question',
      reply: {
        provider: 'anthropic',
        modelId: 'claude-sonnet-4-5',
        text: 'Earlier answer',
        finishReason: undefined,
        usage: undefined,
        costUsd: undefined,
        durationMs: 1,
        status: 'aborted',
      },
    });
    const chat = await openChat({ conversation: { ...conversation, id: 'chat_20250101_000000', title: 'Earlier question' } });
    expect(chat.frame()).toContain('continuing chat_20250101_000000 “Earlier question”');
    await chat.waitFor(
      '› Earlier question\n\n◆ anthropic:claude-sonnet-4-5\n  Earlier answer\n  ⏹ interrupted: the reply above is partial',
    );
    await chat.press(KEYS.up);
    await chat.waitFor(/› Earlier question\n\n?anthropic/);
  });

  it('prints a long resumed conversation a frame at a time, in order and once each, with the prompt up meanwhile', async () => {
    let conversation = createConversation({ origin: 'chat', model: 'anthropic:claude-sonnet-4-5' });
    for (let index = 0; index < 200; index += 1) {
      conversation = appendExchange(conversation, {
        prompt: `question ${index}`,
        reply: {
          provider: 'anthropic',
          modelId: 'claude-sonnet-4-5',
          text: `answer ${index}: ${'more words '.repeat(40)}`,
          finishReason: 'stop',
          usage: undefined,
          costUsd: undefined,
          durationMs: 1,
          status: 'ok',
        },
      });
    }
    const chat = await openChat({ conversation: { ...conversation, id: 'chat_20250101_000000', title: 'question 0' } });
    await chat.waitFor('answer 199:');
    const frames = chat.app.frames.map((frame) => stripVTControlCharacters(frame));
    // Some frame had the prompt up and part of the history printed: the backlog did not hold the terminal.
    expect(frames.some((frame) => frame.includes('answer 0:') && !frame.includes('answer 199:') && frame.includes('Ask anything'))).toBe(
      true,
    );
    const printed = [...chat.frame().matchAll(/answer (\d+):/g)].map((match) => Number(match[1]));
    expect(printed).toEqual(Array.from({ length: 200 }, (_, index) => index));
  });

  it('renders real markdown (tables, lists, code) in replies', async () => {
    const { loadTerminalMarkdown } = await import('./markdown/load-markdown.js');
    const markdown = await loadTerminalMarkdown({ color: false });
    const chat = await openChat({
      markdown,
      scripts: {
        'anthropic:claude-sonnet-4-5': [{ text: '## Plan\n\n- **one**\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode here\n```' }],
      },
    });
    await chat.send('plan?');
    await chat.waitFor('code here');
    const frame = chat.frame();
    expect(frame).toContain('## Plan');
    expect(frame).toContain('* one');
    expect(frame).not.toContain('**one**');
    expect(frame).toMatch(/│ a +│ b +│/);
  });
});

describe('<App>: tools', () => {
  it('shows each call as a block, asks in a picker before an ask-policy tool, and saves the calls', async () => {
    const { host, calls } = functionHost({ 'fs.read_file': ({ path }) => `the text of ${String(path)}`, 'fs.write_file': () => 'written' });
    let saved: string[] = [];
    const tools: ChatTools = {
      on: true,
      open: async () => ({
        host,
        tools: await host.listTools(),
        policy: new ToolPolicy([
          { pattern: '*', decision: 'ask' },
          { pattern: 'fs.read_*', decision: 'allow' },
        ]),
        maxSteps: 10,
        maxResultChars: 1000,
      }),
      saveRule: async (pattern) => {
        saved = [...saved, pattern];
        return 'config.yaml';
      },
      close: async () => {},
    };
    const store = memoryStore();
    const chat = await openChat({
      tools,
      store,
      scripts: {
        'anthropic:claude-sonnet-4-5': [
          { text: 'Reading it.', toolCalls: [{ name: 'fs.read_file', arguments: { path: 'a.txt' } }] },
          { toolCalls: [{ name: 'fs.write_file', arguments: { path: 'b.txt' } }] },
          { text: 'Both done.' },
        ],
      },
    });
    await chat.send('copy a to b');
    await chat.waitFor('⚙ fs.read_file {"path":"a.txt"}');
    expect(chat.frame()).toContain('└ the text of a.txt');
    await chat.waitFor('run fs.write_file {"path":"b.txt"}?');
    expect(chat.frame()).toContain('yes, always (saved to config.yaml)');
    await chat.press(KEYS.down, KEYS.down, KEYS.enter);
    await chat.waitFor('Both done.');
    expect(chat.frame()).toContain('fs.write_file allowed from now on (saved in config.yaml)');
    expect(saved).toEqual(['fs.write_file']);
    expect(calls.map((call) => call.name)).toEqual(['fs.read_file', 'fs.write_file']);
    await chat.waitFor(/last 3 steps/);
    const conversation = (await store.latest())!;
    expect(conversation.messages.map((message) => (message.role === 'assistant' ? (message.tool_calls?.length ?? 0) : 'user'))).toEqual([
      'user',
      1,
      1,
      0,
    ]);
  });

  it('/tools lists the tools and turns them off', async () => {
    const { host } = functionHost({ 'fs.read_file': () => 'x' });
    const tools: ChatTools = {
      on: true,
      open: async () => ({ host, tools: await host.listTools(), policy: new ToolPolicy(), maxSteps: 10, maxResultChars: 1000 }),
      saveRule: async () => 'config.yaml',
      close: async () => {},
    };
    const chat = await openChat({ tools });
    await chat.send('/tools');
    await chat.waitFor('fs.read_file');
    await chat.send('/tools off');
    await chat.waitFor('tools off');
  });
});
