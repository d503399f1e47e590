import type { IrArtifactSpec, IrInputsSpec, IrParameterSpec, IrValue } from '../ir/pipeline-spec';
import type { IoSpec } from '../dsl/types';

/** `inputDefinitions` / `outputDefinitions` for a signature, or undefined when it is empty. */
export function ioDefinitions(specs: Readonly<Record<string, IoSpec>>, side: 'input' | 'output'): IrInputsSpec | undefined {
  const parameters: Record<string, IrParameterSpec> = {};
  const artifacts: Record<string, IrArtifactSpec> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.kind === 'parameter') {
      parameters[name] = {
        parameterType: spec.type,
        ...(side === 'input' && spec.defaultValue !== undefined ? { defaultValue: spec.defaultValue as IrValue } : {}),
        ...(side === 'input' && spec.irOptional ? { isOptional: true } : {}),
        ...(spec.description !== undefined ? { description: spec.description } : {}),
      };
    } else {
      artifacts[name] = {
        artifactType: { schemaTitle: spec.artifactType.schemaTitle, schemaVersion: spec.artifactType.schemaVersion },
        ...(spec.isList ? { isArtifactList: true } : {}),
        ...(side === 'input' && spec.isOptional ? { isOptional: true } : {}),
        ...(spec.description !== undefined ? { description: spec.description } : {}),
      };
    }
  }
  return artifactsAndParameters(artifacts, parameters);
}

/** `{ artifacts, parameters }` without the empty ones, or undefined when both are empty, as protobuf JSON leaves them out. */
export function artifactsAndParameters<A, P>(
  artifacts: Record<string, A>,
  parameters: Record<string, P>,
): { artifacts?: Record<string, A>; parameters?: Record<string, P> } | undefined {
  const hasArtifacts = Object.keys(artifacts).length > 0;
  const hasParameters = Object.keys(parameters).length > 0;
  if (!hasArtifacts && !hasParameters) return undefined;
  return { ...(hasArtifacts ? { artifacts } : {}), ...(hasParameters ? { parameters } : {}) };
}
