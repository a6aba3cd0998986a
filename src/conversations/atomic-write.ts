/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it:
 * a temp file in the same directory (0600, O_EXCL), fsync, then rename over the target (or
 * hard-link to a name that must not exist yet), then fsync the directory so the rename itself
 * survives a power loss.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
}

/** Temp files start with a dot and end in .tmp, so directory listings can skip them. */
export function isTempFile(fileName: string): boolean {
  return fileName.startsWith('.') && fileName.endsWith('.tmp');
}

export async function writeFileAtomic(target: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = path.dirname(target);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temp = path.join(directory, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    if (options.exclusive) await linkExclusive(temp, target);
    else await rename(temp, target);
  } finally {
    // After a rename the temp name is gone already; after a link (or a failure) it is not.
    await unlink(temp).catch(() => {});
  }
  await syncDirectory(directory);
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

async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Not every platform can fsync a directory (Windows); the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
