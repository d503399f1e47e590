import { ownValue, setOwnValue } from './own-properties';
import type { IrComponentSpec, IrParameterType, IrValue } from '../compiler/ir/pipeline-spec';
import { valueMatchesParameterType } from '../compiler/util/parameter-values';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/** Bad run parameters: every problem at once, each saying what to pass instead. */
export class RunParameterError extends KfpTsError {
  override readonly name = 'RunParameterError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid pipeline parameters:\n${problems.map((p) => `  ✖ ${p}`).join('\n')}`);
  }
}

const typeNames: Partial<Record<IrParameterType, string>> = {
  STRING: 'a string',
  NUMBER_INTEGER: 'an int',
  NUMBER_DOUBLE: 'a number',
  BOOLEAN: 'true or false',
  LIST: 'a JSON list',
  STRUCT: 'a JSON object',
};

/**
 * Parses `--param k=v` pairs by the pipeline's declared types (so `--param n=3` is the int 3 and
 * `--param items='["a"]'` a list), checks names, types and required parameters, and fills defaults.
 */
export function resolveRunParameters(
  root: IrComponentSpec,
  given: Readonly<Record<string, unknown>>,
  fromCommandLine = false,
): Record<string, IrValue> {
  const definitions = root.inputDefinitions?.parameters ?? {};
  const problems: string[] = [];
  const values: Record<string, IrValue> = {};
  for (const [name, raw] of Object.entries(given)) {
    const definition = ownValue(definitions, name);
    if (!definition) {
      const known = Object.keys(definitions);
      problems.push(`unknown parameter '${name}'; the pipeline's parameters are: ${known.length ? known.join(', ') : '(none)'}`);
      continue;
    }
    const parsed = fromCommandLine && typeof raw === 'string' ? parseCommandLineValue(raw, definition.parameterType) : raw;
    if (!valueMatchesParameterType(parsed, definition.parameterType)) {
      problems.push(
        `parameter '${name}' must be ${typeNames[definition.parameterType] ?? definition.parameterType}, got ${JSON.stringify(raw)}`,
      );
      continue;
    }
    setOwnValue(values, name, parsed as IrValue);
  }
  for (const [name, definition] of Object.entries(definitions)) {
    if (Object.hasOwn(values, name) || Object.hasOwn(given, name)) continue;
    if (definition.defaultValue !== undefined) setOwnValue(values, name, definition.defaultValue);
    else if (!definition.isOptional)
      problems.push(
        `missing required parameter '${name}' (${typeNames[definition.parameterType] ?? definition.parameterType}); pass --param ${name}=…`,
      );
  }
  if (problems.length) throw new RunParameterError(problems);
  return values;
}

function parseCommandLineValue(text: string, type: IrParameterType): unknown {
  switch (type) {
    case 'STRING':
      return text;
    case 'NUMBER_INTEGER':
    case 'NUMBER_DOUBLE':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'BOOLEAN':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}

/** `k=v` pairs from the command line. */
export function parseParameterPairs(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new RunParameterError([`--param '${pair}' is not of the form name=value`]);
    setOwnValue(result, pair.slice(0, equals), pair.slice(equals + 1));
  }
  return result;
}
