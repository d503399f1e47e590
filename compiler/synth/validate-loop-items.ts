import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import type { PipelineProblem } from '../dsl/errors';
import { isFormattedString } from '../dsl/formatted-string';
import { isGroup, type Group, type LoopGroup, type PipelineBody } from '../dsl/pipeline-body';
import { formatLocation } from '../dsl/source-location';
import type { ResourceSettings, Task } from '../dsl/task';

type AnyChannel = ParameterChannel | ArtifactChannel;

const resourceLabels: Record<keyof ResourceSettings, string> = {
  cpuLimit: 'CPU limit',
  cpuRequest: 'CPU request',
  memoryLimit: 'memory limit',
  memoryRequest: 'memory request',
  acceleratorType: 'accelerator type',
  acceleratorCount: 'accelerator count',
};

const outsideFix =
  "use the item only inside the ParallelFor body; to use every iteration's value after the loop, return a task output from the body and read loop.outputs.<name> (a list)";

/**
 * A ParallelFor's item (and each field of it) exists only inside its loop. Kept in a variable and
 * used after the body returned, it has nothing to read at run time, so each such use is reported
 * at the user's line: a task argument, a resource setting, an If condition or another loop's items.
 */
export function validateLoopItemScopes(body: PipelineBody, problems: PipelineProblem[]): void {
  const visit = (group: Group, enclosingLoops: ReadonlySet<LoopGroup>): void => {
    for (const child of group.children) {
      if (!isGroup(child)) {
        for (const [what, channel] of taskReads(child)) {
          const loop = outsideLoop(channel, enclosingLoops);
          if (loop) problems.push(problem(child.path, child.callSite.location, `${what} takes ${channel.describe()}`, loop));
        }
        continue;
      }
      const path = `${body.path}/${child.name}`;
      const reads: [string, AnyChannel][] = [];
      if (child.kind === 'condition') {
        for (const condition of child.conditions) {
          for (const operand of [condition.left, condition.right]) if (isChannel(operand)) reads.push(['the condition compares', operand]);
        }
      }
      if (child.kind === 'loop' && isChannel(child.items)) reads.push(['the ParallelFor iterates', child.items]);
      for (const [what, channel] of reads) {
        const loop = outsideLoop(channel, enclosingLoops);
        if (loop) problems.push(problem(path, child.callSite?.location, `${what} ${channel.describe()}`, loop));
      }
      const inner = child.kind === 'loop' ? new Set([...enclosingLoops, child]) : enclosingLoops;
      visit(child, inner);
    }
  };
  visit(body.root, new Set());
}

function problem(path: string, location: PipelineProblem['location'], use: string, loop: LoopGroup): PipelineProblem {
  const declared = loop.callSite?.location ? ` (the ParallelFor at ${formatLocation(loop.callSite.location)})` : '';
  return {
    path,
    location,
    message: `${use} outside that loop${declared}; a loop item exists only inside its loop's body`,
    fix: outsideFix,
  };
}

/** The loop whose item `channel` is, when the use is not inside that loop. */
function outsideLoop(channel: AnyChannel, enclosingLoops: ReadonlySet<LoopGroup>): LoopGroup | undefined {
  const source = channel.source;
  if (source.kind !== 'loopItem') return undefined;
  return enclosingLoops.has(source.loop) ? undefined : source.loop;
}

/** Every channel a task reads, with what reads it: arguments (fmt strings too), importer metadata, resource settings. */
function taskReads(task: Task): [string, AnyChannel][] {
  const reads: [string, AnyChannel][] = [];
  for (const [name, value] of Object.entries(task.args)) {
    if (isChannel(value)) reads.push([`input '${name}'`, value]);
    else if (isFormattedString(value)) for (const channel of value.channels) reads.push([`input '${name}' (a fmt string)`, channel]);
  }
  const implementation = task.component.implementation;
  if (implementation.kind === 'importer' && implementation.metadata !== undefined) {
    visitChannels(implementation.metadata, (channel) => reads.push(['the importer metadata', channel]));
  }
  for (const [key, value] of Object.entries(task.settings.resources)) {
    if (isChannel(value)) reads.push([`the ${resourceLabels[key as keyof ResourceSettings]}`, value]);
  }
  return reads;
}

function visitChannels(value: unknown, found: (channel: AnyChannel) => void): void {
  if (isChannel(value)) found(value);
  else if (isFormattedString(value)) value.channels.forEach(found);
  else if (value instanceof Map) for (const [key, item] of value) [key, item].forEach((v) => visitChannels(v, found));
  else if (Array.isArray(value)) value.forEach((item) => visitChannels(item, found));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((item) => visitChannels(item, found));
}
