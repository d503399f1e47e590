import { currentScope, withScope, type BuildScope } from './build-context';
import { ArtifactChannel, ParameterChannel, isChannel, type ConditionOperation } from './channels';
import { DslUsageError } from './errors';
import { literalItemType, loopItemChannel, type ItemOf, type ItemTypeRequired, type LacksNeededItemType } from './loop-item';
import type { BranchesGroup, ConditionGroup, ExitHandlerGroup, Group, LoopGroup } from './pipeline-body';
import { CallSite } from './source-location';
import type { Task } from './task';
import type { JsonValue, ParameterTypeName } from './types';

/** Channels a control-flow block may hand out: what its function returns. */
export type BlockOutputs = { readonly [name: string]: ParameterChannel | ArtifactChannel };

/** A channel seen from outside a loop: every iteration's value, as a list. */
export type CollectedChannel<C> =
  C extends ParameterChannel<ParameterTypeName, infer V>
    ? ParameterChannel<'LIST', V[]>
    : C extends ArtifactChannel<infer T, false>
      ? ArtifactChannel<T, true>
      : never;

export type CollectedOutputs<R> = R extends BlockOutputs ? { readonly [K in keyof R]: CollectedChannel<R[K]> } : {};

export interface GroupOptions {
  /** Shown as the group's name in the Vertex console (`taskInfo.name`). */
  readonly name?: string;
}

/** An If with its Elif branches so far; finish with Else to use the branches' outputs. */
export interface ConditionChain<R> {
  Elif(condition: ConditionOperation, body: () => R, options?: GroupOptions): ConditionChain<R>;
  /** The last branch. Its return value, like every branch's, gives the chain's `outputs`. */
  Else(body: () => R, options?: GroupOptions): ConditionBranches<R>;
}

/** A complete If/Elif/Else chain: `outputs` holds, for each key, the value of the branch that ran. */
export interface ConditionBranches<R> {
  readonly outputs: R extends BlockOutputs ? R : {};
}

function negated(operations: readonly ConditionOperation[]): ConditionOperation[] {
  return operations.map((operation) => ({ ...operation, negate: true }));
}

function checkCondition(condition: unknown, construct: string, callSite: CallSite): void {
  const operation = condition as ConditionOperation | undefined;
  const valid =
    typeof operation === 'object' &&
    operation !== null &&
    'operator' in operation &&
    (isChannel(operation.left) || isChannel(operation.right));
  if (!valid) {
    const given = isChannel(condition)
      ? `${condition.describe()}, not a comparison`
      : typeof condition === 'object' && condition !== null
        ? 'an object that is not a comparison'
        : `the constant ${String(condition)}`;
    throw new DslUsageError(
      `${construct} needs a comparison with a run-time value, got ${given}`,
      "compare a task output or pipeline parameter, e.g. If(task.outputs.result.eq('heads'), () => { … })",
      callSite.location,
    );
  }
}

/**
 * Runs the tasks `body` creates only when `condition` holds (KFP's dsl.If). Chain `.Elif()` and
 * `.Else()`; with `.Else()`, values returned by every branch become the chain's `outputs`.
 */
export function If<R extends BlockOutputs | void>(
  condition: ConditionOperation,
  body: () => R,
  options: GroupOptions = {},
): ConditionChain<R> {
  const callSite = new CallSite();
  checkCondition(condition, 'If', callSite);
  const scope = currentScope('If', () => callSite.location);
  const { group, returned } = addBranch(scope, scope.group, [condition], negated([condition]), callSite, options, body);
  return chain(group, [returned]);
}

/** Adds one If/Elif/Else branch under `parent` and runs its body inside it. */
function addBranch<R>(
  scope: BuildScope,
  parent: Group,
  conditions: readonly ConditionOperation[],
  negatedUpstream: readonly ConditionOperation[],
  callSite: CallSite,
  options: GroupOptions,
  body: () => R,
): { group: ConditionGroup; returned: R } {
  const group: ConditionGroup = {
    kind: 'condition',
    parent,
    children: [],
    name: `condition-${scope.body.nextGroupId()}`,
    conditions,
    negatedUpstream,
    callSite,
    ...(options.name !== undefined ? { displayName: options.name } : {}),
  };
  parent.children.push(group);
  const returned = withScope({ body: scope.body, group }, body);
  return { group, returned };
}

