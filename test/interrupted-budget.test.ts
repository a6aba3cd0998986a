/**
 * An interrupted call is not free. SIGINT, SIGTERM and SIGHUP end an in-flight `ask` that then
 * records its estimated cost (prompt plus what had streamed); SIGKILL leaves its budget hold
 * behind, and the next llmo that checks a budget books it at its worst case.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { spawnLlmo } from './helpers/run-llmo.js';

// One home for the file: each signal's test counts the usage records its own run added.
const e2e = useE2e({
  providers: ['openai'],
  home: 'file',
  config: 'main_llm:\n  provider: openai\n  model: gpt-4o-mini\nrequest:\n  retries: 0\nbudgets:\n  daily_usd: 100\n',
});
// The tests read this file's fakes and home by these names.
let fake: FakeProviders;
let home: string;
beforeEach(() => {
  ({ fake, home } = e2e);
});

/** Starts an ask whose reply streams slowly, and resolves once its first words are on stdout. */
async function askInFlight() {
  fake.enqueue('openai', { words: 400, chunkDelayMs: 40 });
  const child = spawnLlmo(['ask', '--no-save', 'tell me a long story'], { home, env: e2e.env() });
  child.stdin!.end();
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, closed };
}

describe('an interrupted call counts against the budget', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const)('%s', async (signal) => {
    const before = (await readRecords(path.join(home, 'usage'))).records.length;
    const { child, closed } = await askInFlight();
    child.kill(signal);
    await closed;
    // The next llmo with a budget to check books what a killed process could not.
    fake.enqueue('openai', { text: 'ok' });
    const next = await e2e.run(['ask', '--no-save', 'hi']);
    expect(next.code, next.stderr).toBe(0);
    const records = (await readRecords(path.join(home, 'usage'))).records.slice(before);
    const interrupted = records.filter((record) => record.status === 'aborted');
    expect(interrupted, JSON.stringify(records)).toHaveLength(1);
    expect(interrupted[0]!.cost_usd).toBeGreaterThan(0);
    expect(interrupted[0]!.estimated).toBe(true);
  });
});
