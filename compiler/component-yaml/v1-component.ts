/**
 * KFP v1 component YAML (`name`, `inputs`, `outputs`, `implementation: {container: …}`) read the way
 * the reference SDK 2.x reads it (`ComponentSpec.from_v1_component_spec`), checked as it loads.
 */
import { artifactType } from '../dsl/artifacts';
import type { CommandItem } from '../dsl/placeholders';
import type { ArtifactType, IoSpec } from '../dsl/types';
import { ComponentLoadError } from './component-load-error';
import type { ParsedComponent } from './parsed-component';
import { sanitizeV1Name } from './v1-names';
import { convertV1Item, type V1Declaration, type V1PlaceholderContext } from './v1-placeholders';
import { describeV1Type, isTaskFinalStatusType, v1ArtifactType, v1DefaultValue, v1ParameterType } from './v1-types';

type LineOf = (value: unknown) => number | undefined;
type Fields = Readonly<Record<string, unknown>>;

const componentKeys = ['name', 'description', 'metadata', 'inputs', 'outputs', 'implementation'];
const inputKeys = ['name', 'type', 'description', 'default', 'optional', 'annotations'];
const outputKeys = ['name', 'type', 'description', 'annotations'];
const containerKeys = ['image', 'command', 'args', 'env', 'fileOutputs'];

/** Whether a parsed document is a v1 component: the reference tells them apart by `implementation`. */
export function isV1Component(document: unknown): document is Fields {
  return isRecord(document) && 'implementation' in document;
}

export function parseV1Component(document: Fields, source: string, lineOf: LineOf): ParsedComponent {
  const fail = (node: unknown, problem: string, fix: string): never => {
    throw new ComponentLoadError(source, problem, fix, lineOf(node));
  };
  checkKeys(document, componentKeys, 'the component', fail);
  const name = document['name'];
  if (typeof name !== 'string' || name.trim() === '') {
    fail(document, "the component has no 'name'", "add a line 'name: My component' at the top");
  }
  const description = optionalString(document, 'description', 'the component', fail);
  const inputs = new Signature('input', fail);
  for (const entry of listOf(document, 'inputs', fail)) inputs.add(entry, inputKeys, () => inputSpec(entry, fail));
  const outputs = new Signature('output', fail);
  for (const entry of listOf(document, 'outputs', fail)) outputs.add(entry, outputKeys, () => outputSpec(entry, fail));

  const implementation = document['implementation'];
  if (!isRecord(implementation) || !isRecord(implementation['container'])) {
    const graph = isRecord(implementation) && 'graph' in implementation;
    return fail(
      implementation,
      graph ? 'implementation.graph (a v1 graph component) is not supported by KFP v2' : "implementation has no 'container'",
      graph
        ? 'compile the graph as a kfp-ts or KFP v2 pipeline and load that instead'
        : 'write implementation: {container: {image: …, command: […], args: […]}}',
    );
  }
  const container = implementation['container'] as Fields;
  checkKeys(container, containerKeys, 'implementation.container', fail);
  if ('fileOutputs' in container) {
    fail(
      container,
      'implementation.container.fileOutputs is a KFP v1 feature that KFP v2 ignores: those outputs would never be written',
      'have the program write each output to the path {outputPath: NAME} gives it, and drop fileOutputs',
    );
  }
  const image = container['image'];
  if (typeof image !== 'string' || image === '') fail(container, 'implementation.container has no image', 'add image: <registry/name:tag>');

  const context: V1PlaceholderContext = {
    source,
    inputs: inputs.specs,
    outputs: outputs.specs,
    declared: { inputs: inputs.declared, outputs: outputs.declared },
    lineOf,
  };
  const items = (key: 'command' | 'args'): CommandItem[] => {
    const list = container[key];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) return fail(container, `implementation.container.${key} is not a list`, `write ${key}: [item, …]`);
    return list.map((item, index) => convertV1Item(item, `${key}[${index}]`, list, context));
  };
  const command = items('command');
  const args = items('args');
  const env = envList(container['env'], fail);
  return {
    format: 'v1',
    name: name as string,
    ...(description !== undefined ? { description } : {}),
    inputs: inputs.specs,
    outputs: outputs.specs,
    implementation: { kind: 'container', image: image as string, command, args, preset: env.length ? { env } : {} },
    docs: { inputs: inputs.docs, outputs: outputs.docs },
  };
}

type Fail = (node: unknown, problem: string, fix: string) => never;

/** The inputs or outputs of a component, by the names callers use (sanitized as the reference does). */
class Signature {
  readonly specs: Record<string, IoSpec> = {};
  readonly declared: Record<string, V1Declaration> = {};
  readonly docs: Record<string, string> = {};

  constructor(
    private readonly side: 'input' | 'output',
    private readonly fail: Fail,
  ) {}

