/** `llmo ask -x` / `--extract-last`: only a code block of the answer reaches stdout. */
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';
import { runLlmo } from './helpers/run-llmo.js';

const ANSWER = [
  'Two ways to do it. First, in Python:',
  '',
  '```python',
  'def greet(name):',
  '    return f"hello, {name}"',
  '```',
  '',
  'Or in the shell:',
  '',
  '```sh',
  'echo "hello, $1"',
  '```',
  '',
  'Either works.',
].join('\n');

const e2e = useE2e({ providers: ['openai'], home: 'file' });

const ask = (args: string[]) =>
  runLlmo(['ask', '-m', 'openai:gpt-4o-mini', ...args], {
    home: e2e.home,
    env: { ...e2e.fake.env(), OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef' },
  });

describe('ask -x', () => {
  it('prints only the first code block of a streamed answer', async () => {
    e2e.fake.enqueue('openai', { text: ANSWER, chunkDelayMs: 2 });
    const result = await ask(['-x', '--no-save', 'greet someone']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('def greet(name):\n    return f"hello, {name}"\n');
  });

  it('prints only the last one with --extract-last (and without streaming)', async () => {
    e2e.fake.enqueue('openai', { text: ANSWER });
    const result = await ask(['--extract-last', '--no-stream', '--no-save', 'greet someone']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('echo "hello, $1"\n');
  });

  it('is exit 7 when the answer has no code block, and says where the whole answer is', async () => {
    e2e.fake.enqueue('openai', { text: 'Just prose, no code.' });
    const result = await ask(['-x', 'greet someone']);
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no fenced code block.*\n.*llmo conversations show \S+/);
  });

  it('refuses -x with --json before any request', async () => {
    const result = await ask(['-x', '--json', 'greet someone']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('-x prints a code block');
    expect(e2e.fake.requests).toEqual([]);
  });
});
