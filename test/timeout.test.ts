/**
 * llmo's one timeout, end to end: `--timeout` limits silence from the provider, never the waits
 * llmo itself makes between retries. The built CLI, through each vendor's real SDK, against the
 * fake providers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { generateWords, type FakeProvider, type FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  GEMINI_API_KEY: 'AIza-test-0123456789abcdef',
  MISTRAL_API_KEY: 'mistral-test-0123456789abcdef',
};

const e2e = useE2e({
  providers: ['anthropic', 'openai', 'gemini', 'mistral'],
  home: 'file',
  config: 'request:\n  retries: 2\n  retry_base_delay_ms: 5\n  retry_max_delay_ms: 20\n',
});
// The tests read this file's fakes by this name.
let fake: FakeProviders;
beforeEach(() => {
  ({ fake } = e2e);
});

const ask = (args: string[]) => e2e.run(['ask', '--no-save', ...args], { env: KEYS });

const CASES: { ref: string; provider: FakeProvider }[] = [
  { ref: 'anthropic:claude-haiku-4-5', provider: 'anthropic' },
  { ref: 'openai:gpt-4o-mini', provider: 'openai' },
  { ref: 'gemini:gemini-2.5-flash', provider: 'gemini' },
  { ref: 'mistral:mistral-small-latest', provider: 'mistral' },
];

describe('--timeout', () => {
  it.each(CASES)(
    '$provider: a 429 asking for a longer wait than --timeout is waited out (and said so) and retried',
    async ({ ref, provider }) => {
      // A 3 s timeout, not 1 s: on a busy machine an answer can take a second to arrive, and that
      // silence is real; the 4 s wait asked for is still longer than the timeout.
      fake.enqueue(provider, { error: { status: 429, retryAfterSeconds: 4 } }, { text: 'after the wait' });
      const result = await ask(['-m', ref, '--timeout', '3', 'hi']);
      expect(result.stdout).toBe('after the wait\n');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`${provider}: rate limit reached`);
      expect(result.stderr).toContain('retrying in 4.0 s (attempt 1 of 2)');
      expect(result.stderr).not.toContain('no response');
      expect(fake.requestsFor(provider)).toHaveLength(2);
    },
  );

  it('a stream that stops for longer than --timeout is still cut', async () => {
    fake.enqueue('openai', { words: 3, chunkDelayMs: 10_000 });
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--timeout', '3', 'hi']);
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(
      'llmo: openai: no response for 3 s; gave up\n  raise --timeout (or request.timeout_seconds in config.yaml), or try again later\n',
    );
    expect(result.stdout).not.toContain(generateWords(3));
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });
});
