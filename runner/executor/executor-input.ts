import type { ArtifactList, ExecutorInput, RuntimeArtifact } from '../../compiler/ir/executor-protocol';
import type { IrValue } from '../../compiler/ir/pipeline-spec';

export interface ExecutorInputParts {
  /**
   * JSON values (typed loosely because the runner's DAG state holds them as `unknown`), already
   * resolved (pipeline placeholders in constants/defaults replaced); `undefined` entries are dropped.
   */
  parameterValues: Record<string, unknown>;
  inputArtifacts: Record<string, RuntimeArtifact[]>;
  /** Output parameter name → the file the task writes its value to. */
  outputParameters: Record<string, string>;
  outputArtifacts: Record<string, RuntimeArtifact>;
  /** The ExecutorOutput file path. */
  outputFile: string;
}

/**
 * Assembles an ExecutorInput. `inputs` and `outputs` and their maps are always present, even when
 * empty (unlike protojson): the Python executor indexes `executor_input['inputs']` directly.
 * Artifacts are copied so that later merging of outputs cannot alias the caller's objects.
 */
export function buildExecutorInput(parts: ExecutorInputParts): ExecutorInput {
  const parameterValues: Record<string, IrValue> = {};
  for (const [name, value] of Object.entries(parts.parameterValues)) {
    if (value !== undefined) parameterValues[name] = value as IrValue;
  }
  const inputArtifacts: Record<string, ArtifactList> = {};
  for (const [name, list] of Object.entries(parts.inputArtifacts)) {
    inputArtifacts[name] = { artifacts: list.map(copyArtifact) };
  }
  const outputParameters: Record<string, { outputFile: string }> = {};
  for (const [name, file] of Object.entries(parts.outputParameters)) {
    outputParameters[name] = { outputFile: file };
  }
  const outputArtifacts: Record<string, ArtifactList> = {};
  for (const [name, artifact] of Object.entries(parts.outputArtifacts)) {
    outputArtifacts[name] = { artifacts: [copyArtifact(artifact)] };
  }
  return {
    inputs: { parameterValues, artifacts: inputArtifacts },
    outputs: { parameters: outputParameters, artifacts: outputArtifacts, outputFile: parts.outputFile },
  };
}

/** A copy with a fresh metadata object and a fixed key order (name, type, uri, metadata, customPath). */
export function copyArtifact(artifact: RuntimeArtifact): RuntimeArtifact {
  const copy: RuntimeArtifact = {
    ...(artifact.name !== undefined ? { name: artifact.name } : {}),
    ...(artifact.type !== undefined ? { type: { ...artifact.type } } : {}),
    uri: artifact.uri,
    metadata: structuredClone(artifact.metadata ?? {}),
  };
  if (artifact.customPath) copy.customPath = artifact.customPath;
  return copy;
}
