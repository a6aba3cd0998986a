/**
 * Where a streaming reply can be cut so the part before it never changes again: after the
 * last blank line that is not inside a fenced code block. The part before goes into Ink's
 * <Static> (printed once, into the terminal's scrollback); only the rest keeps re-rendering.
 * (gemini-cli's findLastSafeSplitPoint, simplified.)
 */

/** Line-start offsets of fence lines (``` or ~~~), in order. */
function fenceLines(text: string, end: number): number[] {
  const fences: number[] = [];
  const pattern = /^ {0,3}(`{3,}|~{3,})/gm;
  for (let match = pattern.exec(text); match && match.index < end; match = pattern.exec(text)) fences.push(match.index);
  return fences;
}

/** Is `index` inside a fenced code block (an odd number of fence lines start before it)? */
export function isInsideCodeFence(text: string, index: number): boolean {
  return fenceLines(text, index).length % 2 === 1;
}

/**
 * The offset just after the last blank line outside a code block, or 0 when there is none.
 * `text.slice(0, offset)` is a run of complete markdown blocks; `text.slice(offset)` the rest.
 */
export function findSafeSplitPoint(text: string): number {
  let searchFrom = text.length;
  while (searchFrom > 0) {
    const blank = text.lastIndexOf('\n\n', searchFrom - 1);
    if (blank <= 0) return 0;
    const offset = blank + 2;
    if (!isInsideCodeFence(text, offset)) return offset;
    // Inside a fence: the next candidate is before the fence that opened it.
    const fences = fenceLines(text, offset);
    searchFrom = fences.at(-1) ?? 0;
  }
  return 0;
}
