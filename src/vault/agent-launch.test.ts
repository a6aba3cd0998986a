import { existsSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callAgent } from './agent-client.js';
import { startAgent } from './agent-launch.js';
import { agentSocketPath } from './agent-protocol.js';
import { withFileLock } from '../fs/file-lock.js';
import { ensurePrivateDir } from './private-dir.js';
import { SecretBytes } from './secret.js';

// Starts the real agent (dist/agent.js): build first with `node scripts/build.mjs`.
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('startAgent', () => {
  it('waits for a start already under way instead of spawning a second agent beside it', async () => {
    const runtimeDir = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-launch-')), 'run');
    roots.push(path.dirname(runtimeDir));
    ensurePrivateDir(runtimeDir);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding: () => void = () => {};
    const taken = new Promise<void>((resolve) => (holding = resolve));
    // Another `llmo auth unlock` is starting its agent: it holds the start lock.
    const lockPath = path.join(runtimeDir, 'agent.lock');
    const other = withFileLock(lockPath, () => {
      holding();
      return held;
    });
    await taken;
    // Each try for the lock leaves a temp file of it beside the lock: two of them mean startAgent
    // has come to the lock and is waiting there.
    const attempts = lockAttempts(runtimeDir, 2);
    const starting = startAgent({ runtimeDir, dataKey: new SecretBytes(Buffer.alloc(32, 7)), idleMs: 60_000, maxMs: 120_000 });
    try {
      await attempts;
      expect(existsSync(agentSocketPath(runtimeDir))).toBe(false);
      release();
      await other;
      const status = await starting;
      expect(status.pid).not.toBe(process.pid);
      expect((await callAgent(runtimeDir, { op: 'get' }))?.dataKey?.reveal()).toEqual(Buffer.alloc(32, 7));
    } finally {
      release();
      await starting.catch(() => undefined);
      await callAgent(runtimeDir, { op: 'stop' }).catch(() => undefined);
    }
  });
});

/** Resolves once `count` temp files of agent.lock (one per try for the lock) have appeared in `directory`. */
function lockAttempts(directory: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    const seen = new Set<string>();
    const watcher = watch(directory, (_, name) => {
      if (!name?.startsWith('.agent.lock.') || !name.endsWith('.tmp')) return;
      seen.add(name);
      if (seen.size >= count) {
        watcher.close();
        resolve();
      }
    });
  });
}
