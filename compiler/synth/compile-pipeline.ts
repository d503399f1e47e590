import type { ComponentDefinition } from '../dsl/component-definition';
import type { Component } from '../dsl/component';
import { PipelineValidationError } from '../dsl/errors';
import { isPipeline } from '../dsl/pipeline';
import type { PipelineBody } from '../dsl/pipeline-body';
import type { Task } from '../dsl/task';
import type { IoSpec } from '../dsl/types';
import type {
  IrComponentSpec,
  IrDagOutputs,
  IrExecutorSpec,
  IrPipelineSpec,
  IrPipelineTaskSpec,
} from '../ir/pipeline-spec';
import { assertValidPipelineSpec } from '../ir/validate-pipeline-spec';
import { containerExecutor, importerExecutor } from './executors';
import { ioDefinitions } from './io-definitions';
import { mergeCompiledPipeline } from './merge-compiled-pipeline';
import { UniqueNames, sanitizeName } from './names';
import { TaskInputsBuilder } from './task-inputs';
import { upstreamTasks, validatePipelineBody } from './validate';
import { wrapComponentAsPipeline } from './wrap-component';

export interface CompileOptions {
  /**
   * `sdkVersion` written into the IR. Tests comparing with the reference compiler's goldens set
   * `kfp-2.15.2`. @default `kfp-ts-<package version>`
   */
  readonly sdkVersion?: string;
  /** Replaces the pipeline name (`pipelineInfo.name`). */
  readonly pipelineName?: string;
  /**
   * Check the emitted document against the PipelineSpec JSON Schema (a backstop: a failure is a
   * kfp-ts bug, reported as such). @default true
   */
  readonly checkSchema?: boolean;
}

/** Anything made by `pipeline()`, `containerComponent()` or a component loader. */
export interface CompileTarget {
  readonly definition: ComponentDefinition;
}

export const schemaVersion = '2.1.0';
export const defaultSdkVersion = `kfp-ts-${(require('../../package.json') as { version: string }).version}`;

/**
 * Compiles a pipeline (or a single component, wrapped as a one-task pipeline) to KFP IR: validates
 * the whole tree first and throws one PipelineValidationError with every problem, then emits.
 */
export function compilePipeline(target: CompileTarget, options: CompileOptions = {}): IrPipelineSpec {
  const pipeline = isPipeline(target) ? target : wrapComponentAsPipeline(target as Component<any, any>);
  const body = pipeline.body;
  const problems = validatePipelineBody(body);
  if (problems.length) throw new PipelineValidationError(problems);

  const document = new DocumentBuilder();
  const root = document.dagComponent(body);
  const definition = pipeline.definition;
  const spec: IrPipelineSpec = {
    components: document.components,
    deploymentSpec: { executors: document.executors },
    pipelineInfo: {
      ...(definition.description !== undefined && isPipeline(target) ? { description: definition.description } : {}),
      name: options.pipelineName ?? sanitizeName(definition.name),
    },
    root,
    schemaVersion,
    sdkVersion: options.sdkVersion ?? defaultSdkVersion,
  };
  if (options.checkSchema ?? true) {
    assertValidPipelineSpec(spec, `kfp-ts internal error: the IR compiled for pipeline '${definition.name}'`);
  }
  return spec;
}

/** Document-wide state: component and executor entries, and the names they are unique among. */
class DocumentBuilder {
  readonly components: Record<string, IrComponentSpec> = {};
  readonly executors: Record<string, IrExecutorSpec> = {};
  readonly componentNames = new UniqueNames();

  /** A DAG component for a pipeline body; its tasks' components are named depth-first in creation order. */
  dagComponent(body: PipelineBody): IrComponentSpec {
    const tasks: Record<string, IrPipelineTaskSpec> = {};
    for (const task of body.tasks) tasks[task.name] = this.task(task);
    const outputs = dagOutputs(body);
    const inputDefinitions = ioDefinitions(body.inputs, 'input');
    const outputDefinitions = ioDefinitions(body.outputSpecs(), 'output');
    return {
      dag: { ...(outputs ? { outputs } : {}), tasks },
      ...(inputDefinitions ? { inputDefinitions } : {}),
      ...(outputDefinitions ? { outputDefinitions } : {}),
    };
  }

  /** Allocates `comp-<name>` (and the matching `exec-` label) unique across the document. */
  allocateComponentName(componentName: string): string {
    return this.componentNames.allocate(`comp-${sanitizeName(componentName)}`);
  }

