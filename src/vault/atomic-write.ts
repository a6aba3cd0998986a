/**
 * Crash-safe replacement of a file: write a private temp file beside it (0600, O_EXCL, so no one
 * can pre-create or symlink it), fsync it, rename it over the target, fsync the directory. A
 * crash at any point leaves either the old file or the new one, plus at most a temp file that
 * the next writer sweeps away.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** Temp files older than this are orphans even if their pid was reused. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/** `.vault.bin.<pid>.<random>.tmp`: hidden, and naming the writer so orphans can be told apart. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Creates `file` with `bytes`, failing if it exists; fsynced before returning. */
export function writeNewFile(file: string, bytes: Buffer): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const descriptor = openSync(file, flags, 0o600);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

export function writeFileAtomic(target: string, bytes: Buffer): void {
  const temp = tempPathFor(target);
  try {
    writeNewFile(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw error;
  }
  fsyncDirectory(path.dirname(target));
}

export function fsyncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** Removes temp files left by writers that died (their pid is gone, or they are very old). */
export function sweepOrphans(target: string, now = Date.now()): string[] {
  const directory = path.dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(target))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const full = path.join(directory, name);
    try {
      if (pid === process.pid) continue;
      if (isProcessAlive(pid) && now - statSync(full).mtimeMs < ORPHAN_AGE_MS) continue;
      unlinkSync(full);
      removed.push(full);
    } catch {
      // another writer swept it first
    }
  }
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
