import type { ComponentDefinition } from '../dsl/component-definition';
import type { PackagedStep } from '../step-packaging/step-container';
import { isGroup, type FlowNode, type Group, type LoopGroup, type PipelineBody } from '../dsl/pipeline-body';
import type { Task } from '../dsl/task';
import type { IoSpec, JsonValue } from '../dsl/types';
import type {
  IrArtifactSpec,
  IrComponentSpec,
  IrDagOutputs,
  IrExecutorSpec,
  IrInputsSpec,
  IrPipelineTaskSpec,
  IrTaskInputs,
} from '../ir/pipeline-spec';
import { conditionString } from './condition-string';
import { containerExecutor, importerExecutor } from './executors';
import { conditionOperands, nodeName, type FlowModel } from './flow-analysis';
import type { FlowChannel } from './flow-channels';
import { artifactsAndParameters, ioDefinitions } from './io-definitions';
import { mergeCompiledPipeline, type CompiledPipelineParts } from './merge-compiled-pipeline';
import { retryPolicySpec } from './retry-policy';
import { UniqueNames } from '../util/names';
import { pythonJsonDumps } from '../util/python-json';
import { TaskInputsBuilder, subvarSelector, type DagScope } from './task-inputs';

/**
 * Emits one pipeline body's DAGs in the reference compiler's order: groups parent-first, and in
 * each DAG its child groups before its tasks. Component names are taken in that order (which is
 * what decides `-2` suffixes when nested pipelines are merged in).
 */
export class DagBuilder {
  readonly components: Record<string, IrComponentSpec> = {};
  readonly executors: Record<string, IrExecutorSpec> = {};
  readonly componentNames = new UniqueNames();
  private readonly groupComponents = new Map<Group, IrComponentSpec>();

  constructor(
    private readonly model: FlowModel,
    private readonly compileNested: (body: PipelineBody) => CompiledPipelineParts,
    private readonly packagedSteps: ReadonlyMap<ComponentDefinition, PackagedStep>,
  ) {}

  build(): CompiledPipelineParts {
    const body = this.model.body;
    const root: IrComponentSpec = {};
    const rootInputs = ioDefinitions(body.inputs, 'input');
    const rootOutputs = ioDefinitions(body.outputSpecs(), 'output');
    this.groupComponents.set(body.root, root);
    for (const group of this.model.groups) this.buildDag(group);
    for (const group of this.model.groups) {
      if (group.kind === 'exitHandler') {
        const parent = this.groupComponents.get(group.parent)!;
        parent.dag!.tasks[group.exitTask.name] = this.exitTaskSpec(group.exitTask, group.name, this.dagScope(group.parent, new Set()));
      }
    }
    const outputs = dagOutputs(this.model.pipelineOutputs, body.root);
    root.dag = { ...(outputs ? { outputs } : {}), tasks: root.dag!.tasks };
    if (rootInputs) root.inputDefinitions = rootInputs;
    if (rootOutputs) root.outputDefinitions = rootOutputs;
    return { root, components: this.components, executors: this.executors };
  }

  private buildDag(group: Group): void {
    const component = this.groupComponents.get(group)!;
    const childGroups = group.children.filter(isGroup);
    const childTasks = group.children.filter((c): c is Task => !isGroup(c) && !c.settings.exitHandlerOf);
    const scope = this.dagScope(group, new Set([...childGroups, ...childTasks].map(nodeName)));
    const tasks: Record<string, IrPipelineTaskSpec> = {};
    for (const child of childGroups) {
      const channels = this.groupChannels(child);
      const name = this.componentNames.allocate(`comp-${child.name}`);
      const spec = this.groupComponentSpec(child, channels);
      this.components[name] = spec;
      this.groupComponents.set(child, spec);
      tasks[child.name] = this.groupTaskSpec(child, channels, scope, name);
    }
    for (const task of childTasks) tasks[task.name] = this.taskSpec(task, scope);
    const outputs = group.kind === 'root' ? undefined : dagOutputs(this.model.outputs.get(group), group);
    component.dag = { ...(outputs ? { outputs } : {}), tasks };
  }

