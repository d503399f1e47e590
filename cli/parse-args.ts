import { UsageError } from './sub-command';

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | undefined>;
  readonly repeated: Record<string, string[]>;
  readonly flags: Record<string, boolean>;
}

export interface ArgSpec {
  /** Options that take one value: key → spellings (`-o`, `--output`; `--output=x` works too). */
  readonly values?: Record<string, readonly string[]>;
  /** Options that may repeat, collecting values (e.g. `--param k=v`). */
  readonly repeated?: Record<string, readonly string[]>;
  /** Options without a value. */
  readonly flags?: Record<string, readonly string[]>;
}

/** A small, strict argument parser: unknown options are usage errors, not silently ignored. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const result: ParsedArgs = { positionals: [], values: {}, repeated: {}, flags: {} };
  const find = (table: Record<string, readonly string[]> | undefined, option: string) =>
    Object.entries(table ?? {}).find(([, spellings]) => spellings.includes(option))?.[0];
  for (const key of Object.keys(spec.repeated ?? {})) result.repeated[key] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      result.positionals.push(arg);
      continue;
    }
    const [option, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const flag = find(spec.flags, option);
    if (flag) {
      if (inline !== undefined) throw new UsageError(`option ${option} takes no value`);
      result.flags[flag] = true;
      continue;
    }
    const valueKey = find(spec.values, option) ?? find(spec.repeated, option);
    if (!valueKey) throw new UsageError(`unknown option ${option}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option ${option} needs a value`);
    if (spec.repeated && valueKey in spec.repeated) result.repeated[valueKey]!.push(value);
    else result.values[valueKey] = value;
  }
  return result;
}

/** An option's value as a whole number >= 1, or undefined when the option was not given. */
export function positiveIntegerOption(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${option} must be a whole number >= 1, got '${text}'`);
  return value;
}
