/**
 * Where strict JSON text first goes wrong, as an offset: V8's JSON.parse names a position for
 * some mistakes and not for others (`{"a": }`), and a schema file's syntax error must say its line.
 */

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The offset of the first syntax error, or undefined when the text is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let index = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(index);
  };
  const space = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index]!)) index += 1;
  };
  const string = () => {
    index += 1;
    while (index < text.length) {
      const character = text[index]!;
      if (character === '"') {
        index += 1;
        return;
      }
      if (character === '\\') index += 2;
      else if (character < ' ') fail();
      else index += 1;
    }
    fail();
  };
  const value = (): void => {
    space();
    const character = text[index];
    if (character === '{' || character === '[') {
      const close = character === '{' ? '}' : ']';
      index += 1;
      space();
      if (text[index] === close) {
        index += 1;
        return;
      }
      for (;;) {
        if (close === '}') {
          space();
          if (text[index] !== '"') fail();
          string();
          space();
          if (text[index] !== ':') fail();
          index += 1;
        }
        value();
        space();
        if (text[index] === ',') {
          index += 1;
          continue;
        }
        if (text[index] === close) {
          index += 1;
          return;
        }
        fail();
      }
    }
    if (character === '"') {
      string();
      return;
    }
    LITERAL.lastIndex = index;
    const literal = LITERAL.exec(text);
    if (!literal) fail();
    index += literal![0].length;
  };
  try {
    value();
    space();
    if (index < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return Math.min(error.offset, text.length);
    throw error;
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
