/**
 * Python's `repr` for the JSON-like values that come out of `json_format.MessageToDict`.
 *
 * The reference compiler prints numbers through Python in two places: PyYAML's float representer (which starts
 * from `repr(float)`) and the header comment's `[Default: …]` (which is `str()` of the value). To match it byte for
 * byte we need Python's spelling, which differs from JavaScript's: `1e-05` not `1e-5`, `1e+16` not `10000000000000000`,
 * `2.0` not `2`, `True` not `true`, `None` not `null`, and strings quoted and escaped the Python way.
 */

/**
 * `repr(float)`: the shortest digits that read back to the same double (JavaScript finds the same digits), laid out
 * in fixed notation when the decimal exponent is in [-4, 16) and in scientific notation otherwise, with at least
 * two exponent digits and `.0` appended to integral fixed-notation values.
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) {
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) {
    return `${sign}${digits.padEnd(integerDigits, '0')}.0`;
  }
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}

/**
 * Characters `str.isprintable()` rejects: controls, format, surrogates, private use, unassigned, separators.
 * Node's Unicode tables can be newer than the reference compiler's Python (3.11: Unicode 14), so a character
 * assigned since then is printed here but escaped there; pipelines do not use such characters in practice.
 */
const PYTHON_NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (ch !== ' ' && PYTHON_NON_PRINTABLE.test(ch)) {
      if (code <= 0xff) out += `\\x${hex(code, 2)}`;
      else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
      else out += `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

/** Orders strings by code point, as Python compares `str`; plain `<` compares UTF-16 code units instead. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === length) return a.length - b.length;
  // Compare whole code points: the difference may be in the second half of a surrogate pair.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) {
    const difference = (a.codePointAt(i - 1) as number) - (b.codePointAt(i - 1) as number);
    if (difference !== 0) return difference;
  }
  return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
}

function isHighSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xd800 && codeUnit <= 0xdbff;
}

/**
 * `repr()` of a protobuf `Value` after `MessageToDict`: numbers are doubles and print as floats; dict keys are
 * printed sorted, because the protobuf map order the reference compiler happens to produce is not stable.
 */
export function pythonValueRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonFloatRepr(value);
  if (typeof value === 'string') return pythonStrRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonValueRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([key, item]) => `${pythonStrRepr(key)}: ${pythonValueRepr(item)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot print a ${typeof value} as a Python value`);
}
