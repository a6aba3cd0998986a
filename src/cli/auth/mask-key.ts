/** `sk-…abcd`: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  const prefix = /^[A-Za-z]{2,4}-/.exec(key)?.[0] ?? '';
  // Short keys show nothing: four characters of a ten-character key is too much of it.
  if (key.length - prefix.length < 16) return `${prefix}…`;
  return `${prefix}…${key.slice(-4)}`;
}
