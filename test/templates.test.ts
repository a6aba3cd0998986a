/**
 * Prompt templates end to end: `llmo templates save|list|show|edit|import` and `llmo ask -t`,
 * the built CLI against the fake providers in a throwaway LLMO_HOME.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const e2e = useE2e({ providers: ['openai'] });
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

const run = (args: string[], env: Record<string, string> = {}) => e2e.run(args, { env });

interface OpenAiBody {
  model: string;
  temperature?: number;
  messages: { role: string; content: string }[];
  response_format?: { type: string };
}

const lastBody = () => fake.requestsFor('openai').at(-1)!.body as OpenAiBody;

describe('a template with variables, a model and a schema', () => {
  beforeEach(async () => {
    const saved = await run([
      'templates',
      'save',
      'review',
      '--description',
      'review a snippet',
      '--system',
      'You review {{lang}} code.',
      '--prompt',
      'Review for {{focus}}:\n{{input}}',
      '-m',
      'openai:gpt-4o-mini',
      '--temperature',
      '0.2',
      '--schema',
      'verdict, issues [str]',
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
  });

  it('runs from -t: variables filled, its model, temperature and schema used', async () => {
    fake.enqueue('openai', { text: '{"verdict": "fine", "issues": []}' });
    const result = await run(['ask', '--no-save', '-t', 'review', '-p', 'lang', 'python', '-p', 'focus', 'bugs', 'x = 1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ verdict: 'fine', issues: [] });
    const body = lastBody();
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBe(0.2);
    expect(body.messages).toEqual([
      { role: 'system', content: 'You review python code.' },
      { role: 'user', content: 'Review for bugs:\nx = 1' },
    ]);
    expect(body.response_format?.type).toBe('json_schema');
  });

  it('takes the piped input as {{input}}, and a flag wins over the template', async () => {
    fake.enqueue('openai', { text: '{"verdict": "ok", "issues": ["none"]}' });
    const result = await e2e.run(['ask', '--no-save', '-t', 'review', '-p', 'lang=sh', '-p', 'focus', 'style', '--temperature', '0.7'], {
      input: 'echo hi\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(lastBody().temperature).toBe(0.7);
    expect(lastBody().messages[1]!.content).toBe('Review for style:\necho hi');
  });

  it('a missing variable is exit 2 naming it, before any request', async () => {
    const result = await run(['ask', '--no-save', '-t', 'review', '-p', 'lang', 'python', 'x = 1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('llmo: template "review" needs the variable focus\n  -p focus VALUE\n');
    expect(fake.requests).toHaveLength(0);
  });

  it('an unknown variable is exit 2 with the closest one', async () => {
    const result = await run(['ask', '--no-save', '-t', 'review', '-p', 'lang', 'go', '-p', 'focsu', 'bugs', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('template "review" has no variable "focsu"; did you mean focus?');
  });

  it('lists and shows it', async () => {
    const list = await run(['templates', 'list']);
    expect(list.stdout).toBe('review  review a snippet\n');
    const show = await run(['templates', 'show', 'review']);
    expect(show.stdout).toContain('system: You review {{lang}} code.\n');
    expect(show.stdout).toContain('model: openai:gpt-4o-mini\n');
  });

  it('refuses to replace it without --force', async () => {
    const again = await run(['templates', 'save', 'review', '--prompt', 'other']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('template "review" already exists');
  });
});

describe('templates on disk', () => {
  it('a misspelt field is exit 3 naming the file, line and closest field', async () => {
    mkdirSync(path.join(home, 'templates'));
    writeFileSync(path.join(home, 'templates', 'bad.yaml'), 'prompt: hi\nsytem: be brief\n');
    const result = await run(['ask', '--no-save', '-t', 'bad', 'q']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${path.join(home, 'templates', 'bad.yaml')}:2: sytem: unknown field; did you mean system?`);
  });

  it('an unknown template is exit 3 listing those there are', async () => {
    const result = await run(['ask', '-t', 'nothing', 'q']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no template "nothing"; there are none yet');
  });

  it('edit opens $EDITOR on the file and checks it when the editor closes', async () => {
    const editor = path.join(home, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "system: You are terse.\\nprompt: \\"Define: {{input}}\\"\\n" > "$1"\n');
    chmodSync(editor, 0o755);
    const edited = await run(['templates', 'edit', 'define'], { EDITOR: editor });
    expect(edited.stderr).toBe('');
    expect(edited.code).toBe(0);
    expect(readFileSync(path.join(home, 'templates', 'define.yaml'), 'utf8')).toBe('system: You are terse.\nprompt: "Define: {{input}}"\n');
    fake.enqueue('openai', { text: 'A word.' });
    const asked = await run(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', '-t', 'define', 'word']);
    expect(asked.stdout).toBe('A word.\n');
    expect(lastBody().messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Define: word' },
    ]);

    writeFileSync(editor, '#!/bin/sh\nprintf "temperature: hot\\n" > "$1"\n');
    const broken = await run(['templates', 'edit', 'define'], { EDITOR: editor });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain('temperature: must be a number');
    expect(broken.stderr).toContain('fix it with: llmo templates edit define');
  });
});

describe('llmo templates import', () => {
  it('reads pattern folders (NAME/system.md, optional user.md) and the result runs', async () => {
    const patterns = path.join(home, 'patterns');
    for (const [name, files] of Object.entries({
      summarize: { 'system.md': '# IDENTITY\nYou summarise.\n', 'user.md': 'Summarise this:\n' },
      extract_wisdom: { 'system.md': 'You extract wisdom.\n' },
      notes: { 'README.md': 'not a pattern' },
    })) {
      mkdirSync(path.join(patterns, name), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(patterns, name, file), text);
    }
    const imported = await run(['templates', 'import', patterns]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('imported 2 templates: extract_wisdom, summarize\n');

    fake.enqueue('openai', { text: 'Short.' });
    const asked = await run(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', '-t', 'summarize', 'a long text']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(lastBody().messages).toEqual([
      { role: 'system', content: '# IDENTITY\nYou summarise.\n' },
      { role: 'user', content: 'Summarise this:\n\n\na long text' },
    ]);

    fake.enqueue('openai', { text: 'Wise.' });
    await run(['ask', '--no-save', '-m', 'openai:gpt-4o-mini', '-t', 'extract_wisdom', 'some text']);
    expect(lastBody().messages[1]).toEqual({ role: 'user', content: 'some text' });

    const again = await run(['templates', 'import', patterns]);
    expect(again.stdout).toBe('imported 0 templates\n');
    expect(again.stderr).toContain('skipped extract_wisdom (exists; --force replaces it), summarize (exists; --force replaces it)');
  });
});
