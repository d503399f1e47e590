/** A whole-number `--name=N` option of a benchmark script, or the fallback when it is not given. */
export function numericOption(name: string, fallback: number): number {
  const argument = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (argument === undefined) return fallback;
  const value = Number(argument.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number >= 0, got '${argument}'`);
  return value;
}
