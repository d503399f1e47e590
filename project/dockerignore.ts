/**
 * `.dockerignore` matching as Docker applies it to a build context: patterns in order, the last
 * match wins, `!` re-includes, `*` and `?` stay within a path segment and `**` spans segments, and
 * a pattern that matches a folder excludes everything under it.
 */
export type IgnoreMatcher = (relativePath: string) => boolean;

interface Rule {
  readonly negated: boolean;
  readonly pattern: RegExp;
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*' && pattern[index + 1] === '*') {
      index++;
      if (pattern[index + 1] === '/') {
        index++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A match of a leading part of the path (a folder) covers what lies under it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

export function parseDockerignore(text: string): IgnoreMatcher {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const body = (negated ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    if (body === '') continue;
    rules.push({ negated, pattern: patternToRegExp(body.replace(/^\.\//, '')) });
  }
  return (relativePath) => {
    let ignored = false;
    for (const rule of rules) if (rule.pattern.test(relativePath)) ignored = !rule.negated;
    return ignored;
  };
}
