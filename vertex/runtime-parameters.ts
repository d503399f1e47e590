import type { IrPipelineSpec, IrValue } from '../compiler/ir/pipeline-spec';
import { RunParameterError, resolveRunParameters } from '../runner/run-parameters';
import { VertexInputError } from './vertex-input-error';

/**
 * `runtimeConfig.parameterValues` for a KFP v2 pipeline: the given values checked against the root
 * `inputDefinitions` before any call (unknown names, wrong types, required parameters with no
 * default and no value), with the runner's rules, so a value that runs locally submits too.
 *
 * Like the Vertex Python SDK, only the given values are sent (null ones dropped): the service fills
 * the declared defaults. Unlike the SDK, which passes values through untyped, command-line strings
 * are parsed by the declared type (`--param epochs=3` is the number 3) and a mismatch is an error.
 */
export function runtimeParameterValues(
  spec: IrPipelineSpec,
  given: Readonly<Record<string, unknown>>,
  fromCommandLine: boolean,
): Record<string, IrValue> {
  rejectLegacySchema(spec);
  const present = Object.fromEntries(Object.entries(given).filter(([, value]) => value != null));
  let resolved: Record<string, IrValue>;
  try {
    resolved = resolveRunParameters(spec.root, present, fromCommandLine);
  } catch (error) {
    if (error instanceof RunParameterError) throw new VertexInputError(error.problems);
    throw error;
  }
  return Object.fromEntries(Object.keys(present).map((name) => [name, resolved[name]!]));
}

/** schemaVersion ≤ 2.0.0 IR takes the legacy typed `parameters` map, which kfp-ts does not write. */
function rejectLegacySchema(spec: IrPipelineSpec): void {
  const [major = 0, minor = 0, patch = 0] = (spec.schemaVersion ?? '').split('.').map(Number);
  if (major > 2 || (major === 2 && (minor > 0 || patch > 0))) return;
  throw new VertexInputError([
    `the pipeline has schemaVersion '${spec.schemaVersion}'; kfp-ts submits KFP v2 IR (schemaVersion 2.1.0): recompile it with kfp-ts or KFP SDK 2.x`,
  ]);
}