  private dagScope(group: Group, siblings: ReadonlySet<string>): DagScope {
    const definitions =
      group.kind === 'root' ? ioDefinitions(this.model.body.inputs, 'input') : this.groupComponents.get(group)!.inputDefinitions;
    return { isRoot: group.kind === 'root', siblings, inputNames: inputNames(definitions) };
  }

  /** The values a group takes in: what its tasks need from outside, plus its own loop items or condition operands. */
  private groupChannels(group: Group): FlowChannel[] {
    const needed = [...(this.model.inputs.get(group) ?? [])];
    if (group.kind === 'loop') {
      const channels = needed.filter((channel) => !channel.withItems || this.loopOwnsLiteralItem(group, channel));
      const items = this.model.channels.loopItems(group);
      if (items) channels.push(items);
      channels.push(this.model.channels.loopArgument(group));
      return channels;
    }
    if (group.kind === 'condition') {
      return [...needed, ...conditionOperands(group.conditions).map((o) => this.model.channels.of(o))];
    }
    return needed;
  }

  /**
   * A literal list's item (or a field of it) is threaded into the loops nested in its own loop;
   * its own loop gets the item from its iterator, and its tasks read fields out of that.
   */
  private loopOwnsLiteralItem(group: LoopGroup, channel: FlowChannel): boolean {
    return this.model
      .chain(group)
      .slice(0, -1)
      .some((node) => isGroup(node) && node.kind === 'loop' && channel.derivesFrom(this.model.channels.loopArgument(node)));
  }

  private groupComponentSpec(group: Group, channels: FlowChannel[]): IrComponentSpec {
    const inputDefinitions = channelDefinitions(channels.map((channel) => [channel.pipelineChannelName, channel] as const));
    const outputDefinitions = channelDefinitions(this.model.outputs.get(group) ?? []);
    return { ...(inputDefinitions ? { inputDefinitions } : {}), ...(outputDefinitions ? { outputDefinitions } : {}) };
  }

  private groupTaskSpec(group: Group, channels: FlowChannel[], scope: DagScope, componentName: string): IrPipelineTaskSpec {
    const parameters: NonNullable<IrTaskInputs['parameters']> = {};
    const artifacts: NonNullable<IrTaskInputs['artifacts']> = {};
    for (const channel of channels) {
      const inputName = channel.pipelineChannelName;
      let fullName = channel.fullName;
      let outputKey = channel.name;
      let selector: string | undefined;
      const base = channel.role.kind === 'subvar' ? channel.role.of : undefined;
      // A DAG that was handed the field alone (not the whole item) passes it on as it is.
      const fieldAlone = base !== undefined && !scope.inputNames.has(base.pipelineChannelName) && scope.inputNames.has(inputName);
      if (channel.role.kind === 'subvar' && !fieldAlone) {
        fullName = channel.role.of.fullName;
        selector = subvarSelector(channel.role.key);
        const items = channel.role.of.role.kind === 'loopArgument' ? channel.role.of.role.items : undefined;
        if (!channel.withItems && items) outputKey = items.name;
      }
      const fromSibling = channel.taskName !== undefined && scope.siblings.has(channel.taskName);
      if (channel.kind === 'artifact') {
        artifacts[inputName] = fromSibling
          ? { taskOutputArtifact: { producerTask: channel.taskName!, outputArtifactKey: outputKey } }
          : { componentInputArtifact: scope.isRoot ? fullName : `pipelinechannel--${fullName}` };
      } else {
        parameters[inputName] = {
          ...(fromSibling
            ? { taskOutputParameter: { producerTask: channel.taskName!, outputParameterKey: outputKey } }
            : { componentInputParameter: scope.isRoot ? fullName : `pipelinechannel--${fullName}` }),
          ...(selector !== undefined ? { parameterExpressionSelector: selector } : {}),
        };
      }
    }
    const spec: IrPipelineTaskSpec = { taskInfo: { name: group.displayName ?? group.name }, componentRef: { name: componentName } };
    if (group.kind === 'loop') this.applyIterator(group, spec, parameters, artifacts);
    if (group.kind === 'condition') spec.triggerPolicy = { condition: conditionString(group.conditions, this.model.channels) };
    const inputs = artifactsAndParameters(artifacts, parameters);
    if (inputs) spec.inputs = inputs;
    const dependencies = this.dependencyNames(group);
    if (dependencies.length) spec.dependentTasks = dependencies;
    return spec;
  }

