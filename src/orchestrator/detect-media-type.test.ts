import { describe, expect, it } from 'vitest';
import { detectMediaType } from './detect-media-type.js';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));

describe('detectMediaType', () => {
  it('knows each kind by its signature', () => {
    expect(detectMediaType(bytes([0x89], 'PNG\r\n\x1a\n', 'rest'))).toBe('image/png');
    expect(detectMediaType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectMediaType(bytes('GIF89a...'))).toBe('image/gif');
    expect(detectMediaType(bytes('GIF87a...'))).toBe('image/gif');
    expect(detectMediaType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(detectMediaType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('knows nothing else: text, a WAV (RIFF but not WEBP), empty input', () => {
    expect(detectMediaType(bytes('hello, world'))).toBeUndefined();
    expect(detectMediaType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeUndefined();
    expect(detectMediaType(new Uint8Array())).toBeUndefined();
  });
});
