/**
 * What an attachment is, by its first bytes rather than its name: a `.png` that is really a JPEG
 * must go out as image/jpeg, and a renamed text file must not go out as an image at all.
 */

export type AttachmentMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

const ascii = (bytes: Uint8Array, start: number, text: string): boolean =>
  [...text].every((character, index) => bytes[start + index] === character.charCodeAt(0));

/** The media type the bytes' signature names, or undefined when it is none llmo can send. */
export function detectMediaType(bytes: Uint8Array): AttachmentMediaType | undefined {
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG\r\n\u001a\n')) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  return undefined;
}
