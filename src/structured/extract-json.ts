/**
 * The JSON in a model's reply, read the way models write it: bare, in a fenced code block, after
 * a sentence of prose, or followed by a comment. The first candidate that parses wins.
 */

export type Extracted = { ok: true; value: unknown } | { ok: false; problem: string };

const FENCE = /```[A-Za-z0-9_-]*[^\S\n]*\n([\s\S]*?)\n?```/g;

export function extractJson(text: string): Extracted {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'the reply is empty' };
  const candidates = [trimmed, ...[...trimmed.matchAll(FENCE)].map((match) => match[1]!.trim())];
  const balanced = firstBalanced(trimmed);
  if (typeof balanced === 'string') candidates.push(balanced);
  let lastProblem = '';
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      lastProblem = (error as Error).message;
    }
  }
  if (balanced === 'none') return { ok: false, problem: 'the reply holds no JSON object or array' };
  if (balanced === 'unclosed') return { ok: false, problem: 'the JSON in the reply is incomplete: it never closes' };
  return { ok: false, problem: `the reply is not valid JSON: ${lastProblem}` };
}

/**
 * The first `{…}` or `[…]` whose brackets balance, skipping brackets inside strings: what is left
 * when leading prose and anything after the value (a comment, a closing remark) are cut away.
 */
function firstBalanced(text: string): string | 'none' | 'unclosed' {
  const start = text.search(/[{[]/);
  if (start < 0) return 'none';
  const stack: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index]!;
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') stack.push(character === '{' ? '}' : ']');
    else if (character === '}' || character === ']') {
      // A stray closer: not JSON; let JSON.parse's message say where.
      if (stack.pop() !== character) return text.slice(start, index + 1);
      if (stack.length === 0) return text.slice(start, index + 1);
    }
  }
  return 'unclosed';
}
