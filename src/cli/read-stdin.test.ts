import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { joinPrompt, readPipedStdin } from './read-stdin.js';

describe('readPipedStdin', () => {
  it('reads everything piped in', async () => {
    expect(await readPipedStdin(Readable.from([Buffer.from('some '), Buffer.from('text')]))).toBe('some text');
  });

  it('refuses more than the limit with a usage error instead of running out of memory', async () => {
    const source = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(readPipedStdin(source, 1000)).rejects.toThrowError(UsageError);
  });

  it('reads nothing from a terminal', async () => {
    expect(await readPipedStdin(Object.assign(Readable.from([]), { isTTY: true }))).toBeUndefined();
  });
});

describe('joinPrompt', () => {
  it('puts the arguments first, then the piped text after a blank line', () => {
    expect(joinPrompt('summarize:', 'some text\n')).toBe('summarize:\n\nsome text');
    expect(joinPrompt('', 'only stdin')).toBe('only stdin');
    expect(joinPrompt('only args', undefined)).toBe('only args');
  });
});
