/**
 * `llmo ask -f`: files, folders (their .gitignore respected, binaries skipped), globs and pages
 * reach the model as labelled context ahead of the prompt; what does not fit the cap is named.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletionsPromptText, type FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({ providers: ['openai'], home: 'file' });
// The tests read this file's fakes and home by these names.
let fake: FakeProviders;
let home: string;
let page: Server;
let pageURL: string;

beforeAll(async () => {
  ({ fake, home } = e2e);
  const write = (relative: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(home, relative)), { recursive: true });
    writeFileSync(path.join(home, relative), content);
  };
  write('src/.gitignore', 'build/\n*.log\n');
  write('src/main.ts', 'export const main = 1;\n');
  write('src/lib/util.ts', 'export const util = 2;\n');
  write('src/lib/notes.md', '# Notes\n');
  write('src/debug.log', 'noise\n');
  write('src/build/out.js', 'compiled\n');
  write('src/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  write('big/a.txt', 'a'.repeat(300 * 1024));
  write('big/b.txt', 'b'.repeat(300 * 1024));
  page = createServer((_request, response) => response.end('Release notes: version 2 ships today.\n'));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageURL = `http://127.0.0.1:${(page.address() as AddressInfo).port}/notes.txt`;
});

afterAll(async () => {
  await new Promise((resolve) => page.close(resolve));
});

const ask = (args: string[]) =>
  e2e.run(['ask', '--no-save', '--no-stream', '-m', 'openai:gpt-4o-mini', ...args], {
    cwd: home,
    env: { OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef' },
  });
const sentPrompt = () => chatCompletionsPromptText(fake.requestsFor('openai')[0]?.body);
const labels = (text: string) => [...text.matchAll(/<(?:file path|page url)="([^"]+)">/g)].map((match) => match[1]);

describe('ask -f', () => {
  it('sends exactly the text files of a folder its .gitignore keeps, labelled, before the prompt', async () => {
    const result = await ask(['-f', 'src/', 'Summarise the code']);
    expect(result.code).toBe(0);
    const prompt = sentPrompt();
    expect(labels(prompt)).toEqual(['src/.gitignore', 'src/lib/notes.md', 'src/lib/util.ts', 'src/main.ts']);
    expect(prompt).toContain('<file path="src/main.ts">\nexport const main = 1;\n</file>');
    expect(prompt.trimEnd().endsWith('Summarise the code')).toBe(true);
    expect(result.stderr).toContain('-f skipped 1 binary file: src/logo.png');
  });

  it('expands a glob, and reads a page over http', async () => {
    const result = await ask(['-f', 'src/**/*.ts', '-f', pageURL, 'What changed?']);
    expect(result.code).toBe(0);
    expect(labels(sentPrompt())).toEqual(['src/lib/util.ts', 'src/main.ts', pageURL]);
    expect(sentPrompt()).toContain('Release notes: version 2 ships today.');
  });

  it('leaves out what passes the cap and says which', async () => {
    const result = await ask(['-f', 'big', 'How long?']);
    expect(result.code).toBe(0);
    expect(labels(sentPrompt())).toEqual(['big/a.txt']);
    expect(result.stderr).toContain('-f left out 1 file over the 512 KiB cap on context: big/b.txt (300 KiB)');
  });

  it('refuses a named binary file, a missing path and a non-http URL before any request', async () => {
    for (const [argument, message] of [
      ['src/logo.png', '-f src/logo.png: not text'],
      ['nowhere.txt', '-f nowhere.txt: no such file or folder'],
      ['file:///etc/passwd', 'only http and https URLs are fetched'],
    ] as const) {
      const result = await ask(['-f', argument, 'Read it']);
      expect(result.code, argument).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(fake.requests).toEqual([]);
  });
});
