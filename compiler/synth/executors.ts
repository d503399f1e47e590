import { isChannel, type ParameterChannel } from '../dsl/channels';
import type { ContainerImplementation, ImporterImplementation } from '../dsl/component-definition';
import { isFormattedString } from '../dsl/formatted-string';
import { commandItemText } from '../dsl/placeholders';
import type { ResourceSettings, Task } from '../dsl/task';
import type { IrContainerSpec, IrImporterSpec, IrResourceSpec, IrValue } from '../ir/pipeline-spec';
import { parseCpu, parseMemoryGb } from './resources';
import type { TaskInputsBuilder } from './task-inputs';

/** The container executor of a task: the component's container with the task's settings applied. */
export function containerExecutor(task: Task, implementation: ContainerImplementation, inputs: TaskInputsBuilder): IrContainerSpec {
  const { settings } = task;
  const env = mergeEnv(implementation.preset?.env ?? [], settings.env);
  const resources = { ...implementation.preset?.resources, ...resourceSpec(settings.resources, inputs) };
  return {
    ...(implementation.args.length ? { args: implementation.args.map(commandItemText) } : {}),
    ...(implementation.command.length ? { command: implementation.command.map(commandItemText) } : {}),
    ...(env.length ? { env } : {}),
    image: settings.image ?? implementation.image,
    ...(Object.keys(resources).length ? { resources } : {}),
  };
}

type EnvVariable = NonNullable<IrContainerSpec['env']>[number];

/**
 * A loaded component's env updated by the task's setEnv calls: one entry per name, the last value
 * winning at the name's first position (the reference keeps env as a dict).
 */
function mergeEnv(preset: readonly EnvVariable[], settings: readonly EnvVariable[]): EnvVariable[] {
  const byName = new Map<string, string>();
  for (const { name, value } of [...preset, ...settings]) byName.set(name, value);
  return [...byName].map(([name, value]) => ({ name, value }));
}

/** Task-input names the reference compiler gives resource settings that come from channels. */
const channelInputNames: Record<keyof ResourceSettings, string> = {
  cpuLimit: 'cpu_limit',
  cpuRequest: 'cpu_request',
  memoryLimit: 'memory_limit',
  memoryRequest: 'memory_request',
  acceleratorType: 'accelerator_type',
  acceleratorCount: 'accelerator_count',
};

/**
 * Literal quantities give both the numeric field (cores, GB) and the original string; a quantity
 * from a channel gives only the string field, holding the placeholder of a threaded input.
 */
function resourceSpec(settings: ResourceSettings, inputs: TaskInputsBuilder): IrResourceSpec {
  const text = (key: keyof ResourceSettings): string | undefined => {
    const value = settings[key];
    if (value === undefined) return undefined;
    if (!isChannel(value)) return value;
    const placeholder = inputs.embed(value as ParameterChannel);
    inputs.constant(channelInputNames[key], placeholder);
    return placeholder;
  };
  const spec: IrResourceSpec = {};
  const quantity = (
    key: 'cpuLimit' | 'cpuRequest' | 'memoryLimit' | 'memoryRequest',
    resourceKey: 'resourceCpuLimit' | 'resourceCpuRequest' | 'resourceMemoryLimit' | 'resourceMemoryRequest',
    parse: (value: string) => number | undefined,
  ) => {
    const value = text(key);
    if (value === undefined) return;
    if (!isChannel(settings[key])) {
      const parsed = parse(value);
      if (parsed !== undefined) spec[key] = parsed;
    }
    spec[resourceKey] = value;
  };
  quantity('cpuLimit', 'resourceCpuLimit', parseCpu);
  quantity('cpuRequest', 'resourceCpuRequest', parseCpu);
  quantity('memoryLimit', 'resourceMemoryLimit', parseMemoryGb);
  quantity('memoryRequest', 'resourceMemoryRequest', parseMemoryGb);
  const type = text('acceleratorType');
  if (type !== undefined) {
    const count = text('acceleratorCount') ?? '1';
    const literal = !isChannel(settings.acceleratorType) && !isChannel(settings.acceleratorCount);
    spec.accelerator = literal ? { count, resourceCount: count, resourceType: type, type } : { resourceCount: count, resourceType: type };
  }
  return spec;
}

/**
 * The importer executor: a constant URI, or the `uri` input when it comes from a channel. Channels in
 * the metadata become extra inputs, returned so the component can declare them.
 */
export function importerExecutor(
  task: Task,
  implementation: ImporterImplementation,
  inputs: TaskInputsBuilder,
): { executor: IrImporterSpec; metadataInputs: Map<string, ParameterChannel> } {
  const uri = task.args['uri'];
  const metadataInputs = new Map<string, ParameterChannel>();
  const metadata = implementation.metadata === undefined ? undefined : importerMetadata(implementation.metadata, inputs, metadataInputs);
  const executor: IrImporterSpec = {
    artifactUri: typeof uri === 'string' ? { constant: uri } : { runtimeParameter: 'uri' },
    ...(metadata !== undefined ? { metadata } : {}),
    ...(implementation.reimport ? { reimport: true } : {}),
    typeSchema: {
      schemaTitle: implementation.artifactType.schemaTitle,
      schemaVersion: implementation.artifactType.schemaVersion,
    },
  };
  return { executor, metadataInputs };
}

/**
 * Importer metadata with each distinct channel replaced by a `metadata`, `metadata-2`, … input,
 * numbered in the order the channels are met (keys before values), as the reference does.
 */
function importerMetadata(
  metadata: ImporterImplementationMetadata,
  inputs: TaskInputsBuilder,
  metadataInputs: Map<string, ParameterChannel>,
): { [key: string]: IrValue } {
  const names = new Map<ParameterChannel, string>();
  const placeholder = (channel: ParameterChannel): string => {
    let name = names.get(channel);
    if (name === undefined) {
      name = names.size === 0 ? 'metadata' : `metadata-${names.size + 1}`;
      names.set(channel, name);
      metadataInputs.set(name, channel);
      inputs.argument(name, channel);
    }
    return `{{$.inputs.parameters['${name}']}}`;
  };
  const convert = (value: unknown): IrValue => {
    if (isChannel(value)) return placeholder(value as ParameterChannel);
    if (isFormattedString(value)) return value.parts.map((p) => (typeof p === 'string' ? p : placeholder(p))).join('');
    if (Array.isArray(value)) return value.map(convert);
    if (value instanceof Map) {
      const result: { [key: string]: IrValue } = {};
      for (const [key, item] of value) result[convert(key) as string] = convert(item);
      return result;
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, convert(item)]));
    }
    return value as IrValue;
  };
  return convert(metadata) as { [key: string]: IrValue };
}

type ImporterImplementationMetadata = NonNullable<ImporterImplementation['metadata']>;
