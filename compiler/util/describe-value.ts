/**
 * A value as an error message names it, in one wording across the compiler, the IR validator and the
 * metrics helpers: `the string "three"`, `3`, `2.5`, `NaN`, `true`, `a list`, `an object`, `null`.
 * Strings are JSON-quoted, so a number-like string (`the string "0.9"`) is told apart from a number
 * and a newline or quote in one keeps the message on its line, and cut at 40 characters so a huge
 * value cannot flood the message.
 */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value)}`;
    case 'object':
      return value === null ? 'null' : 'an object';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      // number (NaN and the infinities included), bigint, boolean, undefined: as written in code.
      return String(value);
  }
}

const MAX_SHOWN = 40;
