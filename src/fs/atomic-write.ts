/**
 * The one crash-safe file write of llmo (vault, sessions, conversations, runs, config, holds):
 * write a private temp file beside the target (0600, O_EXCL, so no one can pre-create or
 * symlink it), fsync it, rename it over the target (or hard-link it to a name that must not
 * exist yet), fsync the directory. A crash at any point leaves either the old file or the new
 * one, plus at most a temp file that the next writer sweeps away.
 */
import { closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { type FileHandle, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** Temp files older than this are orphans even if their pid was reused. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/**
 * Not node:crypto: loading it costs a command that only lists ~5 ms, and the name needs to be
 * unlikely to repeat, not unguessable (the file is created O_EXCL either way).
 */
const processNonce = Math.floor(Math.random() * 2 ** 48)
  .toString(16)
  .padStart(12, '0');
let tempCount = 0;

/**
 * `.vault.bin.<pid>.<random><n>.tmp`: hidden, and naming the writer so orphans can be told apart.
 * The random part is drawn once per process (a dead process's leftovers under a reused pid do not
 * collide with ours) and a counter follows it: randomBytes per name cost ~0.07 ms a save.
 */
export function tempPathFor(target: string): string {
  tempCount += 1;
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${processNonce}${tempCount.toString(16)}.tmp`);
}

/** Creates `file` with `bytes`, failing if it exists; fsynced before returning unless `durable` is false. */
export function writeNewFile(file: string, bytes: Buffer, durable = true): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const descriptor = openSync(file, flags, 0o600);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    if (durable) fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** Temp files start with a dot and end in .tmp, so directory listings can skip them. */
export function isTempFile(fileName: string): boolean {
  return fileName.startsWith('.') && fileName.endsWith('.tmp');
}

/** The synchronous form, for the vault (its writes happen under a lock, in milliseconds). */
export function writeFileAtomicSync(target: string, bytes: Buffer): void {
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

/**
 * A checkpoint that a later durable write replaces (a chain's progress, after every step): atomic
 * (a reader sees the old file or the new one) but not flushed to disk, and the directory must
 * exist. The temp file is written in direct system calls, microseconds where open, write and
 * close through the thread pool cost ~0.3 ms of CPU; the rename goes through the thread pool,
 * because on ext4 a rename over an existing file starts writeback of the new one (auto_da_alloc)
 * and blocks ~1 ms, which the caller spends waiting for its provider instead (both measured).
 */
export async function writeCheckpoint(target: string, bytes: Buffer): Promise<void> {
  const temp = tempPathFor(target);
  try {
    writeNewFile(temp, bytes, false);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
}

/** Writes `data` to `target` atomically; creates the directory (0700) when it is missing. */
export async function writeFileAtomic(target: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = path.dirname(target);
  const temp = tempPathFor(target);
  const handle = await openTemp(temp, directory);
  try {
    // writeFile loops until every byte is written, or throws (ENOSPC, EIO): never a short file.
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    if (options.exclusive) {
      await linkExclusive(temp, target);
      // The new name is linked; the temp name is left to remove.
      await unlink(temp).catch(() => {});
    } else await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  syncDirectoryQuietly(directory);
}

/**
 * The temp file, created private and exclusive. The directory is made only when it is missing:
 * the common case (a chain saving its progress after every step) costs one open, not a mkdir
 * and a stat first.
 */
async function openTemp(temp: string, directory: string): Promise<FileHandle> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  try {
    return await open(temp, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return await open(temp, flags, 0o600);
  }
}

/** link() fails with EEXIST when the name is taken: atomic "create only if absent". */
async function linkExclusive(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Some filesystems (FAT, a few FUSE mounts) have no hard links: reserve the name with
    // O_EXCL instead, then rename over the empty reservation.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    const reservation = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await reservation.close();
    await rename(temp, target);
  }
}

function syncDirectoryQuietly(directory: string): void {
  try {
    fsyncDirectory(directory);
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic there.
  }
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

/** Removes the temp files of `target` left by writers that died (their pid is gone, or they are very old). */
export function sweepOrphans(target: string, now = Date.now()): string[] {
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(target))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  return sweep(path.dirname(target), pattern, now);
}

/**
 * Removes every orphaned temp file of `directory` (any target's): left by writers that died, or
 * very old. Conversations call it before a save, so a crash never leaves litter for good.
 */
export function sweepTempFiles(directory: string, now = Date.now()): string[] {
  return sweep(directory, /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/, now);
}

/** Removes the files of `directory` whose name matches `pattern` (group 1: the writer's pid) and whose writer is gone. */
function sweep(directory: string, pattern: RegExp, now: number): string[] {
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