function chain<R>(previous: ConditionGroup, returns: R[]): ConditionChain<R> {
  let used = false;
  const next = (construct: 'Elif' | 'Else', callSite: CallSite): { branches: BranchesGroup; scope: BuildScope } => {
    if (used) {
      throw new DslUsageError(
        `${construct} was added twice to the same branch`,
        'chain each Elif/Else once: If(…).Elif(…).Else(…)',
        callSite.location,
      );
    }
    used = true;
    const scope = currentScope(construct, () => callSite.location);
    const branches = wrapInBranches(previous, scope.body, callSite, construct);
    return { branches, scope };
  };
  return {
    Elif(condition, body, options = {}) {
      const callSite = new CallSite();
      checkCondition(condition, 'Elif', callSite);
      const { branches, scope } = next('Elif', callSite);
      const upstream = previous.negatedUpstream;
      const { group, returned } = addBranch(
        scope,
        branches,
        [...upstream, condition],
        [...upstream, ...negated([condition])],
        callSite,
        options,
        body,
      );
      return chain(group, [...returns, returned]);
    },
    Else(body, options = {}) {
      const callSite = new CallSite();
      const { branches, scope } = next('Else', callSite);
      const upstream = previous.negatedUpstream;
      const { returned } = addBranch(scope, branches, upstream, upstream, callSite, options, body);
      return { outputs: oneOfOutputs(branches, [...returns, returned], callSite) } as ConditionBranches<typeof returned>;
    },
  };
}

/**
 * The first Elif/Else wraps the chain in a `condition-branches` group. The reference numbers the
 * wrapper when it is made and then swaps numbers with the If, so the wrapper reads as coming first.
 */
function wrapInBranches(previous: ConditionGroup, body: { nextGroupId(): number }, callSite: CallSite, construct: string): BranchesGroup {
  if (previous.parent.kind === 'branches') return previous.parent;
  const parent = previous.parent;
  if (parent.children[parent.children.length - 1] !== previous) {
    throw new DslUsageError(
      `${construct} must follow its If directly, but tasks or groups were created in between`,
      'chain the branches as If(…).Elif(…).Else(…) before creating other tasks',
      callSite.location,
    );
  }
  const wrapperId = body.nextGroupId();
  const ifId = previous.name.slice('condition-'.length);
  const branches: BranchesGroup = {
    kind: 'branches',
    parent,
    children: [previous],
    name: `condition-branches-${ifId}`,
    oneOfCount: 0,
  };
  previous.name = `condition-${wrapperId}`;
  previous.parent = branches;
  parent.children[parent.children.length - 1] = branches;
  return branches;
}

function oneOfOutputs(branches: BranchesGroup, returns: unknown[], callSite: CallSite): BlockOutputs {
  const records = returns.map((r) => (r ?? {}) as BlockOutputs);
  const keys = Object.keys(records[0]!);
  const outputs: Record<string, ParameterChannel | ArtifactChannel> = {};
  for (const key of keys) {
    const channels = records.map((record) => record[key]);
    if (channels.some((c) => !isChannel(c))) {
      throw new DslUsageError(
        `output '${key}' of the If/Elif/Else chain is not returned by every branch`,
        'return the same output names from every branch',
        callSite.location,
      );
    }
    const branchChannels = channels as (ParameterChannel | ArtifactChannel)[];
    checkOneOf(key, branchChannels, branches, callSite);
    const first = branchChannels[0]!;
    const source = { kind: 'oneOf', group: branches, index: ++branches.oneOfCount, of: branchChannels } as const;
    outputs[key] =
      first.kind === 'parameter'
        ? new ParameterChannel(source, first.type, first.itemType)
        : new ArtifactChannel(source, first.artifactType, first.isList);
  }
  return outputs;
}

/**
 * A OneOf reads, in each branch, an output of a task that ran in that branch (not in a loop inside
 * it, unless collected), and every branch's value has the same type.
 */
function checkOneOf(
  key: string,
  channels: readonly (ParameterChannel | ArtifactChannel)[],
  branches: BranchesGroup,
  callSite: CallSite,
): void {
  channels.forEach((channel, index) => {
    const branch = branches.children[index] as Group;
    if (!producedIn(channel, branch)) {
      throw new DslUsageError(
        `output '${key}' of branch ${index + 1} of the If/Elif/Else chain is ${channel.describe()}, which is not an output of a task in that branch (outside any loop in it)`,
        'return an output of a task created in the branch (collect loop outputs with loop.outputs.<name>)',
        callSite.location,
      );
    }
  });
  const types = channels.map((channel) =>
    channel.kind === 'parameter' ? channel.type : `${channel.isList ? 'list of ' : ''}${channel.artifactType.schemaTitle}`,
  );
  if (new Set(types).size > 1) {
    throw new DslUsageError(
      `output '${key}' of the If/Elif/Else chain has a different type in each branch (${types.join(', ')})`,
      'return values of the same type from every branch',
      callSite.location,
    );
  }
}

/** Whether a channel's value is made inside `branch`, without leaving a loop uncollected. */
function producedIn(channel: ParameterChannel | ArtifactChannel, branch: Group): boolean {
  const source = channel.source;
  switch (source.kind) {
    case 'taskOutput':
      return isWithin(source.task.group, branch, false);
    case 'oneOf':
      return isWithin(source.group, branch, false);
    case 'collected': {
      let origin = source.of;
      while (origin.source.kind === 'collected') origin = origin.source.of;
      return origin.source.kind === 'taskOutput' && isWithin(origin.source.task.group, branch, true);
    }
    default:
      return false;
  }
}

