/**
 * Narrows an indexed or looked-up value for the lines that follow, failing the test with a message
 * naming what was missing (a plain `!` would fail later with "cannot read properties of undefined").
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, found undefined`);
  return value;
}
