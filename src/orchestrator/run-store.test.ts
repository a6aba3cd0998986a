import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningRecord } from './run-record.js';
import { discardRun, listRuns, readRun, reserveRun, saveRun, timestampId } from './run-store.js';

const directories: string[] = [];
function runsDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'llmo-runs-'));
  directories.push(directory);
  return path.join(directory, 'runs');
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const context = (id: string, startedAt: Date) => ({ id, startedAt, input: 'in', vars: {} });

describe('run store', () => {
  it('names runs by kind and local time, adding a suffix when the second is taken', async () => {
    const directory = runsDir();
    const startedAt = new Date(2025, 0, 2, 3, 4, 5);
    expect(timestampId(startedAt)).toBe('20250102_030405');
    const first = await reserveRun(directory, 'chain', startedAt, (id) => runningRecord(context(id, startedAt), 'chain', undefined));
    const second = await reserveRun(directory, 'chain', startedAt, (id) => runningRecord(context(id, startedAt), 'chain', undefined));
    expect([first, second]).toEqual(['chain_20250102_030405', 'chain_20250102_030405_2']);
    expect(JSON.parse(readFileSync(path.join(directory, `${second}.json`), 'utf8'))).toMatchObject({ id: second, status: 'running' });
  });

  it('replaces a record atomically, leaving no temp files, and reads it back by id or prefix', async () => {
    const directory = runsDir();
    const startedAt = new Date(2025, 0, 2, 3, 4, 5);
    const id = await reserveRun(directory, 'parallel', startedAt, (runId) =>
      runningRecord(context(runId, startedAt), 'parallel', undefined),
    );
    await saveRun(directory, { ...runningRecord(context(id, startedAt), 'parallel', undefined), status: 'ok', exit_code: 0 });
    expect(readdirSync(directory)).toEqual([`${id}.json`]);
    expect(await readRun(directory, 'parallel_2025')).toMatchObject({ id, status: 'ok' });
    await expect(readRun(directory, 'chain_')).rejects.toThrow('no run "chain_"');
  });

  it('lists newest first, skips files that do not parse, and forgets discarded runs', async () => {
    const directory = runsDir();
    const older = new Date(2025, 0, 1);
    const newer = new Date(2025, 0, 2);
    const a = await reserveRun(directory, 'chain', older, (id) => runningRecord(context(id, older), 'chain', undefined));
    const b = await reserveRun(directory, 'chain', newer, (id) => runningRecord(context(id, newer), 'chain', undefined));
    await saveRun(directory, { ...runningRecord(context('broken', newer), 'chain', undefined) });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(directory, 'broken.json'), '{ not json');
    expect((await listRuns(directory)).map((run) => run.id)).toEqual([b, a]);
    await discardRun(directory, b);
    expect((await listRuns(directory)).map((run) => run.id)).toEqual([a]);
    await expect(readRun(directory, 'chain_2025')).resolves.toMatchObject({ id: a });
  });

  it('lists nothing when no run was ever saved', async () => {
    expect(await listRuns(runsDir())).toEqual([]);
  });
});
