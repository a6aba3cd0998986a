/**
 * `-a FILE|URL|-`: images (png, jpeg, webp, gif) and PDFs as content parts. The kind comes from
 * the bytes (detectMediaType), so a misnamed file goes out as what it is, and anything else is
 * refused before a request is made.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { detectMediaType } from '../orchestrator/detect-media-type.js';
import type { UserContentPart } from '../providers/spec.js';
import { fetchUrl, looksLikeUrl } from './fetch-url.js';
import { readPipedBytes } from './read-stdin.js';

/** Beyond every vendor's per-request limit: a larger file is refused before it is read whole. */
const MAX_ATTACHMENT_BYTES = 128 * 1000 * 1000;

export async function readAttachments(arguments_: readonly string[]): Promise<UserContentPart[]> {
  if (arguments_.filter((argument) => argument === '-').length > 1) throw new UsageError('-a - may be given once: stdin is read once');
  const parts: UserContentPart[] = [];
  for (const argument of arguments_) parts.push(await readAttachment(argument));
  return parts;
}

async function readAttachment(argument: string): Promise<UserContentPart> {
  const { bytes, name } = await readBytes(argument);
  const mediaType = detectMediaType(bytes);
  if (!mediaType) {
    throw new UsageError(`-a ${argument}: not a png, jpeg, webp, gif or PDF file (by its content)`, {
      hint: 'for a text file use -f to add it as context; convert other images to png first',
    });
  }
  const source = { type: 'bytes' as const, data: new Uint8Array(bytes) };
  if (mediaType === 'application/pdf') return { type: 'document', mediaType, source, name };
  return { type: 'image', mediaType, source };
}

async function readBytes(argument: string): Promise<{ bytes: Buffer; name: string }> {
  if (argument === '-') {
    const bytes = await readPipedBytes(process.stdin, MAX_ATTACHMENT_BYTES);
    if (!bytes?.length)
      throw new UsageError('-a -: stdin is empty or a terminal', { hint: 'pipe the file in: llmo ask -a - "…" < photo.png' });
    return { bytes, name: 'stdin' };
  }
  if (looksLikeUrl(argument)) {
    const { bytes } = await fetchUrl(argument, '-a', MAX_ATTACHMENT_BYTES);
    return { bytes, name: path.posix.basename(new URL(argument).pathname) || 'download' };
  }
  try {
    return { bytes: await readFile(argument), name: path.basename(argument) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (error as Error).message;
    throw new UsageError(`-a ${argument}: ${why}`);
  }
}
