/**
 * The fenced code blocks of a Markdown answer (``` or ~~~, with an optional info string), for
 * `ask -x` and `--extract-last`: a script gets the code without the prose around it.
 */

/** The contents of every fenced block, in order, each ending with a newline. */
export function fencedCodeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const lines = markdown.split(/\r?\n/);
  let fence: { marker: string; indent: number } | undefined;
  let body: string[] = [];
  for (const line of lines) {
    if (!fence) {
      const opening = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
      // A backtick fence's info string may not hold a backtick (CommonMark), else it is inline code.
      if (opening && !(opening[2]!.startsWith('`') && opening[3]!.includes('`'))) {
        fence = { marker: opening[2]!, indent: opening[1]!.length };
        body = [];
      }
      continue;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (closing && closing[1]![0] === fence.marker[0] && closing[1]!.length >= fence.marker.length) {
      blocks.push(body.map((text) => stripIndent(text, fence!.indent)).join('\n') + (body.length ? '\n' : ''));
      fence = undefined;
      continue;
    }
    body.push(line);
  }
  // An answer cut off inside a block (max tokens) still gives what it has.
  while (body.at(-1) === '') body.pop();
  if (fence && body.length) blocks.push(`${body.map((text) => stripIndent(text, fence!.indent)).join('\n')}\n`);
  return blocks;
}

function stripIndent(line: string, indent: number): string {
  let removed = 0;
  while (removed < indent && line[removed] === ' ') removed++;
  return line.slice(removed);
}
