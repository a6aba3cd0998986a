/**
 * The conversation index stays right with real processes: several writers saving at once, each
 * SIGKILLed at a random moment (often mid-save), and the index afterwards gives exactly what a
 * full scan of the files gives.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndex, sortedSummaries } from '../src/conversations/conversation-index.js';
import { idOfFileName } from '../src/conversations/conversation-id.js';
import { parseConversation } from '../src/conversations/parse-conversation.js';
import { createConversationStore, summarize } from '../src/conversations/store.js';
import { makeHome, removeHome, repoRoot } from './helpers/run-llmo.js';

const homes: string[] = [];
afterAll(() => homes.forEach(removeHome));

/** What `list` must show, read the slow way: every file. */
function fullScan(directory: string) {
  const summaries = [];
  for (const name of readdirSync(directory)) {
    const id = idOfFileName(name);
    if (id === undefined) continue;
    summaries.push(summarize(parseConversation(readFileSync(path.join(directory, name), 'utf8'))));
  }
  return summaries.sort((left, right) => right.updated_at.localeCompare(left.updated_at) || right.id.localeCompare(left.id));
}

describe('the conversation index under concurrent writers killed mid-save', () => {
  let writerScript: string;

  beforeAll(async () => {
    const home = makeHome();
    homes.push(home);
    mkdirSync(path.join(home, 'writer'));
    writerScript = path.join(home, 'writer', 'conversation-writer.mjs');
    await build({
      entryPoints: [path.join(repoRoot, 'test', 'helpers', 'conversation-writer.ts')],
      outfile: writerScript,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
  });

  it('15 rounds of three writers, each killed at a random moment: the index matches a full scan', async () => {
    const home = makeHome();
    homes.push(home);
    const directory = path.join(home, 'conversations');
    let saves = 0;
    for (let round = 0; round < 15; round += 1) {
      const writers = [1, 2, 3].map((n) => {
        const writer = spawn(process.execPath, [writerScript, directory, String(round * 3 + n)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise((resolve) => writer.on('exit', resolve));
        let printed = '';
        const firstSave = new Promise<void>((resolve) =>
          writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            printed += chunk;
            if (printed.includes('\n')) resolve();
          }),
        );
        return { writer, exited, firstSave, lines: () => printed.split('\n').length - 1 };
      });
      // Each commits at least one save, then dies at a random moment of its loop.
      await Promise.all(writers.map((entry) => entry.firstSave));
      await Promise.all(
        writers.map(async (entry) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
          entry.writer.kill('SIGKILL');
          await entry.exited;
          saves += entry.lines();
        }),
      );
      const { conversations, problems } = await createConversationStore(directory).list();
      expect(problems, `round ${round}`).toEqual([]);
      expect(conversations, `round ${round}`).toEqual(fullScan(directory));
    }
    expect(saves).toBeGreaterThan(30);
    // The reader repaired the index on disk: it now says the same without help.
    const stored = await readIndex(directory);
    expect(stored && sortedSummaries(stored)).toEqual(fullScan(directory));
    expect(readdirSync(directory).filter((name) => name.endsWith('.pending'))).toEqual([]);
  }, 120_000);
});
