import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import type { PipelineProblem } from '../dsl/errors';
import { isGroup, type FlowNode, type Group, type PipelineBody } from '../dsl/pipeline-body';
import type { Task } from '../dsl/task';
import { FlowChannel, FlowChannels } from './flow-channels';

const groupLabels: Record<Group['kind'], string> = {
  root: 'the pipeline',
  condition: 'If/Elif/Else branch',
  branches: 'If/Elif/Else chain',
  loop: 'ParallelFor',
  exitHandler: 'ExitHandler',
};

/**
 * How values cross the DAGs of one pipeline body, following the reference compiler: which
 * `pipelinechannel--…` inputs each group needs, which outputs loops and branches surface
 * (Collected, OneOf), which siblings depend on which, and the illegal dependencies across
 * control-flow scopes, reported as problems with the consumer's line and a fix.
 */
export class FlowModel {
  readonly channels = new FlowChannels();
  /** Every group, parents before children (the reference's build order). */
  readonly groups: Group[] = [];
  /** For each node: the groups from the root down to it, the node itself last. */
  private readonly chains = new Map<FlowNode, FlowNode[]>();
  readonly inputs = new Map<FlowNode, Set<FlowChannel>>();
  readonly outputs = new Map<Group, Map<string, FlowChannel>>();
  readonly dependencies = new Map<FlowNode, Set<FlowNode>>();
  readonly conditionChannels = new Map<Task, FlowChannel[]>();
  readonly pipelineOutputs = new Map<string, FlowChannel>();
  readonly problems: PipelineProblem[] = [];
  private readonly surfacedCollections = new Set<FlowChannel>();

  constructor(readonly body: PipelineBody) {
    this.walk(body.root, [body.root], []);
    this.collectInputs();
    this.surfaceOutputs();
    this.collectDependencies();
  }

  parentOf(node: FlowNode): Group {
    const chain = this.chain(node);
    return chain[chain.length - 2] as Group;
  }

  chain(node: FlowNode): FlowNode[] {
    const chain = this.chains.get(node);
    if (!chain) throw new Error(`kfp-ts internal error: ${nodeName(node)} is not in pipeline '${this.body.name}'`);
    return chain;
  }

  private walk(group: Group, chain: FlowNode[], conditions: FlowChannel[]): void {
    this.groups.push(group);
    this.chains.set(group, chain);
    const inherited =
      group.kind === 'condition' ? [...conditions, ...conditionOperands(group.conditions).map((c) => this.channels.of(c))] : conditions;
    for (const child of group.children) {
      if (isGroup(child)) this.walk(child, [...chain, child], inherited);
      else {
        this.chains.set(child, [...chain, child]);
        this.conditionChannels.set(child, inherited);
      }
    }
  }

  private addInput(node: FlowNode, channel: FlowChannel): void {
    let set = this.inputs.get(node);
    if (!set) this.inputs.set(node, (set = new Set()));
    set.add(channel);
  }

  private uncommon(upstream: FlowNode, downstream: FlowNode): [FlowNode[], FlowNode[]] {
    const a = this.chain(upstream);
    const b = this.chain(downstream);
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return [a.slice(common), b.slice(common)];
  }

  /** The reference's get_inputs_for_all_groups. */
  private collectInputs(): void {
    for (const task of this.body.tasks) {
      if (!this.chains.has(task)) continue;
      const read = [...this.channels.taskInputs(task), ...this.channels.settingInputs(task), ...(this.conditionChannels.get(task) ?? [])];
      for (const channel of read) {
        // A loop item stands for a chain of channels (item field → item → list → outer item …);
        // each DAG level gets the most general one it still needs.
        const chain = channel.lineage();
        if (channel.producer) {
          this.addInputsDownwards(this.uncommon(channel.producer, task)[1], chain);
        } else if (channel.withItems) {
          // A literal list's item exists only inside its loop: walk up from the task and stop there.
          for (const node of [...this.chain(task)].reverse()) {
            this.addInput(node, chain[0]!);
            if (isGroup(node) && node.kind === 'loop' && chain[0]!.derivesFrom(this.channels.loopArgument(node))) break;
          }
        } else {
          this.addInputsDownwards(this.chain(task), chain);
        }
      }
    }
  }

  /**
   * Adds the most general channel of `chain` to each node, going down. Below a loop over it (or
   * over something derived from it) the next more specific one takes over; the channel the task
   * itself reads is never dropped, since groups below may still need it.
   */
  private addInputsDownwards(nodes: FlowNode[], chain: FlowChannel[]): void {
    for (const node of nodes) {
      const general = chain[chain.length - 1]!;
      this.addInput(node, general);
      if (chain.length > 1 && isGroup(node) && node.kind === 'loop' && this.channels.loopArgument(node).derivesFrom(general)) chain.pop();
    }
  }

