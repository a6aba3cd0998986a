/**
 * Glob patterns as regular expressions, for `-f 'src/**\/*.ts'` and for .gitignore lines:
 * `*` and `?` stay within a path segment, `**` crosses segments, `[…]` is a character class.
 */

/** A regular expression matching whole slash-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '*') {
      if (pattern[index + 1] === '*') {
        const atSegmentStart = index === 0 || pattern[index - 1] === '/';
        const followedBySlash = pattern[index + 2] === '/';
        index++;
        if (atSegmentStart && followedBySlash) {
          // `**/` matches zero or more whole directories.
          source += '(?:[^/]*/)*';
          index++;
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) source += '\\[';
      else {
        const body = pattern
          .slice(index + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = end;
      }
    } else if (character === '\\' && index + 1 < pattern.length) {
      source += escapeRegExp(pattern[++index]!);
    } else {
      source += escapeRegExp(character);
    }
  }
  return new RegExp(`^${source}$`);
}

/** True when the argument holds a glob character (else it names a file or folder). */
export function hasGlob(argument: string): boolean {
  return /[*?[]/.test(argument);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
