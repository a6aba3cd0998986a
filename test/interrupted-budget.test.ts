/**
 * An interrupted call is not free. SIGINT, SIGTERM and SIGHUP end an in-flight `ask` that then
 * records its estimated cost (prompt plus what had streamed); SIGKILL leaves its budget hold
 * behind, and the next llmo that checks a budget books it at its worst case.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome, runLlmo, spawnLlmo } from './helpers/run-llmo.js';

let fake: FakeProviders;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai'] });
  env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURLs.openai };
  home = makeHome();
  writeFileSync(
    path.join(home, 'config.yaml'),
    'main_llm:\n  provider: openai\n  model: gpt-4o-mini\nrequest:\n  retries: 0\nbudgets:\n  daily_usd: 100\n',
  );
});
afterAll(async () => {
  await fake.close();
  removeHome(home);
});

/** Starts an ask whose reply streams slowly, and resolves once its first words are on stdout. */
async function askInFlight() {
  fake.enqueue('openai', { words: 400, chunkDelayMs: 40 });
  const child = spawnLlmo(['ask', '--no-save', 'tell me a long story'], { home, env });
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
    const next = await runLlmo(['ask', '--no-save', 'hi'], { home, env });
    expect(next.code, next.stderr).toBe(0);
    const records = (await readRecords(path.join(home, 'usage'))).records.slice(before);
    const interrupted = records.filter((record) => record.status === 'aborted');
    expect(interrupted, JSON.stringify(records)).toHaveLength(1);
    expect(interrupted[0]!.cost_usd).toBeGreaterThan(0);
    expect(interrupted[0]!.estimated).toBe(true);
  });
});
