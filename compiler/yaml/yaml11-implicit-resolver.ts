/**
 * PyYAML's YAML 1.1 implicit resolvers, used to decide whether a string may be written as a plain scalar.
 *
 * PyYAML writes a string plain only when reading the plain text back would give a string again. Its `Resolver`
 * tries a small set of regular expressions, chosen by the first character of the text, and any match (bool, int,
 * float, null, timestamp, merge `<<`, value `=`) makes the plain form ambiguous, so the emitter quotes the string.
 * YAML 1.1 is much broader than JSON here: `yes`, `Off`, `0o17`-like octals (`017`), `1_000`, `0x1F`, `190:20:30`
 * (sexagesimal) and `2001-12-14` all stop being strings.
 *
 * Python's `$` (no MULTILINE flag) also matches just before a final newline, so `true\n` counts as a bool. Such text
 * is never plain anyway (it holds a line break), but the patterns below keep Python's meaning to stay exact.
 */

const PYTHON_END = '\\n?$';

function pythonAnchored(alternatives: readonly string[]): RegExp {
  return new RegExp(`^(?:${alternatives.join('|')})${PYTHON_END}`);
}

const BOOL = pythonAnchored([
  'yes',
  'Yes',
  'YES',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
]);

const FLOAT = pythonAnchored([
  '[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?',
  '\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?',
  '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*',
  '[-+]?\\.(?:inf|Inf|INF)',
  '\\.(?:nan|NaN|NAN)',
]);

const INT = pythonAnchored([
  '[-+]?0b[0-1_]+',
  '[-+]?0[0-7_]+',
  '[-+]?(?:0|[1-9][0-9_]*)',
  '[-+]?0x[0-9a-fA-F_]+',
  '[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+',
]);

const MERGE = pythonAnchored(['<<']);

// The empty alternative is only reachable through the '' entry below: PyYAML looks resolvers up by first character.
const NULL = pythonAnchored(['~', 'null', 'Null', 'NULL', '']);

const TIMESTAMP = pythonAnchored([
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]',
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?' +
    '(?:[Tt]|[ \\t]+)[0-9][0-9]?' +
    ':[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?' +
    '(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?',
]);

const VALUE = pythonAnchored(['=']);

// PyYAML registers this one although plain scalars can never start with these indicators.
const YAML_INDICATOR = pythonAnchored(['!', '&', '\\*']);

const RESOLVERS_BY_FIRST_CHAR: ReadonlyMap<string, readonly RegExp[]> = (() => {
  const table = new Map<string, RegExp[]>();
  const register = (pattern: RegExp, firstChars: readonly string[]): void => {
    for (const ch of firstChars) {
      const list = table.get(ch) ?? [];
      list.push(pattern);
      table.set(ch, list);
    }
  };
  register(BOOL, [...'yYnNtTfFoO']);
  register(FLOAT, [...'-+0123456789.']);
  register(INT, [...'-+0123456789']);
  register(MERGE, ['<']);
  register(NULL, ['~', 'n', 'N', '']);
  register(TIMESTAMP, [...'0123456789']);
  register(VALUE, ['=']);
  register(YAML_INDICATOR, [...'!&*']);
  return table;
})();

/** True when PyYAML would read `text`, written plain, as something other than a string. */
export function plainTextResolvesToNonString(text: string): boolean {
  const firstChar = text === '' ? '' : String.fromCodePoint(text.codePointAt(0) as number);
  const candidates = RESOLVERS_BY_FIRST_CHAR.get(firstChar);
  return candidates?.some((pattern) => pattern.test(text)) ?? false;
}
