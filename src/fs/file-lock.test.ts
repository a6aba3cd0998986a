import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.js';

const directory = mkdtempSync(path.join(tmpdir(), 'llmo-lock-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const DEAD_PID = 2 ** 22 + 12345;

function lockFile(name: string, owner: { pid: number; time?: number; start?: number }): string {
  const file = path.join(directory, name);
  writeFileSync(file, JSON.stringify({ pid: owner.pid, host: hostname(), time: owner.time ?? Date.now(), start: owner.start }));
  return file;
}

describe('withFileLock', () => {
  it('holds the lock (with our pid) while the action runs, and removes it after', async () => {
    const lock = path.join(directory, 'a.lock');
    await withFileLock(lock, () => {
      expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('serialises actions: no two run at once', async () => {
    const lock = path.join(directory, 'b.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withFileLock(lock, async () => {
          inside += 1;
          most = Math.max(most, inside);
          // Held across timer turns, while the others' retries come round.
          await new Promise((resolve) => setTimeout(resolve, 10));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('recovers a lock left by a dead process at once', async () => {
    const lock = lockFile('c.lock', { pid: DEAD_PID });
    // No time to wait at all: only a lock judged stale on sight can be taken.
    expect(await withFileLock(lock, () => 'ran', { timeoutMs: 0 })).toBe('ran');
  });

  it('recovers a lock older than the staleness limit even if its pid is alive', async () => {
    const lock = lockFile('d.lock', { pid: process.ppid, time: Date.now() - 60_000 });
    expect(await withFileLock(lock, () => 'ran')).toBe('ran');
  });

  it('recovers at once a lock whose pid now belongs to an unrelated process', async () => {
    const lock = lockFile('f.lock', { pid: process.ppid, start: 1 });
    // With a timeout far too short to wait for a real holder: it must not be waited for at all.
    expect(await withFileLock(lock, () => 'ran', { timeoutMs: 1 })).toBe('ran');
  });

  it('waits for a live holder, then gives up with a clear message', async () => {
    const lock = lockFile('e.lock', { pid: process.ppid });
    await expect(withFileLock(lock, () => 'ran', { timeoutMs: 200 })).rejects.toThrow(
      /the vault is busy: another llmo process holds .*e\.lock \(pid \d+\)/,
    );
    await expect(withFileLock(lock, () => 'ran', { timeoutMs: 50 })).rejects.toMatchObject({ exitCode: 9 });
    expect(existsSync(lock)).toBe(true);
  });
});