  private applyIterator(
    group: LoopGroup,
    spec: IrPipelineTaskSpec,
    parameters: NonNullable<IrTaskInputs['parameters']>,
    artifacts: NonNullable<IrTaskInputs['artifacts']>,
  ): void {
    const argument = this.model.channels.loopArgument(group);
    const itemInput = argument.pipelineChannelName;
    if (Array.isArray(group.items)) {
      spec.parameterIterator = { itemInput, items: { raw: pythonJsonDumps(group.items as JsonValue[], true) } };
    } else {
      const items = this.model.channels.loopItems(group)!;
      if (items.kind === 'artifact') {
        spec.artifactIterator = { itemInput, items: { inputArtifact: items.pipelineChannelName } };
      } else {
        spec.parameterIterator = { itemInput, items: { inputParameter: items.pipelineChannelName } };
        if (items.role.kind === 'subvar') {
          parameters[items.pipelineChannelName] = {
            componentInputParameter: items.role.of.pipelineChannelName,
            parameterExpressionSelector: subvarSelector(items.role.key),
          };
        }
      }
    }
    delete parameters[itemInput];
    delete artifacts[itemInput];
    if (group.parallelism > 0) spec.iteratorPolicy = { parallelismLimit: group.parallelism };
  }

  private dependencyNames(node: FlowNode): string[] {
    return [...(this.model.dependencies.get(node) ?? [])].map(nodeName).sort();
  }

  private taskSpec(task: Task, scope: DagScope): IrPipelineTaskSpec {
    const inputs = new TaskInputsBuilder(scope, this.model.channels, task);
    for (const [name, value] of Object.entries(task.args)) if (value !== undefined) inputs.argument(name, value);
    const componentName = this.componentFor(task, inputs);
    const upstream = this.dependencyNames(task);
    const { settings } = task;
    if (settings.ignoreUpstreamFailure) {
      for (const [name, spec] of Object.entries(task.component.inputs)) {
        if (spec.kind === 'parameter' && spec.type === 'TASK_FINAL_STATUS' && upstream.length === 1) {
          inputs.set(name, { taskFinalStatus: { producerTask: upstream[0]! } });
        }
      }
    }
    return this.finishTaskSpec(task, componentName, inputs, upstream, settings.ignoreUpstreamFailure);
  }

  /**
   * The exit task: after its ExitHandler's DAG whatever its state, with that DAG's final status. It
   * reads only pipeline inputs and constants (validated), so no sibling outputs are in its scope.
   */
  private exitTaskSpec(task: Task, exitHandlerName: string, scope: DagScope): IrPipelineTaskSpec {
    const inputs = new TaskInputsBuilder(scope, this.model.channels, task);
    for (const [name, value] of Object.entries(task.args)) if (value !== undefined) inputs.argument(name, value);
    for (const [name, spec] of Object.entries(task.component.inputs)) {
      if (spec.kind === 'parameter' && spec.type === 'TASK_FINAL_STATUS')
        inputs.set(name, { taskFinalStatus: { producerTask: exitHandlerName } });
    }
    const componentName = this.componentFor(task, inputs);
    return this.finishTaskSpec(task, componentName, inputs, [exitHandlerName], true);
  }

