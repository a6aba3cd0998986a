import { describe, expect, it } from 'vitest';
import { fencedCodeBlocks } from './extract-code-block.js';

describe('fencedCodeBlocks', () => {
  it('gives each block without its fences or info string, in order', () => {
    const answer = 'Here:\n\n```python\nprint("one")\n```\n\nAnd then:\n\n~~~sh\necho two\necho three\n~~~\nDone.';
    expect(fencedCodeBlocks(answer)).toEqual(['print("one")\n', 'echo two\necho three\n']);
  });

  it('keeps a shorter or different fence inside a block as code', () => {
    const answer = '````md\n```js\nx()\n```\n~~~\n````\n';
    expect(fencedCodeBlocks(answer)).toEqual(['```js\nx()\n```\n~~~\n']);
  });

  it('removes the fence indentation, keeps blank lines and empty blocks', () => {
    expect(fencedCodeBlocks('  ```\n  a\n\n    b\n  ```')).toEqual(['a\n\n  b\n']);
    expect(fencedCodeBlocks('```\n```')).toEqual(['']);
  });

  it('takes a block the answer never closed (cut off at max tokens)', () => {
    expect(fencedCodeBlocks('text\n```ts\nconst a = 1;\n')).toEqual(['const a = 1;\n']);
  });

  it('finds nothing in prose or inline code', () => {
    expect(fencedCodeBlocks('use `npm test` and ```inline``` code')).toEqual([]);
  });
});
