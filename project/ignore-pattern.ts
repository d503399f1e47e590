import * as path from 'node:path';

/**
 * One `.dockerignore` pattern, compiled the way moby/patternmatcher compiles it: `*` and `?` stay
 * within a path segment, `**` spans segments, `[...]` is a character class (`[^...]` negated),
 * `\` escapes the next character. Patterns without wildcards compare as plain strings, and a
 * pattern that starts with `**` or ends with `/**` compares as a suffix or prefix, as Docker does,
 * quirks included (`**foo` matches `xfoo`), since the point is to agree with what Docker sends.
 */
export type PatternMatch = (candidate: string) => boolean;

/**
 * Characters that must be escaped to stand for themselves in a `u`-flag regular expression. `^`
 * is one: filepath.Match, which Docker's documentation cites, reads it as a plain character.
 */
const REGEXP_SYNTAX = new Set(Array.from('^$\\.*+?()[]{}|/'));
const CLASS_SYNTAX = new Set(Array.from('\\]-^['));

const literal = (char: string) => (REGEXP_SYNTAX.has(char) ? `\\${char}` : char);
const classLiteral = (char: string) => (CLASS_SYNTAX.has(char) ? `\\${char}` : char);

/** Go's `filepath.Clean` for `/`-separated paths: no `.`, no `x/..`, no doubled or trailing `/`. */
export function cleanPath(pattern: string): string {
  if (pattern === '') return '.';
  const cleaned = path.posix.normalize(pattern);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/**
 * Reads the character class that opens at `chars[start]` with Go's `filepath.Match` grammar
 * (`[` `^`? ranges `]`, where a range is `c` or `c-c`, and `-` and `]` must be escaped), which
 * is what Docker checks patterns against. Returns the index of its `]` and the class as a
 * regular expression; throws, as Docker does, on a malformed class.
 */
function characterClass(chars: readonly string[], start: number): { end: number; source: string } {
  let index = start + 1;
  const where = chars.slice(start).join('');
  const escaped = (): string => {
    const char = chars[index];
    if (char === undefined || char === '-' || char === ']') {
      throw new SyntaxError(`an unclosed or malformed character class at "${where}" (inside [...], write "-" and "]" as "\\-" and "\\]")`);
    }
    if (char === '\\') index++;
    const value = chars[index];
    index++;
    // filepath.Match also wants something (at least the closing "]") after every range.
    if (value === undefined || index >= chars.length) throw new SyntaxError(`an unclosed character class at "${where}"`);
    return value;
  };
  let source = '[';
  if (chars[index] === '^') {
    source += '^';
    index++;
  }
  for (let ranges = 0; ; ranges++) {
    if (chars[index] === ']' && ranges > 0) return { end: index, source: `${source}]` };
    const low = escaped();
    source += classLiteral(low);
    if (chars[index] === '-') {
      index++;
      source += `-${classLiteral(escaped())}`;
    }
  }
}

/**
 * Compiles a cleaned pattern (no leading `!`). Throws a SyntaxError saying what is wrong where
 * Docker would refuse the pattern.
 */
export function compilePattern(pattern: string): PatternMatch {
  const chars = Array.from(pattern);
  let source = '';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (char === '*' && chars[index + 1] === '*') {
      const first = index === 0;
      index++;
      if (chars[index + 1] === '/') index++;
      if (index + 1 === chars.length) {
        // A trailing `**` takes everything below; Docker compares a plain prefix when it can.
        if (kind === 'exact') kind = 'prefix';
        else {
          source += '.*';
          kind = 'regexp';
        }
      } else {
        source += '(?:.*/)?';
        kind = 'regexp';
      }
      if (first) kind = 'suffix';
    } else if (char === '*') {
      source += '[^/]*';
      kind = 'regexp';
    } else if (char === '?') {
      source += '[^/]';
      kind = 'regexp';
    } else if (char === '[') {
      const charClass = characterClass(chars, index);
      source += charClass.source;
      index = charClass.end;
      kind = 'regexp';
    } else if (char === '\\') {
      // The escaped character stands for itself, as in filepath.Match (`\d` is a "d", not a digit).
      const next = chars[++index];
      if (next === undefined) throw new SyntaxError('a "\\" at the end of the pattern, with nothing to escape');
      source += literal(next);
      kind = 'regexp';
    } else {
      // A stray "]" is a literal for filepath.Match; Docker's regular expression agrees.
      if (char === ']') kind = 'regexp';
      source += literal(char);
    }
  }
  switch (kind) {
    case 'exact':
      return (candidate) => candidate === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (candidate) => candidate.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (candidate) => candidate.endsWith(suffix) || (suffix.startsWith('/') && candidate === suffix.slice(1));
    }
    case 'regexp': {
      let expression: RegExp;
      try {
        expression = new RegExp(`^${source}$`, 'u');
      } catch (error) {
        // Docker fails on these too (a range such as [z-a] out of order).
        throw new SyntaxError(`it cannot be compiled (${(error as Error).message})`);
      }
      return (candidate) => expression.test(candidate);
    }
  }
}
