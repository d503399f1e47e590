import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionComponent, InputArtifact, OutputArtifact } from './function-component';
import type { ExecutorInput, ExecutorOutput, RuntimeArtifact } from '../ir/executor-protocol';
import type { IrValue } from '../ir/pipeline-spec';
import { localPathForArtifact } from '../ir/artifact-paths';
import { KfpTsError } from '../errors/kfp-ts-error';

/** The implementation returned or wrote something its declaration does not allow. */
export class FunctionComponentError extends KfpTsError {
  override readonly name = 'FunctionComponentError';
}

function inputArtifact(artifact: RuntimeArtifact): InputArtifact {
  return { uri: artifact.uri ?? '', path: localPathForArtifact(artifact), metadata: artifact.metadata ?? {} };
}

/**
 * Runs a function component's implementation against an ExecutorInput, as the KFP launcher would:
 * typed inputs in, output artifacts provisioned (their folders made), and the returned output
 * parameters plus the artifacts' metadata written as the ExecutorOutput file.
 */
export async function executeFunctionComponent(component: FunctionComponent, input: ExecutorInput): Promise<ExecutorOutput> {
  const { definition } = component;
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.inputs)) {
    if (spec.kind === 'parameter') {
      // A default reaches the implementation even where the launcher leaves the value out.
      const value = input.inputs?.parameterValues?.[name] ?? spec.defaultValue;
      if (value !== undefined) inputs[name] = value;
      continue;
    }
    const artifacts = input.inputs?.artifacts?.[name]?.artifacts ?? [];
    if (spec.isList) inputs[name] = artifacts.map(inputArtifact);
    else if (artifacts[0]) inputs[name] = inputArtifact(artifacts[0]);
  }
  const outputs: Record<string, OutputArtifact> = {};
  for (const [name, spec] of Object.entries(definition.outputs)) {
    if (spec.kind !== 'artifact') continue;
    const provisioned = input.outputs?.artifacts?.[name]?.artifacts?.[0];
    if (!provisioned)
      throw new FunctionComponentError(`the executor input provisions no output artifact '${name}' for component '${definition.name}'`);
    const artifactPath = localPathForArtifact(provisioned);
    fs.mkdirSync(path.dirname(artifactPath), { recursive: true });
    outputs[name] = { uri: provisioned.uri ?? '', path: artifactPath, metadata: { ...(provisioned.metadata ?? {}) } };
  }
  const returned = ((await component.implementation({ inputs, outputs } as never)) ?? {}) as Record<string, unknown>;
  const parameterValues: Record<string, IrValue> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(definition.outputs)) {
    if (spec.kind !== 'parameter') continue;
    if (!(name in returned) || returned[name] === undefined)
      problems.push(`output parameter '${name}' was not returned; return { ${name}: … } from the implementation`);
    else parameterValues[name] = returned[name] as IrValue;
  }
  for (const name of Object.keys(returned)) {
    if (!(name in definition.outputs)) problems.push(`returned '${name}', which is not an output parameter of '${definition.name}'`);
  }
  if (problems.length) throw new FunctionComponentError(`component '${definition.name}': ${problems.join('; ')}`);
  const output: ExecutorOutput = {
    parameterValues,
    artifacts: Object.fromEntries(
      Object.entries(outputs).map(([name, artifact]) => [
        name,
        { artifacts: [{ name, uri: artifact.uri, metadata: artifact.metadata as never }] },
      ]),
    ),
  };
  const outputFile = input.outputs?.outputFile;
  if (outputFile) {
    fs.mkdirSync(path.dirname(outputFile), { recursive: true });
    fs.writeFileSync(outputFile, JSON.stringify(output));
  }
  return output;
}
