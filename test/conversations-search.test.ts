/**
 * End to end: `llmo conversations search` over conversations `llmo ask` saved, and the usage
 * errors of its flags — against the fake providers, through the built CLI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';

// One home for the file: the tests search the two conversations saved before them.
const e2e = useE2e({ providers: ['anthropic', 'openai'], home: 'file' });
const llmo = (...args: string[]) => e2e.run(args);

beforeAll(async () => {
  const { fake } = e2e;
  fake.enqueue('anthropic', { text: 'Retries back off exponentially, with jitter.' });
  expect((await llmo('ask', '-m', 'sonnet', 'How do the RETRIES work?')).code).toBe(0);
  fake.enqueue('openai', { text: 'Nothing about that here.' });
  expect((await llmo('ask', '-m', 'openai:gpt-4o-mini', 'What is the weather?')).code).toBe(0);
});

describe('llmo conversations search', () => {
  it('shows each conversation that mentions the phrase, with the matches in context', async () => {
    const result = await llmo('conversations', 'search', 'retries');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^chat_\d{8}_\d{6}(_\d+)? {2}How do the RETRIES work\? {2}· \d{4}-\d\d-\d\d \d\d:\d\d · anthropic:\S+$/);
    expect(lines.slice(1)).toEqual([
      '  title: How do the RETRIES work?',
      '  user: How do the RETRIES work?',
      expect.stringMatching(/^ {2}anthropic:\S+: Retries back off exponentially, with jitter\.$/),
    ]);
    expect(result.stdout).not.toContain('weather');
  });

  it('filters by model (an alias too) and prints JSON', async () => {
    const json = await llmo('conversations', 'search', '--json', '--model', 'openai:gpt-4o-mini', 'weather');
    expect(json.code).toBe(0);
    const hits = JSON.parse(json.stdout);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ title: 'What is the weather?', total: 2, model: 'openai:gpt-4o-mini' });
    expect(hits[0].matches[1]).toEqual({ message: 0, who: 'user', excerpt: 'What is the weather?', start: 12, end: 19 });
    const none = await llmo('conversations', 'search', '--json', '--model', 'sonnet', 'weather');
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('says so when nothing matches, and refuses bad flags (exit 2) and unknown models (exit 3)', async () => {
    const nothing = await llmo('conversations', 'search', 'zebra');
    expect(nothing).toMatchObject({ code: 0, stdout: '' });
    expect(nothing.stderr).toContain('no conversation mentions "zebra"');
    expect((await llmo('conversations', 'search', '--since', 'yesterday', 'retries')).code).toBe(2);
    expect((await llmo('conversations', 'search', '--limit', '0', 'retries')).code).toBe(2);
    expect((await llmo('conversations', 'search', '--model', 'nonsense', 'retries')).code).toBe(3);
    expect((await llmo('conversations', 'search', ' ')).code).toBe(2);
  });
});