  private task(task: Task<any>): IrPipelineTaskSpec {
    const inputs = new TaskInputsBuilder();
    for (const [name, value] of Object.entries(task.args)) if (value !== undefined) inputs.argument(name, value);
    const componentName = this.componentFor(task, inputs);
    const dependencies = new Set(inputs.producers);
    for (const upstream of upstreamTasks(task)) dependencies.add(upstream.name);
    const { settings } = task;
    const builtInputs = inputs.build();
    return {
      cachingOptions: {
        ...(settings.caching ? { enableCache: true } : {}),
        ...(settings.cacheKey !== undefined ? { cacheKey: settings.cacheKey } : {}),
      },
      componentRef: { name: componentName },
      ...(dependencies.size ? { dependentTasks: [...dependencies].sort() } : {}),
      ...(builtInputs ? { inputs: builtInputs } : {}),
      ...(settings.retry
        ? {
            retryPolicy: {
              backoffDuration: settings.retry.backoffDuration ?? '0s',
              backoffFactor: settings.retry.backoffFactor ?? 2,
              backoffMaxDuration: settings.retry.backoffMaxDuration ?? '3600s',
              maxRetryCount: settings.retry.maxRetries,
            },
          }
        : {}),
      taskInfo: { name: settings.displayName ?? task.name },
    };
  }

  /** Emits the task's component (and executor) and returns its name. */
  private componentFor(task: Task<any>, inputs: TaskInputsBuilder): string {
    const definition: ComponentDefinition = task.component;
    const implementation = definition.implementation;
    if (implementation.kind === 'compiledPipeline') return mergeCompiledPipeline(this, definition, implementation.spec);
    const name = this.allocateComponentName(definition.name);
    const executorLabel = `exec-${name.slice('comp-'.length)}`;
    switch (implementation.kind) {
      case 'pipeline': {
        // Reserve the name first so nested components are numbered after it, as the reference does.
        this.components[name] = {};
        this.components[name] = this.dagComponent(implementation.body);
        return name;
      }
      case 'container':
        this.executors[executorLabel] = { container: containerExecutor(task, implementation, inputs) };
        this.components[name] = leafComponent(definition.inputs, definition.outputs, executorLabel);
        return name;
      case 'importer': {
        const { executor, metadataInputs } = importerExecutor(task, implementation, inputs);
        const allInputs: Record<string, IoSpec> = { ...definition.inputs };
        for (const [inputName, channel] of metadataInputs) {
          allInputs[inputName] = { kind: 'parameter', type: channel.type, isOptional: false, irOptional: false };
        }
        this.executors[executorLabel] = { importer: executor };
        this.components[name] = leafComponent(allInputs, definition.outputs, executorLabel);
        return name;
      }
      case 'loadedImporter':
        this.executors[executorLabel] = { importer: implementation.importer };
        this.components[name] = { ...implementation.componentSpec, executorLabel };
        return name;
    }
  }
}

export type { DocumentBuilder };

function leafComponent(
  inputs: Readonly<Record<string, IoSpec>>,
  outputs: Readonly<Record<string, IoSpec>>,
  executorLabel: string,
): IrComponentSpec {
  const inputDefinitions = ioDefinitions(inputs, 'input');
  const outputDefinitions = ioDefinitions(outputs, 'output');
  return {
    executorLabel,
    ...(inputDefinitions ? { inputDefinitions } : {}),
    ...(outputDefinitions ? { outputDefinitions } : {}),
  };
}

function dagOutputs(body: PipelineBody): IrDagOutputs | undefined {
  const parameters: NonNullable<IrDagOutputs['parameters']> = {};
  const artifacts: NonNullable<IrDagOutputs['artifacts']> = {};
  for (const [name, channel] of Object.entries(body.outputs)) {
    if (channel.source.kind !== 'taskOutput') continue;
    const producerSubtask = channel.source.task.name;
    if (channel.kind === 'parameter') {
      parameters[name] = { valueFromParameter: { outputParameterKey: channel.source.output, producerSubtask } };
    } else {
      artifacts[name] = { artifactSelectors: [{ outputArtifactKey: channel.source.output, producerSubtask }] };
    }
  }
  const outputs: IrDagOutputs = {
    ...(Object.keys(artifacts).length ? { artifacts } : {}),
    ...(Object.keys(parameters).length ? { parameters } : {}),
  };
  return Object.keys(outputs).length ? outputs : undefined;
}