  add(entry: Fields, allowedKeys: readonly string[], specOf: () => IoSpec): void {
    const name = entry['name'] as string;
    checkKeys(entry, allowedKeys, `${this.side} '${name}'`, this.fail);
    const key = sanitizeV1Name(name);
    if (key === '') this.fail(entry, `${this.side} name '${name}' has no letters or digits`, 'give it a name such as input_1');
    const clash = this.declared[key];
    if (clash) {
      this.fail(
        entry,
        `${this.side}s '${clash.name}' and '${name}' both become '${key}' (names are lower-cased, other characters become _)`,
        'rename one of them',
      );
    }
    this.specs[key] = specOf();
    this.declared[key] = { name, type: describeV1Type(entry['type']) };
    const description = optionalString(entry, 'description', `${this.side} '${name}'`, this.fail);
    if (description !== undefined) this.docs[key] = description;
  }
}

function inputSpec(entry: Fields, fail: Fail): IoSpec {
  const { name, type } = entry;
  const optionalFlag = entry['optional'];
  if (optionalFlag !== undefined && typeof optionalFlag !== 'boolean') {
    fail(
      entry,
      `input '${String(name)}': optional is ${JSON.stringify(optionalFlag)}, not true or false`,
      'write optional: true or optional: false',
    );
  }
  const hasDefault = entry['default'] !== undefined && entry['default'] !== null;
  const optional = optionalFlag === true || hasDefault;
  if (isTaskFinalStatusType(type)) {
    return { kind: 'parameter', type: 'TASK_FINAL_STATUS', isOptional: true, irOptional: true };
  }
  const parameterType = v1ParameterType(type);
  if (parameterType === undefined) return { kind: 'artifact', artifactType: artifactOf(entry, fail), isList: false, isOptional: optional };
  let defaultValue: unknown;
  if (hasDefault) {
    const converted = v1DefaultValue(parameterType, entry['default']);
    if ('problem' in converted)
      fail(
        entry,
        `input '${String(name)}' (${describeV1Type(type)}): ${converted.problem}`,
        "write a default of the input's type, or change its type",
      );
    else defaultValue = converted.value;
  }
  return {
    kind: 'parameter',
    type: parameterType,
    isOptional: optional,
    irOptional: optional,
    ...(hasDefault ? { defaultValue } : {}),
  };
}

function outputSpec(entry: Fields, fail: Fail): IoSpec {
  if (isTaskFinalStatusType(entry['type'])) {
    fail(
      entry,
      `output '${String(entry['name'])}' has type PipelineTaskFinalStatus, which only an exit task's input can have`,
      'give the output another type, e.g. JsonObject',
    );
  }
  const parameterType = v1ParameterType(entry['type']);
  if (parameterType !== undefined) return { kind: 'parameter', type: parameterType, isOptional: false, irOptional: false };
  return { kind: 'artifact', artifactType: artifactOf(entry, fail), isList: false, isOptional: false };
}

function artifactOf(entry: Fields, fail: Fail): ArtifactType {
  const { schemaTitle, schemaVersion } = v1ArtifactType(entry['type']);
  try {
    return artifactType(schemaTitle, schemaVersion);
  } catch (error) {
    return fail(
      entry,
      `'${String(entry['name'])}': ${(error as Error).message}`,
      'use a type such as Dataset, Model or google.VertexModel',
    );
  }
}

/** A v1 `env` map as IR env entries; the reference passes the values through unresolved, so only text works. */
function envList(env: unknown, fail: Fail): { name: string; value: string }[] {
  if (env === undefined || env === null) return [];
  if (!isRecord(env)) return fail(env, 'implementation.container.env is not a map', 'write env: {NAME: value, …}');
  return Object.entries(env).map(([name, value]) => {
    if (typeof value !== 'string') {
      const placeholder = isRecord(value);
      fail(
        env,
        `env ${name} is ${JSON.stringify(value)}, ${placeholder ? 'a placeholder, which KFP v2 does not resolve in env' : 'not a string'}`,
        placeholder ? `pass the value as an argument instead (args: […, {inputValue: …}])` : `quote it: ${name}: '${String(value)}'`,
      );
    }
    return { name, value: value as string };
  });
}

function listOf(document: Fields, key: 'inputs' | 'outputs', fail: Fail): Fields[] {
  const list = document[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return fail(list, `'${key}' is not a list`, `write ${key}: [{name: …, type: …}, …]`);
  return list.map((entry, index) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string') {
      return fail(isRecord(entry) ? entry : list, `${key}[${index}] has no name`, `write each of the ${key} as {name: NAME, type: TYPE}`);
    }
    return entry;
  });
}

function checkKeys(fields: Fields, allowed: readonly string[], what: string, fail: Fail): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) fail(fields, `${what} has an unknown field '${key}'`, `use only ${allowed.join(', ')}`);
  }
}

function optionalString(fields: Fields, key: string, what: string, fail: Fail): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(fields, `${what}: ${key} is not a string`, `quote it: ${key}: '…'`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
