import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepOrphans, writeFileAtomicSync } from './atomic-write.js';

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
