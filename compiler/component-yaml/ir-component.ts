/**
 * A compiled KFP v2 IR document (a component or pipeline compiled by the KFP SDK or kfp-ts) read as
 * a component: a one-task pipeline that passes its inputs straight through is that task's
 * container or importer, as the reference treats it; anything else is used whole, as a pipeline.
 */
import type { ComponentImplementation } from '../dsl/component-definition';
import { artifactType } from '../dsl/artifacts';
import type { IoSpec, ParameterTypeName } from '../dsl/types';
import type { IrComponentSpec, IrInputsSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import { validatePipelineSpec } from '../ir/validate-pipeline-spec';
import { ComponentLoadError } from './component-load-error';
import { checkIrPlaceholders } from './ir-placeholders';
import type { ParsedComponent } from './parsed-component';

export function isIrDocument(value: unknown): value is IrPipelineSpec {
  return typeof value === 'object' && value !== null && 'pipelineInfo' in value && 'root' in value;
}

export function parseIrComponent(spec: IrPipelineSpec, source: string, lineOf: (value: unknown) => number | undefined): ParsedComponent {
  // Interpreting first reports an unsupported type as such, not as the schema problem it also is; a
  // document too malformed to interpret is reported by the schema check instead.
  let parsed: ParsedComponent | undefined;
  let malformed: unknown;
  try {
    parsed = interpret(spec, source);
  } catch (error) {
    if (error instanceof ComponentLoadError) throw error;
    malformed = error;
  }
  const problems = validatePipelineSpec(spec);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`));
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new ComponentLoadError(
      source,
      `not a valid PipelineSpec: ${shown.join('; ')}${more}`,
      'fix those fields, or compile the component again with the KFP SDK or kfp-ts (`kfp-ts validate` lists every problem)',
    );
  }
  if (parsed === undefined) throw malformed;
  checkIrPlaceholders(spec, source, lineOf);
  return parsed;
}

function interpret(spec: IrPipelineSpec, source: string): ParsedComponent {
  const name = spec.pipelineInfo.name;
  const single = singleContainerComponent(spec);
  const definitions = single ?? spec.root;
  const inputs = specsFrom(definitions.inputDefinitions, 'input', source);
  const outputs = specsFrom(definitions.outputDefinitions, 'output', source);
  const docs = { inputs: descriptionsOf(inputs), outputs: descriptionsOf(outputs) };
  if (!single) return { format: 'ir', name, inputs, outputs, implementation: { kind: 'compiledPipeline', spec }, docs };
  const executor = spec.deploymentSpec!.executors[single.executorLabel!]!;
  let implementation: ComponentImplementation;
  if (executor.container) {
    const { image, command = [], args = [], env, resources } = executor.container;
    implementation = { kind: 'container', image, command, args, preset: { ...(env ? { env } : {}), ...(resources ? { resources } : {}) } };
  } else if (executor.importer) {
    implementation = { kind: 'loadedImporter', importer: executor.importer, componentSpec: single };
  } else {
    throw new ComponentLoadError(
      source,
      `executor '${single.executorLabel}' is neither a container nor an importer`,
      'load a component whose executor is a container or an importer',
    );
  }
  return { format: 'ir', name, inputs, outputs, implementation, docs };
}

function singleContainerComponent(spec: IrPipelineSpec): IrComponentSpec | undefined {
  const tasks = Object.values(spec.root?.dag?.tasks ?? {});
  if (tasks.length !== 1) return undefined;
  const task = tasks[0]!;
  const component = spec.components?.[task.componentRef?.name];
  if (!component?.executorLabel || !spec.deploymentSpec?.executors?.[component.executorLabel]) return undefined;
  const passesThrough =
    Object.entries(task.inputs?.parameters ?? {}).every(([k, v]) => v.componentInputParameter === k) &&
    Object.entries(task.inputs?.artifacts ?? {}).every(([k, v]) => v.componentInputArtifact === k);
  return passesThrough ? component : undefined;
}

// A record rather than a list, so that a type added to ParameterTypeName must be added here too.
const supportedParameterTypes: Record<ParameterTypeName, true> = {
  STRING: true,
  NUMBER_INTEGER: true,
  NUMBER_DOUBLE: true,
  BOOLEAN: true,
  LIST: true,
  STRUCT: true,
  TASK_FINAL_STATUS: true,
};
const parameterTypes = new Set(Object.keys(supportedParameterTypes));

function specsFrom(definitions: IrInputsSpec | undefined, side: 'input' | 'output', source: string): Record<string, IoSpec> {
  const specs: Record<string, IoSpec> = {};
  for (const [name, parameter] of Object.entries(definitions?.parameters ?? {})) {
    if (!parameterTypes.has(parameter.parameterType)) {
      throw new ComponentLoadError(
        source,
        `${side} '${name}' has parameter type ${parameter.parameterType}, which kfp-ts cannot pass yet`,
        `use a component whose ${side}s are STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT or TASK_FINAL_STATUS`,
      );
    }
    const hasDefault = parameter.defaultValue !== undefined;
    specs[name] = {
      kind: 'parameter',
      type: parameter.parameterType as ParameterTypeName,
      isOptional: hasDefault || parameter.isOptional === true,
      irOptional: parameter.isOptional === true,
      ...(hasDefault ? { defaultValue: parameter.defaultValue } : {}),
      ...(parameter.description !== undefined ? { description: parameter.description } : {}),
    };
  }
  for (const [name, artifact] of Object.entries(definitions?.artifacts ?? {})) {
    const { schemaTitle, schemaVersion } = artifact.artifactType ?? {};
    let type: ReturnType<typeof artifactType>;
    try {
      type = artifactType(schemaTitle, schemaVersion ?? '0.0.1');
    } catch (error) {
      throw new ComponentLoadError(
        source,
        `${side} '${name}': ${(error as Error).message}`,
        "give it a schemaTitle of the form '<namespace>.<Name>'",
      );
    }
    specs[name] = {
      kind: 'artifact',
      artifactType: type,
      isList: artifact.isArtifactList === true,
      isOptional: artifact.isOptional === true,
      ...(artifact.description !== undefined ? { description: artifact.description } : {}),
    };
  }
  return specs;
}

function descriptionsOf(specs: Record<string, IoSpec>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(specs).flatMap(([name, spec]) => (spec.description === undefined ? [] : [[name, spec.description]])),
  );
}
