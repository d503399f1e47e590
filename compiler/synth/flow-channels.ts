import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import { isFormattedString } from '../dsl/formatted-string';
import type { FlowNode, LoopGroup } from '../dsl/pipeline-body';
import type { Task } from '../dsl/task';
import type { ArtifactType, ParameterTypeName } from '../dsl/types';

/**
 * A channel as the compiler threads it through DAGs: the reference compiler's PipelineChannel. Its
 * `taskName` and `name` change when an output is surfaced out of a loop or a branch (Collected,
 * OneOf), exactly as the reference mutates its channels, so that every later use reads the
 * surfaced names.
 */
export class FlowChannel {
  constructor(
    readonly kind: 'parameter' | 'artifact',
    /** The task (or group, once surfaced) that produces the value; undefined for pipeline inputs. */
    public taskName: string | undefined,
    /** The output key at the producer, or the input name. */
    public name: string,
    readonly type: { readonly parameterType?: ParameterTypeName; readonly artifactType?: ArtifactType; readonly isList?: boolean },
    /** The node whose position decides which DAGs the value crosses (the reference's `channel.task`). */
    readonly producer: FlowNode | undefined,
    readonly role: FlowRole = { kind: 'plain' },
  ) {}

  get fullName(): string {
    return this.taskName ? `${this.taskName}-${this.name}` : this.name;
  }

  /** The name under which the value is threaded into a sub-DAG. */
  get pipelineChannelName(): string {
    return `pipelinechannel--${this.fullName}`;
  }

  /**
   * This channel and those it was derived from, most specific first: a field of a loop item, the
   * item, the list it iterates, an outer item, … (the reference's `channels_to_add`).
   */
  lineage(): FlowChannel[] {
    const lineage: FlowChannel[] = [];
    for (let current: FlowChannel | undefined = this; current; current = current.base) lineage.push(current);
    return lineage;
  }

  /** Whether this channel is `other` or was derived from it (compared by name, as the reference does). */
  derivesFrom(other: FlowChannel): boolean {
    return this.lineage().some((channel) => channel.fullName === other.fullName);
  }

  private get base(): FlowChannel | undefined {
    if (this.role.kind === 'subvar') return this.role.of;
    if (this.role.kind === 'loopArgument') return this.role.items;
    return undefined;
  }

  /** True for the item (or an item field) of a loop over a literal list. */
  get withItems(): boolean {
    if (this.role.kind === 'loopArgument') return this.role.items === undefined;
    if (this.role.kind === 'subvar') return this.role.of.withItems;
    return false;
  }
}

export type FlowRole =
  | { readonly kind: 'plain' }
  | { readonly kind: 'loopArgument'; readonly loop: LoopGroup; readonly items: FlowChannel | undefined }
  | { readonly kind: 'subvar'; readonly of: FlowChannel; readonly key: string }
  | { readonly kind: 'collected'; readonly inner: FlowChannel }
  | { readonly kind: 'oneOf'; readonly branches: FlowNode; readonly inner: FlowChannel[] };

/**
 * What reads a collection: a task, a loop iterating it, or the pipeline body's root group for the
 * pipeline's own outputs.
 */
export type CollectionConsumer = FlowNode;

/**
 * One FlowChannel per DSL channel (and per loop), so that surfacing is seen by every use; a
 * collection gets one per consumer (below).
 */
export class FlowChannels {
  private readonly byChannel = new Map<ParameterChannel | ArtifactChannel, FlowChannel>();
  private readonly collections = new Map<ParameterChannel | ArtifactChannel, Map<CollectionConsumer, FlowChannel>>();
  private readonly loopArguments = new Map<LoopGroup, FlowChannel>();
  private readonly taskInputCache = new Map<Task, FlowChannel[]>();
  private readonly settingInputCache = new Map<Task, FlowChannel[]>();

  /**
   * The FlowChannel of a DSL channel, as `consumer` reads it. A collection (Collected) is surfaced
   * out of its loops only as far up as its consumer sits, so one collection read at two DAG depths
   * (`loop.outputs.x` in a nested group and at the root, or also returned) needs two surfaced
   * names: each consumer gets its own FlowChannel, as each `dsl.Collected(…)` call is its own
   * channel in the reference compiler.
   */
  of(channel: ParameterChannel | ArtifactChannel, consumer?: CollectionConsumer): FlowChannel {
    if (consumer !== undefined && channel.source.kind === 'collected') {
      let perConsumer = this.collections.get(channel);
      if (!perConsumer) this.collections.set(channel, (perConsumer = new Map()));
      let flow = perConsumer.get(consumer);
      if (!flow) perConsumer.set(consumer, (flow = this.create(channel)));
      return flow;
    }
    let flow = this.byChannel.get(channel);
    if (!flow) {
      flow = this.create(channel);
      this.byChannel.set(channel, flow);
    }
    return flow;
  }

