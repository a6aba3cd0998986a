/**
 * `/attach PATH|URL` and `@path` in the chat: the same reading as ask's -a and -f. An image or a
 * PDF (by its bytes) becomes a content part, a text file or a page a labelled fragment, a folder
 * or a glob every text file in it (respecting .gitignore). Notes come back as data: nothing may
 * write to the terminal under the chat's UI.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { detectMediaType } from '../../orchestrator/detect-media-type.js';
import type { ChatInput, ChatInputReader } from '../../ui/session/session-types.js';
import { fetchUrl, looksLikeUrl } from '../fetch-url.js';
import { isBinary, MAX_FRAGMENT_BYTES, readFragments, withFragments } from '../read-fragments.js';

/** Beyond every vendor's per-request limit (as -a). */
const MAX_ATTACHMENT_BYTES = 128 * 1000 * 1000;

export function createChatInputReader(): ChatInputReader {
  return {
    async read(source) {
      const notes: string[] = [];
      if (looksLikeUrl(source)) {
        const { bytes } = await fetchUrl(source, '/attach', MAX_ATTACHMENT_BYTES);
        return { inputs: [fromBytes(bytes, path.posix.basename(new URL(source).pathname) || 'download', source, true)], notes };
      }
      const file = source.startsWith('~/') ? path.join(process.env.HOME ?? '', source.slice(2)) : source;
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) {
        if (info.size > MAX_ATTACHMENT_BYTES) throw new UsageError(`${source}: ${info.size} bytes, more than any model takes`);
        return { inputs: [fromBytes(await readFile(file), path.basename(file), path.normalize(file), false)], notes };
      }
      // A folder or a glob: the text files in it, as -f reads them.
      const report = { note: (text: string) => notes.push(text), warn: (text: string) => notes.push(text) };
      const fragments = await readFragments([file], MAX_FRAGMENT_BYTES, report);
      const inputs: ChatInput[] = fragments.map((fragment) => ({
        kind: 'fragment',
        label: fragment.label,
        text: fragment.text,
        page: fragment.kind === 'page',
      }));
      return { inputs, notes: notes.map((note) => note.replace(/^-f /, '')) };
    },
    withFragments(fragments, prompt) {
      return withFragments(
        fragments.map((fragment) => ({ label: fragment.label, kind: fragment.page ? 'page' : 'file', text: fragment.text })),
        prompt,
      );
    },
  };
}

/** An image or PDF by its content, else text; anything else is refused. */
function fromBytes(bytes: Buffer, name: string, label: string, page: boolean): ChatInput {
  const mediaType = detectMediaType(bytes);
  if (mediaType) {
    const source = { type: 'bytes' as const, data: new Uint8Array(bytes) };
    const stored = { name, media_type: mediaType, bytes: bytes.length };
    if (mediaType === 'application/pdf') return { kind: 'attachment', part: { type: 'document', mediaType, source, name }, stored };
    return { kind: 'attachment', part: { type: 'image', mediaType, source }, stored };
  }
  if (isBinary(bytes)) {
    throw new UsageError(`${label}: neither text nor a png, jpeg, webp, gif or PDF file (by its content)`, {
      hint: 'convert other images to png first',
    });
  }
  if (bytes.length > MAX_FRAGMENT_BYTES) {
    throw new UsageError(
      `${label}: ${Math.ceil(bytes.length / 1024)} KiB of text, more than the ${MAX_FRAGMENT_BYTES / 1024} KiB cap on context`,
    );
  }
  return { kind: 'fragment', label, text: bytes.toString('utf8'), page };
}