  private setOutput(group: FlowNode, key: string, channel: FlowChannel): void {
    if (!isGroup(group)) return;
    let map = this.outputs.get(group);
    if (!map) this.outputs.set(group, (map = new Map()));
    map.set(key, channel);
  }

  /** The reference's get_outputs_for_all_groups: surfaces Collected and OneOf values through the groups. */
  private surfaceOutputs(): void {
    const processedOneOfs = new Set<FlowChannel>();
    for (const task of this.body.tasks) {
      if (!this.chains.has(task)) continue;
      for (const channel of [...this.channels.taskInputs(task), ...this.channels.settingInputs(task)]) {
        if (channel.role.kind === 'collected') this.surfaceCollected(channel, task);
        else if (channel.role.kind === 'oneOf' && !processedOneOfs.has(channel)) {
          processedOneOfs.add(channel);
          this.surfaceOneOf(channel, task);
        }
      }
    }
    // A loop over a collection reads it where the loop sits.
    for (const group of this.groups) {
      const items = group.kind === 'loop' ? this.channels.loopItems(group) : undefined;
      if (items?.role.kind === 'collected') this.surfaceCollected(items, group);
    }
    for (const [key, output] of Object.entries(this.body.outputs)) {
      if (!isChannel(output)) continue;
      // The pipeline's outputs read their collections at the root, whatever else reads them deeper.
      const channel = this.channels.of(output as ParameterChannel | ArtifactChannel, this.body.root);
      if (channel.role.kind === 'collected') this.surfaceCollected(channel, undefined);
      else if (channel.role.kind === 'oneOf' && !processedOneOfs.has(channel)) {
        processedOneOfs.add(channel);
        this.surfaceOneOf(channel, undefined);
      }
      this.pipelineOutputs.set(key, channel);
    }
  }

  /**
   * Surfaces a collection out of the groups around its producer, up to the DAG where `consumer` (a
   * task or a loop iterating it; undefined for a pipeline output) reads it. `channel` is the
   * consumer's own FlowChannel, so consumers at other depths keep their own surfaced names.
   */
  private surfaceCollected(channel: FlowChannel, consumer: Task | Group | undefined): void {
    if (channel.role.kind !== 'collected') return;
    const inner = channel.role.inner;
    const producer = channel.producer;
    // Collections of pipeline inputs and loop items are reported by the validation pass.
    if (producer === undefined || !this.chains.has(producer)) return;
    // A pipeline output may collect from any group, as the reference allows (a golden collects from an If).
    const [up, down] = consumer ? this.uncommon(producer, consumer) : [this.chain(producer).slice(1), []];
    if (consumer && !this.checkCollected(up, consumer, inner)) return;
    // A consumer that reads one collection twice (two arguments, or a fmt string) surfaces it once.
    if (this.surfacedCollections.has(channel)) return;
    this.surfacedCollections.add(channel);
    const upstream = [...up];
    const parentConsumer = down[0];
    const surfacedName = `pipelinechannel--${channel.fullName}`;
    let producerName = nodeName(upstream.pop()!);
    for (const group of [...upstream].reverse()) {
      this.setOutput(group, surfacedName, new FlowChannel(channel.kind, producerName, channel.name, channel.type, channel.producer));
      channel.name = surfacedName;
      channel.taskName = nodeName(group);
      producerName = nodeName(group);
      if (parentConsumer && this.parentOf(group).children.includes(parentConsumer)) break;
    }
  }

  private surfaceOneOf(channel: FlowChannel, consumer: Task | undefined): void {
    if (channel.role.kind !== 'oneOf') return;
    const branches = channel.role.branches;
    for (const inner of channel.role.inner) {
      if (!inner.producer || !this.chains.has(inner.producer)) continue;
      const upstream = consumer ? this.uncommon(inner.producer, consumer)[0] : this.chain(inner.producer).slice(1);
      const surfacedName = `pipelinechannel--${inner.fullName}`;
      for (const group of [...upstream].reverse()) {
        if (group === inner.producer) continue;
        if (group === branches) {
          this.setOutput(group, channel.name, channel);
          break;
        }
        this.setOutput(group, surfacedName, new FlowChannel(inner.kind, inner.taskName, inner.name, inner.type, inner.producer));
        inner.name = surfacedName;
        inner.taskName = nodeName(group);
      }
    }
  }