  /** The list a loop iterates over a channel, as the loop reads it (undefined for a literal list). */
  loopItems(loop: LoopGroup): FlowChannel | undefined {
    return Array.isArray(loop.items) ? undefined : this.of(loop.items as ParameterChannel | ArtifactChannel, loop);
  }

  /** The loop's item: `<items>-loop-item`, or `loop-item-param-N` for a literal list. */
  loopArgument(loop: LoopGroup): FlowChannel {
    let argument = this.loopArguments.get(loop);
    if (argument) return argument;
    if (Array.isArray(loop.items)) {
      argument = new FlowChannel(
        'parameter',
        undefined,
        `loop-item-param-${loop.literalItemsId}`,
        { parameterType: loop.itemType ?? 'STRING' },
        undefined,
        {
          kind: 'loopArgument',
          loop,
          items: undefined,
        },
      );
    } else {
      const items = this.loopItems(loop)!;
      const type =
        items.kind === 'artifact'
          ? { artifactType: items.type.artifactType!, isList: false }
          : { parameterType: loop.itemType ?? 'STRING' };
      argument = new FlowChannel(items.kind, items.taskName, `${items.name}-loop-item`, type, items.producer, {
        kind: 'loopArgument',
        loop,
        items,
      });
    }
    this.loopArguments.set(loop, argument);
    return argument;
  }

  private create(channel: ParameterChannel | ArtifactChannel): FlowChannel {
    const type =
      channel.kind === 'parameter' ? { parameterType: channel.type } : { artifactType: channel.artifactType, isList: channel.isList };
    const source = channel.source;
    switch (source.kind) {
      case 'pipelineInput':
        return new FlowChannel(channel.kind, undefined, source.name, type, undefined);
      case 'taskOutput':
        return new FlowChannel(channel.kind, source.task.name, source.output, type, source.task);
      case 'loopItem': {
        const argument = this.loopArgument(source.loop);
        if (source.field === undefined) return argument;
        return new FlowChannel(
          'parameter',
          argument.taskName,
          `${argument.name}-subvar-${source.field}`,
          { parameterType: 'STRING' },
          argument.producer,
          {
            kind: 'subvar',
            of: argument,
            key: source.field,
          },
        );
      }
      case 'collected': {
        // A value collected through several loops is one Collected of the task output, surfaced
        // through each loop under the same name, as the reference compiles nested collections.
        let original = source.of;
        while (original.source.kind === 'collected') original = original.source.of;
        const inner = this.of(original);
        return new FlowChannel(channel.kind, inner.taskName, inner.name, type, inner.producer, { kind: 'collected', inner });
      }
      case 'oneOf': {
        const inner = source.of.map((c) => {
          const original = this.of(c);
          return new FlowChannel(original.kind, original.taskName, original.name, original.type, original.producer, original.role);
        });
        const name = `pipelinechannel--${source.group.name}-oneof-${source.index}`;
        return new FlowChannel(channel.kind, source.group.name, name, type, source.group, { kind: 'oneOf', branches: source.group, inner });
      }
    }
  }

  /** The channels a task reads through its arguments (fmt strings and importer metadata included). */
  taskInputs(task: Task): FlowChannel[] {
    const cached = this.taskInputCache.get(task);
    if (cached) return cached;
    const found: FlowChannel[] = [];
    this.taskInputCache.set(task, found);
    const visit = (value: unknown): void => {
      if (isChannel(value)) found.push(this.of(value, task));
      else if (isFormattedString(value)) value.channels.forEach(visit);
    };
    Object.values(task.args).forEach(visit);
    const implementation = task.component.implementation;
    if (implementation.kind === 'importer' && implementation.metadata !== undefined) visitDeep(implementation.metadata, visit);
    return found;
  }

  /**
   * The channels a task's resource settings read (CPU, memory, accelerator from a parameter or an
   * output). They cross DAGs like arguments, but, as in the reference compiler, they add no
   * `dependentTasks` entry: the `pipelinechannel--…` input they are read through orders the task.
   */
  settingInputs(task: Task): FlowChannel[] {
    let found = this.settingInputCache.get(task);
    if (!found) {
      found = Object.values(task.settings.resources)
        .filter(isChannel)
        .map((channel) => this.of(channel, task));
      this.settingInputCache.set(task, found);
    }
    return found;
  }
}

function visitDeep(value: unknown, visit: (value: unknown) => void): void {
  if (isChannel(value) || isFormattedString(value)) visit(value);
  else if (value instanceof Map) {
    for (const [key, item] of value) {
      visitDeep(key, visit);
      visitDeep(item, visit);
    }
  } else if (Array.isArray(value)) value.forEach((item) => visitDeep(item, visit));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((item) => visitDeep(item, visit));
}
