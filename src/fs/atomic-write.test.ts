import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepOrphans, writeCheckpoint, writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';

const directory = mkdtempSync(path.join(tmpdir(), 'llmo-atomic-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const target = path.join(directory, 'vault.bin');
const DEAD_PID = 2 ** 22 + 12345; // above pid_max on Linux: never alive

describe('writeFileAtomicSync', () => {
  it('replaces the file, 0600, leaving no temp file behind', () => {
    writeFileAtomicSync(target, Buffer.from('one'));
    writeFileAtomicSync(target, Buffer.from('two'));
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(sweepOrphans(target)).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('makes a missing directory (0700), replaces the file, and leaves only the file', async () => {
    const runs = path.join(directory, 'made', 'runs');
    const file = path.join(runs, 'run.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(statSync(runs).mode & 0o777).toBe(0o700);
    expect(readdirSync(runs)).toEqual(['run.json']);
  });

  it('exclusive: refuses a name that is taken, leaving the file as it was', async () => {
    const runs = path.join(directory, 'exclusive');
    const file = path.join(runs, 'run.json');
    await writeFileAtomic(file, 'first', { exclusive: true });
    await expect(writeFileAtomic(file, 'second', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(runs)).toEqual(['run.json']);
  });
});

describe('writeCheckpoint', () => {
  it('replaces the file, 0600, leaving no temp file behind', async () => {
    const runs = path.join(directory, 'checkpoints');
    mkdirSync(runs);
    const file = path.join(runs, 'run.json');
    for (const text of ['one', 'two', 'three']) await writeCheckpoint(file, Buffer.from(text));
    expect(readFileSync(file, 'utf8')).toBe('three');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(runs)).toEqual(['run.json']);
  });

  it('fails, writing nothing, when the directory is gone', async () => {
    await expect(writeCheckpoint(path.join(directory, 'gone', 'run.json'), Buffer.from('x'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(path.join(directory, 'gone'))).toBe(false);
  });
});

describe('sweepOrphans', () => {
  it("removes temp files of dead writers, keeps a live writer's fresh one", () => {
    const dead = path.join(directory, `.vault.bin.${DEAD_PID}.abcdef.tmp`);
    const live = path.join(directory, `.vault.bin.${process.ppid}.abcdef.tmp`);
    const unrelated = path.join(directory, '.other.1.abcdef.tmp');
    for (const file of [dead, live, unrelated]) writeFileSync(file, 'x');
    expect(sweepOrphans(target)).toEqual([dead]);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it('removes a very old temp file even when its pid is alive again (reused)', () => {
    const old = path.join(directory, `.vault.bin.${process.ppid}.fedcba.tmp`);
    writeFileSync(old, 'x');
    const anHourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(old, anHourAgo, anHourAgo);
    expect(sweepOrphans(target)).toContain(old);
  });
});
