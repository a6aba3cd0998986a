/**
 * Reads a usage log file a chunk at a time, from any byte offset to any other, so a month file of
 * any size (600 MiB, 2 GiB) is read in the same small memory: never as one buffer or one string,
 * which node cannot make past 512 MiB. Only whole lines are handed over; the offset after the last
 * one says where the next read starts.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { errorMessage, LlmoError } from '../errors.js';
import { visitLines } from './usage-log.js';
import type { UsageRecord } from './usage-record.js';

const CHUNK_BYTES = 1 << 20;
/** A record is well under 4 KiB; a "line" far longer is damage (a binary file, a lost newline). */
const MAX_LINE_BYTES = 64 << 10;

export interface LogRead {
  /** The offset just after the last whole line read: where to go on from next time. */
  end: number;
  /** Lines that were not records (blank lines are not counted). */
  skipped: number;
  /** The file ends in part of a line (torn by a crash, or still being written): not in `skipped`. */
  unfinished: boolean;
}

/**
 * Visits every record in the whole lines between `start` and the end of the file as it is now. A
 * last line without its newline is left for later: it may be torn, or still arriving.
 */
export async function readLogLines(handle: FileHandle, start: number, visit: (record: UsageRecord) => void): Promise<LogRead> {
  const { size } = await handle.stat();
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let skipped = 0;
  let position = start;
  let end = start;
  // The start of a line begun in an earlier chunk, copied out (small: at most MAX_LINE_BYTES).
  let carry: Buffer | undefined;
  // Inside a line too long to be a record: skip to its newline.
  let skipping = false;
  while (position < size) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    let from = 0;
    if (skipping || carry) {
      const newline = chunk.subarray(0, bytesRead).indexOf(0x0a);
      if (newline === -1) {
        if (carry) {
          carry = keep(Buffer.concat([carry, chunk.subarray(0, bytesRead)]));
          if (!carry) {
            skipping = true;
            skipped++;
          }
        }
        position += bytesRead;
        continue;
      }
      if (carry) skipped += visitLines(Buffer.concat([carry, chunk.subarray(0, newline)]).toString('utf8'), visit);
      carry = undefined;
      skipping = false;
      from = newline + 1;
      end = position + from;
    }
    const last = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (last >= from) {
      // One decode per chunk: cheaper than one per line.
      skipped += visitLines(chunk.toString('utf8', from, last + 1), visit);
      from = last + 1;
      end = position + from;
    }
    if (from < bytesRead) {
      carry = keep(Buffer.from(chunk.subarray(from, bytesRead)));
      if (!carry) {
        skipping = true;
        skipped++;
      }
    }
    position += bytesRead;
  }
  return { end, skipped, unfinished: carry !== undefined };
}

/** The unfinished line, or undefined (counted as damage) once it is longer than any record. */
function keep(line: Buffer): Buffer | undefined {
  return line.length > MAX_LINE_BYTES ? undefined : line;
}

/** Opens a month file for reading; undefined when it does not exist. Other failures name it. */
export async function openLogFile(file: string): Promise<FileHandle | undefined> {
  try {
    const handle = await open(file, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw Object.assign(new Error('EISDIR: a directory, not a file'), { code: 'EISDIR' });
    }
    return handle;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LlmoError(`cannot read the usage log file ${file}: ${errorMessage(error)}`, {
      hint: `check that ${file} is a file you can read, or move it out of the usage directory`,
      cause: error,
    });
  }
}
