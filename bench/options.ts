/** The text of a `--name=value` option of a benchmark script, or the fallback when it is not given. */
export function stringOption(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

/** A whole-number `--name=N` option of a benchmark script, or the fallback when it is not given. */
export function numericOption(name: string, fallback: number): number {
  const text = stringOption(name, '');
  if (text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number >= 0, got '--${name}=${text}'`);
  return value;
}
