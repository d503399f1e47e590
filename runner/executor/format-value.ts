import type { IrValue } from '../../compiler/ir/pipeline-spec';

/**
 * How a value is written into a command line (the KFP backend launcher's rule, Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)` for numbers, never exponent notation): strings as they are, booleans as `true`/`false`, numbers in plain decimal, lists and
 * structs as compact JSON.
 */
export function formatPlaceholderValue(value: IrValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/**
 * Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip (the same digits
 * as JS `String(v)`), but never in exponent notation, so `1e21` is written out in full and `1e-7`
 * as `0.0000001`. A shell or a Python `int()`/`float()` on the other side reads both forms alike
 * only in the plain one.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const exponentForm = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponentForm) return text;
  const [, sign, whole, fraction = '', exponent] = exponentForm;
  const digits = whole! + fraction;
  // Where the decimal point falls among `digits` once the exponent is applied.
  const point = whole!.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * `rounds` rounds of JSON string escaping (quotes, backslashes, control characters), so the text
 * can sit inside a JSON string literal, e.g. in a GCPC `Concat` payload (`.json_escape[0]`).
 */
export function jsonEscape(text: string, rounds: number): string {
  let escaped = text;
  for (let i = 0; i < rounds; i++) escaped = JSON.stringify(escaped).slice(1, -1);
  return escaped;
}
