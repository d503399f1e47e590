/**
 * How KFP v1 component types map to KFP v2 types, with the reference SDK's rules (KFP SDK 2.x,
 * `kfp.dsl.structures.ComponentSpec.from_v1_component_spec` and `kfp.dsl.types.type_utils`):
 * a name is looked up case-insensitively after dropping `typing.` and generic arguments (`List[str]`
 * → `List`); parameter names map to IR parameter types; `google.X` names and the eight system artifact
 * names are artifacts of that type; anything else (no type, `GCSPath`, `{GcsPath: …}`, a typo) is a
 * generic `system.Artifact`.
 */
import type { ParameterTypeName } from '../dsl/types';

const parameterTypes: Readonly<Record<string, ParameterTypeName>> = {
  integer: 'NUMBER_INTEGER',
  int: 'NUMBER_INTEGER',
  double: 'NUMBER_DOUBLE',
  float: 'NUMBER_DOUBLE',
  string: 'STRING',
  str: 'STRING',
  text: 'STRING',
  bool: 'BOOLEAN',
  boolean: 'BOOLEAN',
  dict: 'STRUCT',
  list: 'LIST',
  jsonobject: 'STRUCT',
  jsonarray: 'LIST',
};

const systemArtifacts: Readonly<Record<string, string>> = {
  artifact: 'system.Artifact',
  model: 'system.Model',
  dataset: 'system.Dataset',
  metrics: 'system.Metrics',
  classificationmetrics: 'system.ClassificationMetrics',
  slicedclassificationmetrics: 'system.SlicedClassificationMetrics',
  html: 'system.HTML',
  markdown: 'system.Markdown',
};

/** The reference's pattern for Google artifact types (its `.` is unescaped there too). */
const googleType = /^google.[A-Za-z]+$/;

/** The v1 type that marks the input an exit task receives its upstream tasks' final status on. */
export const TASK_FINAL_STATUS_TYPE = 'PipelineTaskFinalStatus';

/** `typing.List[str]` → `List`, `Dict[str, int]` → `Dict`; other names unchanged. */
function canonicalName(type: string): string {
  const name = type.startsWith('typing.') ? type.slice('typing.'.length) : type;
  return /^(list|dict)/i.test(name) ? name.split('[')[0]! : name;
}

/** The IR parameter type a v1 type stands for, or undefined when it is an artifact type. */
export function v1ParameterType(type: unknown): ParameterTypeName | undefined {
  if (typeof type !== 'string') return undefined;
  return parameterTypes[canonicalName(type).toLowerCase()];
}

export function isTaskFinalStatusType(type: unknown): boolean {
  return typeof type === 'string' && canonicalName(type) === TASK_FINAL_STATUS_TYPE;
}

/** The artifact schema a non-parameter v1 type stands for. */
export function v1ArtifactType(type: unknown): { readonly schemaTitle: string; readonly schemaVersion: string } {
  if (typeof type === 'string') {
    const name = canonicalName(type);
    if (googleType.test(name)) return { schemaTitle: name, schemaVersion: '0.0.1' };
    const system = systemArtifacts[name.toLowerCase()];
    if (system) return { schemaTitle: system, schemaVersion: '0.0.1' };
  }
  return { schemaTitle: 'system.Artifact', schemaVersion: '0.0.1' };
}

/** The v1 type as the user wrote it, for messages. */
export function describeV1Type(type: unknown): string {
  return type === undefined ? 'no type' : `type ${typeof type === 'string' ? type : JSON.stringify(type)}`;
}

/**
 * A v1 default as a value of the input's IR type. v1 files usually write defaults as strings
 * (`default: '10'`), which the reference casts (`int('10')`, `strtobool('true')`, `json.loads`);
 * returns a problem text where the reference would fail (or silently keep a value of the wrong type).
 */
export function v1DefaultValue(type: ParameterTypeName, value: unknown): { value: unknown } | { problem: string } {
  const shown = JSON.stringify(value);
  switch (type) {
    case 'NUMBER_INTEGER': {
      const number = typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
      return Number.isInteger(number) ? { value: number } : { problem: `default ${shown} is not a whole number` };
    }
    case 'NUMBER_DOUBLE': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && !Number.isNaN(number) ? { value: number } : { problem: `default ${shown} is not a number` };
    }
    case 'BOOLEAN': {
      if (typeof value === 'boolean') return { value };
      const text = typeof value === 'string' ? value.toLowerCase() : undefined;
      if (text !== undefined && ['y', 'yes', 't', 'true', 'on', '1'].includes(text)) return { value: true };
      if (text !== undefined && ['n', 'no', 'f', 'false', 'off', '0'].includes(text)) return { value: false };
      return { problem: `default ${shown} is not a boolean (true/false)` };
    }
    case 'STRING':
      // Python's str(): booleans print as True/False.
      if (typeof value === 'string') return { value };
      if (typeof value === 'boolean') return { value: value ? 'True' : 'False' };
      if (typeof value === 'number') return { value: String(value) };
      return { problem: `default ${shown} is not a string` };
    case 'LIST':
    case 'STRUCT': {
      const parsed = typeof value === 'string' ? parseJson(value) : value;
      const ok = type === 'LIST' ? Array.isArray(parsed) : typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      return ok ? { value: parsed } : { problem: `default ${shown} is not a JSON ${type === 'LIST' ? 'list' : 'object'}` };
    }
    default:
      return { problem: `an input of IR type ${type} cannot have a default` };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