  private finishTaskSpec(
    task: Task,
    componentName: string,
    inputs: TaskInputsBuilder,
    dependencies: string[],
    allUpstreamCompleted: boolean,
  ): IrPipelineTaskSpec {
    const { settings } = task;
    const builtInputs = inputs.build();
    return {
      cachingOptions: {
        ...(settings.caching ? { enableCache: true } : {}),
        ...(settings.cacheKey !== undefined ? { cacheKey: settings.cacheKey } : {}),
      },
      componentRef: { name: componentName },
      ...(dependencies.length ? { dependentTasks: dependencies } : {}),
      ...(builtInputs ? { inputs: builtInputs } : {}),
      ...(settings.retry ? { retryPolicy: retryPolicySpec(settings.retry) } : {}),
      taskInfo: { name: settings.displayName ?? task.name },
      ...(allUpstreamCompleted ? { triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' as const } } : {}),
    };
  }

  /** Emits the task's component (and executor) and returns its name: `comp-<task name>`, made unique. */
  private componentFor(task: Task, inputs: TaskInputsBuilder): string {
    const definition = task.component;
    const implementation = definition.implementation;
    if (implementation.kind === 'compiledPipeline' || implementation.kind === 'pipeline') {
      const parts =
        implementation.kind === 'pipeline'
          ? this.compileNested(implementation.body)
          : {
              root: implementation.spec.root,
              components: implementation.spec.components ?? {},
              executors: implementation.spec.deploymentSpec?.executors ?? {},
            };
      const root = mergeCompiledPipeline(this, parts);
      const name = this.componentNames.allocate(`comp-${task.name}`);
      this.components[name] = root;
      return name;
    }
    const name = this.componentNames.allocate(`comp-${task.name}`);
    const executorLabel = `exec-${name.slice('comp-'.length)}`;
    switch (implementation.kind) {
      case 'container':
        this.executors[executorLabel] = { container: containerExecutor(task, implementation, inputs) };
        this.components[name] = leafComponent(definition.inputs, definition.outputs, executorLabel);
        return name;
      case 'function': {
        const step = this.packagedSteps.get(definition);
        if (!step) throw new Error(`kfp-ts internal error: function component '${definition.name}' was not packaged`);
        const container = { kind: 'container', image: step.image, command: step.command, args: step.args } as const;
        this.executors[executorLabel] = { container: containerExecutor(task, container, inputs) };
        this.components[name] = leafComponent(definition.inputs, definition.outputs, executorLabel);
        return name;
      }
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

/** Input or output definitions for channels, by name. */
function channelDefinitions(channels: Iterable<readonly [string, FlowChannel]>): IrInputsSpec | undefined {
  const parameters: NonNullable<IrInputsSpec['parameters']> = {};
  const artifacts: NonNullable<IrInputsSpec['artifacts']> = {};
  for (const [name, channel] of channels) {
    if (channel.kind === 'artifact') artifacts[name] = artifactDefinition(channel);
    else parameters[name] = { parameterType: channel.type.parameterType! };
  }
  return artifactsAndParameters(artifacts, parameters);
}

function artifactDefinition(channel: FlowChannel): IrArtifactSpec {
  const type = channel.type.artifactType!;
  return {
    artifactType: { schemaTitle: type.schemaTitle, schemaVersion: type.schemaVersion },
    ...(channel.type.isList ? { isArtifactList: true } : {}),
  };
}

function inputNames(definitions: IrInputsSpec | undefined): Set<string> {
  return new Set([...Object.keys(definitions?.parameters ?? {}), ...Object.keys(definitions?.artifacts ?? {})]);
}

/** `dag.outputs` from surfaced channels: one selector each, or, in its If/Else chain, one per branch for a OneOf. */
function dagOutputs(outputs: ReadonlyMap<string, FlowChannel> | undefined, group: Group): IrDagOutputs | undefined {
  if (!outputs || outputs.size === 0) return undefined;
  const parameters: NonNullable<IrDagOutputs['parameters']> = {};
  const artifacts: NonNullable<IrDagOutputs['artifacts']> = {};
  for (const [key, channel] of outputs) {
    const isOneOfHere = channel.role.kind === 'oneOf' && channel.role.branches === group;
    const selectors = isOneOfHere && channel.role.kind === 'oneOf' ? channel.role.inner : [channel];
    if (channel.kind === 'artifact') {
      artifacts[key] = {
        artifactSelectors: selectors.map((s) => ({ outputArtifactKey: s.name, producerSubtask: s.taskName! })),
      };
    } else if (isOneOfHere) {
      parameters[key] = {
        valueFromOneof: {
          parameterSelectors: selectors.map((s) => ({ outputParameterKey: s.name, producerSubtask: s.taskName! })),
        },
      };
    } else {
      parameters[key] = { valueFromParameter: { outputParameterKey: channel.name, producerSubtask: channel.taskName! } };
    }
  }
  return artifactsAndParameters(artifacts, parameters);
}
