import { readFileSync } from 'node:fs';
import type { IrValue } from '../../compiler/ir/pipeline-spec';
import { OutputError } from './output-error';

/** An artifact as an ExecutorOutput reports it; every field optional. */
export interface ExecutorOutputArtifact {
  uri?: string;
  metadata?: Record<string, IrValue>;
  customPath?: string;
}

export interface NormalizedExecutorOutput {
  parameterValues?: Record<string, IrValue>;
  artifacts?: Record<string, ExecutorOutputArtifact[]>;
}

/**
 * The ExecutorOutput file a task wrote, checked and normalised. A missing file is an empty output
 * (the backend allows it). Both camelCase and snake_case names are read, because protojson accepts
 * both and KFP's Python executor writes `custom_path`. Anything malformed throws an OutputError
 * naming the file.
 */
export function readExecutorOutput(file: string, taskPath: string): NormalizedExecutorOutput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw malformed(file, taskPath, `cannot be read (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed(file, taskPath, `is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw malformed(file, taskPath, 'is not a JSON object');

  const result: NormalizedExecutorOutput = {};
  const parameterValues = parsed.parameterValues ?? parsed.parameter_values;
  if (parameterValues !== undefined) {
    if (!isObject(parameterValues)) throw malformed(file, taskPath, '"parameterValues" is not an object');
    result.parameterValues = parameterValues as Record<string, IrValue>;
  }
  if (parsed.artifacts !== undefined) {
    if (!isObject(parsed.artifacts)) throw malformed(file, taskPath, '"artifacts" is not an object');
    result.artifacts = {};
    for (const [name, entry] of Object.entries(parsed.artifacts)) {
      const list = isObject(entry) ? entry.artifacts : undefined;
      if (!Array.isArray(list)) throw malformed(file, taskPath, `"artifacts.${name}" is not {"artifacts": [...]}`);
      result.artifacts[name] = list.map((artifact, index) =>
        readArtifact(artifact, `artifacts.${name}.artifacts[${index}]`, file, taskPath),
      );
    }
  }
  return result;
}

function readArtifact(value: unknown, where: string, file: string, taskPath: string): ExecutorOutputArtifact {
  if (!isObject(value)) throw malformed(file, taskPath, `"${where}" is not an object`);
  const artifact: ExecutorOutputArtifact = {};
  if (value.uri !== undefined) {
    if (typeof value.uri !== 'string') throw malformed(file, taskPath, `"${where}.uri" is not a string`);
    artifact.uri = value.uri;
  }
  if (value.metadata !== undefined && value.metadata !== null) {
    if (!isObject(value.metadata)) throw malformed(file, taskPath, `"${where}.metadata" is not an object`);
    artifact.metadata = value.metadata as Record<string, IrValue>;
  }
  const customPath = value.customPath ?? value.custom_path;
  if (customPath !== undefined && customPath !== null) {
    if (typeof customPath !== 'string') throw malformed(file, taskPath, `"${where}.customPath" is not a string`);
    artifact.customPath = customPath;
  }
  return artifact;
}

function malformed(file: string, taskPath: string, what: string): OutputError {
  return new OutputError(taskPath, [
    {
      file,
      message: `the ExecutorOutput file ${file} ${what}`,
      fix: 'write a JSON object {"parameterValues": {...}, "artifacts": {name: {"artifacts": [...]}}} there, or nothing at all',
    },
  ]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
