/**
 * `llmo ask … | head -1`: when the reader goes away mid-answer, llmo stops quietly, the way a
 * program killed by SIGPIPE does, instead of printing node's unhandled EPIPE stack.
 */
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';
import { spawnLlmo } from './helpers/run-llmo.js';

const e2e = useE2e({ providers: ['openai'], home: 'file' });

describe('a reader that closes the pipe early', () => {
  it('ends llmo ask quietly with exit code 0', async () => {
    e2e.fake.setDefault('openai', { words: 20_000, chunkDelayMs: 1 });
    const child = spawnLlmo(['ask', '-m', 'openai:gpt-4o-mini', '--no-save', 'write a lot'], {
      home: e2e.home,
      env: { ...e2e.fake.env(), OPENAI_API_KEY: 'test-key' },
    });
    child.stdin!.end();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Like `head -c 100`: read the first bytes, then close our end.
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.stdout!.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });
});
