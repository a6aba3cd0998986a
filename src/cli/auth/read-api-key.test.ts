import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { readApiKey } from './read-api-key.js';

/** A piped (non-terminal) stdin holding `text`. */
function piped(text: string | Buffer): NodeJS.ReadStream {
  return Readable.from([Buffer.from(text)]) as unknown as NodeJS.ReadStream;
}

describe('readApiKey from stdin', () => {
  it('takes the whole input, trimmed, as the key', async () => {
    expect((await readApiKey('openai', piped('  sk-live-0123456789abcdef\n'))).reveal()).toBe('sk-live-0123456789abcdef');
  });

  it('refuses a key with a control or non-ASCII character, without echoing it', async () => {
    for (const bad of ['sk-abc\u0000def-SECRETPART', 'sk-abc\u001b[2Jdef-SECRETPART', 'sk-abc\u00e9def-SECRETPART']) {
      const error = await readApiKey('openai', piped(bad)).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(bad)).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toMatch(/control or non-ASCII character/);
      expect(`${(error as UsageError).message} ${(error as UsageError).hint}`).not.toContain('SECRETPART');
    }
  });

  it('refuses an empty input and two keys', async () => {
    await expect(readApiKey('openai', piped('\n'))).rejects.toThrow(/no key given for openai/);
    await expect(readApiKey('openai', piped('sk-one sk-two'))).rejects.toThrow(/whitespace/);
  });
});