function isWithin(group: Group, ancestor: Group, throughLoops: boolean): boolean {
  for (let current: Group | undefined = group; current; current = current.kind === 'root' ? undefined : current.parent) {
    if (current === ancestor) return true;
    if (current.kind === 'loop' && !throughLoops) return false;
  }
  return false;
}

export interface ParallelForOptions extends GroupOptions {
  /** The most iterations that run at once; 0 for no limit. @default 0 */
  readonly parallelism?: number;
}

/** A ParallelFor: `outputs` holds, for each channel the body returned, the list over all iterations. */
export interface Loop<R> {
  readonly outputs: CollectedOutputs<R>;
}

/**
 * Runs the tasks `body` creates once per item, in parallel (KFP's dsl.ParallelFor). Items are a
 * literal list, a list parameter or task output, or a list of artifacts; the body gets the item.
 * A list parameter or output of numbers or booleans must declare its item type (`items:`), which
 * types the item in the IR (NUMBER_INTEGER for t.int()), as the reference does for `List[int]`.
 */
export function ParallelFor<
  I extends readonly JsonValue[] | ParameterChannel<'LIST'> | ArtifactChannel<string, true>,
  R extends BlockOutputs | void,
>(
  items: I & (LacksNeededItemType<I> extends true ? ItemTypeRequired : unknown),
  body: (item: ItemOf<I>) => R,
  options: ParallelForOptions = {},
): Loop<R> {
  const callSite = new CallSite();
  const scope = currentScope('ParallelFor', () => callSite.location);
  const parallelism = options.parallelism ?? 0;
  if (!Number.isInteger(parallelism) || parallelism < 0) {
    throw new DslUsageError(
      `ParallelFor parallelism must be a whole number >= 0, got ${parallelism}`,
      'pass e.g. { parallelism: 4 }',
      callSite.location,
    );
  }
  const literal = Array.isArray(items);
  const channel: unknown = items;
  // Loop items (and their fields) carry no run-time type: the IR reads them out of JSON.
  const listChannel =
    isChannel(channel) && (channel.kind === 'parameter' ? channel.type === 'LIST' || channel.source.kind === 'loopItem' : channel.isList);
  if (!literal && !listChannel) {
    throw new DslUsageError(
      `ParallelFor needs a list or a list channel, got ${isChannel(channel) ? `${channel.describe()}, which is not a list` : typeof items}`,
      'pass a literal array, a list parameter or output (t.list()), or a list of artifacts (t.artifactList())',
      callSite.location,
    );
  }
  const literalItemsId = literal ? scope.body.nextGroupId() : undefined;
  const itemType = literal
    ? literalItemType(items as readonly JsonValue[])
    : (items as ParameterChannel).kind === 'parameter'
      ? ((items as ParameterChannel).itemType ?? 'STRING')
      : undefined;
  const group: LoopGroup = {
    kind: 'loop',
    parent: scope.group,
    children: [],
    name: `for-loop-${scope.body.nextGroupId()}`,
    items: items as LoopGroup['items'],
    parallelism,
    callSite,
    ...(literalItemsId !== undefined ? { literalItemsId } : {}),
    ...(itemType !== undefined ? { itemType } : {}),
    ...(options.name !== undefined ? { displayName: options.name } : {}),
  };
  scope.group.children.push(group);
  const item = loopItemChannel(group, items);
  const returned = withScope({ body: scope.body, group }, () => body(item as ItemOf<I>));
  const outputs: Record<string, ParameterChannel | ArtifactChannel> = {};
  for (const [key, channel] of Object.entries((returned ?? {}) as BlockOutputs)) outputs[key] = collected(channel as ParameterChannel);
  return { outputs: outputs as CollectedOutputs<R> };
}

/**
 * A channel produced inside a ParallelFor, seen from outside it as the list of every iteration's
 * value (KFP's dsl.Collected). ParallelFor's `outputs` already gives these for returned channels.
 */
export function collected<C extends ParameterChannel | ArtifactChannel<string, false>>(channel: C): CollectedChannel<C> {
  const source = { kind: 'collected', of: channel } as const;
  const result =
    channel.kind === 'parameter'
      ? new ParameterChannel(source, 'LIST')
      : new ArtifactChannel(source, (channel as ArtifactChannel).artifactType, true);
  return result as unknown as CollectedChannel<C>;
}

/**
 * Runs `exitTask` after the tasks `body` creates, whether they succeeded or failed (KFP's
 * dsl.ExitHandler). Create the exit task first; its `t.taskFinalStatus()` input gets their status.
 */
export function ExitHandler(exitTask: Task, body: () => void, options: GroupOptions = {}): void {
  const callSite = new CallSite();
  const scope = currentScope('ExitHandler', () => callSite.location);
  const group: ExitHandlerGroup = {
    kind: 'exitHandler',
    parent: scope.group,
    children: [],
    name: `exit-handler-${scope.body.nextGroupId()}`,
    exitTask,
    callSite,
    ...(options.name !== undefined ? { displayName: options.name } : {}),
  };
  exitTask.settings.exitHandlerOf = group;
  scope.group.children.push(group);
  withScope({ body: scope.body, group }, body);
}

export type { Group };
