import { UniqueNames, sanitizeName } from '../util/names';
import { isChannel, type ArtifactChannel, type ConditionOperation, type ParameterChannel } from './channels';
import type { Task } from './task';
import type { IoSpec, JsonValue, ParameterTypeName } from './types';
import type { CallSite } from './source-location';

/** A task or a group: what a group contains. */
export type FlowNode = Task | Group;

interface GroupBase {
  readonly children: FlowNode[];
  /** `condition-3`, `for-loop-2`, …: the group's task key, numbered per pipeline as the reference does. */
  name: string;
  /** `taskInfo.name` when the author named the group. */
  readonly displayName?: string;
  readonly callSite?: CallSite;
}

/** The pipeline body itself. */
export interface RootGroup extends GroupBase {
  readonly kind: 'root';
}

/** An If / Elif / Else branch: runs when every condition (a conjunction) holds. */
export interface ConditionGroup extends GroupBase {
  readonly kind: 'condition';
  parent: Group;
  readonly conditions: readonly ConditionOperation[];
  /** The negations of this and every earlier branch's condition, for the branches after it. */
  readonly negatedUpstream: readonly ConditionOperation[];
}

/** The If/Elif/Else chain around its branches (`condition-branches-N`). */
export interface BranchesGroup extends GroupBase {
  readonly kind: 'branches';
  parent: Group;
  oneOfCount: number;
}

/** A ParallelFor. */
export interface LoopGroup extends GroupBase {
  readonly kind: 'loop';
  parent: Group;
  /** A literal list, or the channel of a list. */
  readonly items: readonly JsonValue[] | ParameterChannel | ArtifactChannel;
  /** For a literal list: the number the reference gives its item input (`loop-item-param-N`). */
  readonly literalItemsId?: number;
  readonly parallelism: number;
  /** The parameter type of one item (artifact loops have none). */
  readonly itemType?: ParameterTypeName;
}

/** An ExitHandler: `exitTask` runs when the group's tasks are done, whatever their state. */
export interface ExitHandlerGroup extends GroupBase {
  readonly kind: 'exitHandler';
  parent: Group;
  readonly exitTask: Task;
}

export type Group = RootGroup | ConditionGroup | BranchesGroup | LoopGroup | ExitHandlerGroup;
export type NestedGroup = Exclude<Group, RootGroup>;

export function isGroup(node: FlowNode): node is Group {
  return 'kind' in node && typeof (node as { kind?: unknown }).kind === 'string' && 'children' in node;
}

/** The tree a pipeline function builds: its inputs, its tasks and groups, its outputs. */
export class PipelineBody {
  readonly root: RootGroup = { kind: 'root', children: [], name: '' };
  /** Every task, in creation order. */
  readonly tasks: Task[] = [];
  private readonly taskNames = new UniqueNames();
  private groupCount = 0;
  /** Pipeline outputs, as the body function returned them (checked by the compiler). */
  outputs: Readonly<Record<string, ParameterChannel | ArtifactChannel>> = {};

  constructor(
    readonly name: string,
    readonly inputs: Readonly<Record<string, IoSpec>>,
    readonly callSite: CallSite,
    readonly outputDescriptions: { readonly [output: string]: string } = {},
  ) {
    this.root.name = sanitizeName(name);
  }

  /** The path prefix of this body's tasks in messages. */
  get path(): string {
    return sanitizeName(this.name);
  }

  /** A task key for a component name: sanitized, made unique within this pipeline body. */
  allocateTaskName(componentName: string): string {
    return this.taskNames.allocate(sanitizeName(componentName));
  }

  /** The next number for a group (one counter per pipeline, shared by every kind of group). */
  nextGroupId(): number {
    return ++this.groupCount;
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

  addTask(task: Task, group: Group): void {
    this.tasks.push(task);
    group.children.push(task);
  }
}
