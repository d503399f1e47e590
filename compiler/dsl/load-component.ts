import * as fs from 'node:fs';
import * as yaml from 'js-yaml';
import type { IrComponentSpec, IrInputsSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import { artifactType } from './artifacts';
import { makeComponent, type Component } from './component';
import type { ComponentImplementation } from './component-definition';
import { CallSite } from './source-location';
import type { IoSpec, IoSpecs, ParameterTypeName } from './types';

/** A component file that cannot be used, with the file and the reason. */
export class ComponentLoadError extends Error {
  override readonly name = 'ComponentLoadError';
}

/**
 * Loads a KFP component from a compiled IR YAML or JSON file (e.g. a component or pipeline compiled
 * by the KFP Python SDK). Its inputs are checked against the task's arguments when the pipeline
 * compiles; give the signature as type arguments to have `tsc` check them too.
 */
export function loadComponentFromFile<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs>(file: string): Component<I, O> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ComponentLoadError(`Cannot read component file ${file}: ${(error as Error).message}`);
  }
  return loadComponentFromText<I, O>(text, file);
}

export function loadComponentFromText<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs>(
  text: string,
  source = '<component text>',
): Component<I, O> {
  const callSite = new CallSite();
  let document: unknown;
  try {
    document = yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: source });
  } catch (error) {
    throw new ComponentLoadError(`${source}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (!isPipelineSpec(document)) {
    throw new ComponentLoadError(
      `${source}: not a compiled KFP component (expected an IR document with 'pipelineInfo' and 'root'). ` +
        'Compile the component with the KFP SDK or kfp-ts first.',
    );
  }
  const { name, inputs, outputs, implementation } = interpret(document, source);
  return makeComponent<I, O>({ name, inputs, outputs, implementation, callSite });
}

function isPipelineSpec(value: unknown): value is IrPipelineSpec {
  return typeof value === 'object' && value !== null && 'pipelineInfo' in value && 'root' in value;
}

/**
 * A compiled component is a one-task pipeline whose task passes every root input straight through;
 * we then use its container directly, as the reference does. Anything else is used as a pipeline.
 */
function interpret(spec: IrPipelineSpec, source: string) {
  const name = spec.pipelineInfo.name;
  const single = singleContainerComponent(spec);
  if (single) {
    const executor = spec.deploymentSpec!.executors[single.executorLabel!]!;
    let implementation: ComponentImplementation;
    if (executor.container) {
      const { image, command = [], args = [], env, resources } = executor.container;
      implementation = {
        kind: 'container',
        image,
        command,
        args,
        preset: { ...(env ? { env } : {}), ...(resources ? { resources } : {}) },
      };
    } else if (executor.importer) {
      implementation = { kind: 'loadedImporter', importer: executor.importer, componentSpec: single };
    } else {
      throw new ComponentLoadError(`${source}: executor '${single.executorLabel}' is neither a container nor an importer.`);
    }
    return {
      name,
      inputs: specsFrom(single.inputDefinitions, 'input', source),
      outputs: specsFrom(single.outputDefinitions, 'output', source),
      implementation,
    };
  }
  return {
    name,
    inputs: specsFrom(spec.root.inputDefinitions, 'input', source),
    outputs: specsFrom(spec.root.outputDefinitions, 'output', source),
    implementation: { kind: 'compiledPipeline', spec } as const,
  };
}

function singleContainerComponent(spec: IrPipelineSpec): IrComponentSpec | undefined {
  const tasks = Object.values(spec.root.dag?.tasks ?? {});
  if (tasks.length !== 1) return undefined;
  const task = tasks[0]!;
  const component = spec.components?.[task.componentRef.name];
  if (!component?.executorLabel || !spec.deploymentSpec?.executors[component.executorLabel]) return undefined;
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
        `${source}: ${side} '${name}' has parameter type ${parameter.parameterType}, which kfp-ts cannot pass yet — ` +
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
    specs[name] = {
      kind: 'artifact',
      artifactType: loadedArtifactType(artifact.artifactType.schemaTitle, artifact.artifactType.schemaVersion, `${side} '${name}'`, source),
      isList: artifact.isArtifactList === true,
      isOptional: artifact.isOptional === true,
      ...(artifact.description !== undefined ? { description: artifact.description } : {}),
    };
  }
  return specs;
}

function loadedArtifactType(schemaTitle: string, schemaVersion: string | undefined, what: string, source: string) {
  try {
    return artifactType(schemaTitle, schemaVersion ?? '0.0.1');
  } catch (error) {
    throw new ComponentLoadError(`${source}: ${what}: ${(error as Error).message}`);
  }
}
