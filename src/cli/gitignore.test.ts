import { describe, expect, it } from 'vitest';
import { globToRegExp } from './glob-pattern.js';
import { isIgnored, parseGitignore } from './gitignore.js';

describe('globToRegExp', () => {
  it('keeps * and ? in a segment, lets ** cross them', () => {
    expect(globToRegExp('src/*.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/x/a.ts')).toBe(false);
    expect(globToRegExp('src/**/*.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/**/*.ts').test('src/x/y/a.ts')).toBe(true);
    expect(globToRegExp('file?.[ch]').test('file1.c')).toBe(true);
    expect(globToRegExp('file?.[!ch]').test('file1.c')).toBe(false);
  });
});

describe('gitignore', () => {
  const root = parseGitignore('# build output\n*.log\nbuild/\n/secret.txt\n!keep.log\ndocs/*.tmp\n', '');

  it('matches names anywhere, anchored paths from its folder, folders only with a slash', () => {
    expect(isIgnored('a/b/debug.log', false, [root])).toBe(true);
    expect(isIgnored('keep.log', false, [root])).toBe(false);
    expect(isIgnored('build', true, [root])).toBe(true);
    expect(isIgnored('build', false, [root])).toBe(false);
    expect(isIgnored('secret.txt', false, [root])).toBe(true);
    expect(isIgnored('a/secret.txt', false, [root])).toBe(false);
    expect(isIgnored('docs/x.tmp', false, [root])).toBe(true);
    expect(isIgnored('a/docs/x.tmp', false, [root])).toBe(false);
  });

  it("applies a nested .gitignore only below its folder, after its parents'", () => {
    const nested = parseGitignore('!*.log\n*.txt\n', 'sub');
    expect(isIgnored('sub/a.log', false, [root, nested])).toBe(false);
    expect(isIgnored('sub/a.txt', false, [root, nested])).toBe(true);
    expect(isIgnored('a.txt', false, [root, nested])).toBe(false);
  });
});
