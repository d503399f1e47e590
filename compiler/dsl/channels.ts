import type { ArtifactType, ParameterTypeName } from './types';
import type { Task } from './task';
import type { PipelineBody } from './pipeline-body';

/** Where a channel's value comes from at run time. */
export type ChannelSource =
  | { readonly kind: 'pipelineInput'; readonly body: PipelineBody; readonly name: string }
  | { readonly kind: 'taskOutput'; readonly task: Task<any>; readonly output: string };

const channelBrand = Symbol.for('kfp-ts.channel');

/**
 * A value known only when the pipeline runs: a pipeline input or a task output. Channels are wired
 * into task arguments; they are deliberately not strings.
 */
export abstract class Channel {
  readonly [channelBrand] = true;
  abstract readonly kind: 'parameter' | 'artifact';
  constructor(readonly source: ChannelSource) {}

  /** A readable name for messages: `pipeline input 'x'` or `output 'y' of task 'z'`. */
  describe(): string {
    const source = this.source;
    return source.kind === 'pipelineInput'
      ? `pipeline input '${source.name}'`
      : `output '${source.output}' of ${source.task.describe()}`;
  }

  toString(): string {
    throw new TypeError(
      `${this.describe()} was used as a string, but its value is only known when the pipeline runs.\n` +
        `Pass it directly as a task argument (e.g. comp({ text: task.outputs.text })).`,
    );
  }
}

export class ParameterChannel<N extends ParameterTypeName = ParameterTypeName, V = unknown> extends Channel {
  readonly kind = 'parameter' as const;
  /** Phantom field: the TypeScript type of the value. */
  declare readonly __value?: V;
  constructor(source: ChannelSource, readonly type: N) {
    super(source);
  }
}

export class ArtifactChannel<T extends string = string, L extends boolean = boolean> extends Channel {
  readonly kind = 'artifact' as const;
  constructor(source: ChannelSource, readonly artifactType: ArtifactType<T>, readonly isList: L) {
    super(source);
  }
}

/** Brand check that also recognises channels made by another copy of this package. */
export function isChannel(value: unknown): value is ParameterChannel | ArtifactChannel {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[channelBrand] === true;
}

export function isParameterChannel(value: unknown): value is ParameterChannel {
  return isChannel(value) && value.kind === 'parameter';
}

export function isArtifactChannel(value: unknown): value is ArtifactChannel {
  return isChannel(value) && value.kind === 'artifact';
}
