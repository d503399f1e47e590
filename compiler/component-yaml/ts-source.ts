/** Small helpers for writing TypeScript source text: literals, property keys, identifiers, comments. */

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const reservedWords = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined'
  ).split(' '),
);

export function isIdentifier(name: string): boolean {
  return identifier.test(name) && !reservedWords.has(name);
}

/** A string literal in single quotes, escaping what a source file cannot hold as is. */
export function tsString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  const escaped = text.replace(/[\\'\u0000-\u001f\u2028\u2029\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}'`;
}

/** An object key: bare when it is an identifier-like name, else quoted. */
export function tsKey(name: string): string {
  return identifier.test(name) ? name : tsString(name);
}

/** A JSON value as a TypeScript literal. */
export function tsLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${tsKey(key)}: ${tsLiteral(item)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  throw new Error(`not a JSON value: ${String(value)}`);
}

/**
 * A template literal holding `text` exactly: backslashes, backticks and `${` are escaped, and so is
 * \r, which a template literal would otherwise read as \n.
 */
export function tsTemplate(text: string): string {
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r')}\``;
}

/** Lines of a `/** … *\/` comment at `indent`, or none for no text. */
export function docComment(text: string | undefined, indent: string): string[] {
  if (text === undefined || text.trim() === '') return [];
  const lines = text.trim().replace(/\*\//g, '*\\/').split(/\r?\n/);
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((line) => `${indent} *${line === '' ? '' : ` ${line}`}`.trimEnd()), `${indent} */`];
}

/** `Write to GCS` → `writeToGcs`; words in capitals become one capital (`GCS` → `Gcs`). */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words
    .map((word, index) => {
      const normalized = word === word.toUpperCase() ? word.toLowerCase() : word;
      const first = index === 0 ? normalized[0]!.toLowerCase() : normalized[0]!.toUpperCase();
      return first + normalized.slice(1);
    })
    .join('');
}
