import { UsageError } from '../errors.js';

/** Far beyond any context window, and well below what a JS string can hold. */
export const MAX_STDIN_BYTES = 256 * 1024 * 1024;

/** All of stdin when it is piped or redirected; undefined when it is a terminal. */
export async function readPipedStdin(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  limit = MAX_STDIN_BYTES,
): Promise<string | undefined> {
  return (await readPipedBytes(stdin, limit))?.toString('utf8');
}

/** All of stdin's bytes when it is piped or redirected (`-a -` reads an image this way). */
export async function readPipedBytes(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  limit = MAX_STDIN_BYTES,
): Promise<Buffer | undefined> {
  if (stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      throw new UsageError(`stdin is larger than ${Math.round(limit / 1024 / 1024)} MiB; no model takes a prompt that long`, {
        hint: 'pipe in a part of it (head, split), or summarise it in steps with llmo chain',
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Arguments first, then piped text, separated by a blank line (`echo text | llmo ask "summarize:"`). */
export function joinPrompt(argumentsText: string, piped: string | undefined): string {
  const parts = [argumentsText.trim(), piped?.trim() ?? ''].filter((part) => part !== '');
  return parts.join('\n\n');
}
