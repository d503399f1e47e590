import { UniqueNames, sanitizeName } from '../synth/names';
import { isChannel, type ArtifactChannel, type ParameterChannel } from './channels';
import type { Task } from './task';
import type { IoSpec } from './types';
import type { CallSite } from './source-location';

/**
 * A scope inside a pipeline body. `root` is the body itself; control-flow constructs (conditions,
 * loops, exit handlers) add nested groups, each compiled to a sub-DAG.
 */
export interface Group {
  readonly kind: 'root';
  readonly parent?: Group;
  readonly children: (Task<any> | Group)[];
}

/** The tree a pipeline function builds: its inputs, its tasks in creation order, its outputs. */
export class PipelineBody {
  readonly root: Group = { kind: 'root', children: [] };
  readonly tasks: Task<any>[] = [];
  private readonly taskNames = new UniqueNames();
  /** Pipeline outputs, as the body function returned them (checked by the compiler). */
  outputs: Readonly<Record<string, ParameterChannel<any, any> | ArtifactChannel<any, any>>> = {};

  constructor(
    readonly name: string,
    readonly inputs: Readonly<Record<string, IoSpec>>,
    readonly callSite: CallSite,
    readonly outputDescriptions: { readonly [output: string]: string } = {},
  ) {}

  /** The path prefix of this body's tasks in messages. */
  get path(): string {
    return sanitizeName(this.name);
  }

  /** A task key for a component name: sanitized, made unique within this pipeline body. */
  allocateTaskName(componentName: string): string {
    return this.taskNames.allocate(sanitizeName(componentName));
  }

  /** Output specs from the returned channels; anything else is reported when the pipeline compiles. */
  outputSpecs(): Record<string, IoSpec> {
    const specs: Record<string, IoSpec> = {};
    for (const [name, channel] of Object.entries(this.outputs)) {
      if (!isChannel(channel)) continue;
      const description = this.outputDescriptions[name];
      const common = { isOptional: false, ...(description !== undefined ? { description } : {}) } as const;
      specs[name] =
        channel.kind === 'parameter'
          ? { kind: 'parameter', type: channel.type, irOptional: false, ...common }
          : { kind: 'artifact', artifactType: channel.artifactType, isList: channel.isList, ...common };
    }
    return specs;
  }

  addTask(task: Task<any>, group: Group): void {
    this.tasks.push(task);
    group.children.push(task);
  }
}
