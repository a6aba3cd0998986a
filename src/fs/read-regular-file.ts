/**
 * Reading a file llmo was pointed at (the vault, a password file, a YAML file) without trusting
 * what it is: a FIFO would block the read for ever, a symlink to /dev/zero would fill memory. The
 * file is opened without blocking, checked to be a regular file of at most `maxBytes`, and only
 * then read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export class NotARegularFile extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} ${reason}`);
    this.name = 'NotARegularFile';
  }
}

export function readRegularFile(file: string, maxBytes: number): Buffer {
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
  const descriptor = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new NotARegularFile(file, `is not a regular file (${kindOf(stats)})`);
    if (stats.size > maxBytes) throw new NotARegularFile(file, `is too large (${stats.size} bytes; at most ${maxBytes} expected)`);
    const buffer = Buffer.alloc(stats.size);
    let offset = 0;
    while (offset < buffer.length) {
      const read = readSync(descriptor, buffer, offset, buffer.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return offset === buffer.length ? buffer : buffer.subarray(0, offset);
  } finally {
    closeSync(descriptor);
  }
}

function kindOf(stats: ReturnType<typeof fstatSync>): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'a special file';
}