  /** Collected must fan in from a loop the consumer is outside of, not from inside a branch. */
  private checkCollected(upstream: FlowNode[], consumer: Task | Group, collectedOutput: FlowChannel): boolean {
    const groups = upstream.slice(0, -1).filter(isGroup);
    const producerName = nodeName(upstream[upstream.length - 1]!);
    if (!groups.some((g) => g.kind === 'loop')) {
      this.problem(
        consumer,
        `collects output '${collectedOutput.name}' of task '${producerName}', which is not inside a ParallelFor that the consumer is outside of`,
        'collect only outputs of tasks inside a ParallelFor, and consume them outside it',
      );
      return false;
    }
    const outermost = groups[0]!;
    if (outermost.kind !== 'loop') {
      this.problem(
        consumer,
        `collects output '${collectedOutput.name}' of task '${producerName}' from a ParallelFor inside ${describeGroup(outermost)}, which may not run`,
        `move the consumer into the same ${groupLabels[outermost.kind]}, or the ParallelFor out of it`,
      );
      return false;
    }
    return true;
  }

  /** The reference's get_dependencies, with its illegal-dependency checks as problems. */
  private collectDependencies(): void {
    for (const task of this.body.tasks) {
      if (!this.chains.has(task)) continue;
      const dataChannels = this.channels.taskInputs(task);
      const upstreamNodes = new Map<FlowNode, 'data' | 'after' | 'setting'>();
      for (const channel of [...dataChannels, ...(this.conditionChannels.get(task) ?? [])]) {
        if (channel.producer && this.chains.has(channel.producer)) upstreamNodes.set(channel.producer, 'data');
      }
      for (const after of task.settings.after) if (!upstreamNodes.has(after) && this.chains.has(after)) upstreamNodes.set(after, 'after');
      // Checked like data, but never a dependentTasks entry (see FlowChannels.settingInputs); a
      // producer also named in after() keeps its 'after' edge, and is checked below as well.
      const settingProducers = new Set<FlowNode>();
      for (const channel of this.channels.settingInputs(task)) {
        if (!channel.producer || !this.chains.has(channel.producer)) continue;
        settingProducers.add(channel.producer);
        if (!upstreamNodes.has(channel.producer)) upstreamNodes.set(channel.producer, 'setting');
      }
      const fannedIn = new Set(dataChannels.filter((c) => c.role.kind === 'collected' || c.role.kind === 'oneOf').map((c) => c.producer));
      for (const [upstream, via] of upstreamNodes) {
        const [up, down] = this.uncommon(upstream, task);
        if (!up.length || !down.length) continue;
        const enclosing = up.slice(0, -1)[0];
        const readsValue = via === 'data' || settingProducers.has(upstream);
        if (enclosing && isGroup(enclosing) && !fannedIn.has(upstream)) {
          if (enclosing.kind === 'condition' || enclosing.kind === 'branches' || enclosing.kind === 'exitHandler') {
            this.problem(
              task,
              `depends on task '${nodeName(upstream)}' inside ${describeGroup(enclosing)}, which it is not in (illegal dependency across control-flow scopes)`,
              enclosing.kind === 'exitHandler'
                ? 'move this task into the ExitHandler too'
                : 'move this task into the same branch, or return the value from every branch (If(…).Else(…).outputs) to use whichever ran',
            );
            continue;
          }
          if (enclosing.kind === 'loop' && readsValue) {
            this.problem(
              task,
              `uses output of task '${nodeName(upstream)}' inside ${describeGroup(enclosing)} without collecting it (illegal dependency across control-flow scopes)`,
              'return the value from the ParallelFor body and use loop.outputs.<name> (a list of every iteration), or collected(channel)',
            );
            continue;
          }
        }
        if (via === 'setting') continue;
        let set = this.dependencies.get(down[0]!);
        if (!set) this.dependencies.set(down[0]!, (set = new Set()));
        set.add(up[0]!);
      }
    }
  }

  private problem(node: Task | Group, message: string, fix: string): void {
    if (isGroup(node)) this.problems.push({ path: `${this.body.path}/${node.name}`, location: node.callSite?.location, message, fix });
    else this.problems.push({ path: node.path, location: node.callSite.location, message, fix });
  }
}

/** The channels a condition compares (its literal operands left out). */
export function conditionOperands(conditions: readonly { left: unknown; right: unknown }[]): (ParameterChannel | ArtifactChannel)[] {
  return conditions.flatMap((c) => [c.left, c.right]).filter(isChannel);
}

/** The task key of a task, or the name of a group. */
export function nodeName(node: FlowNode): string {
  return node.name;
}

function describeGroup(group: Group): string {
  return `${groupLabels[group.kind]} '${group.name}'`;
}
