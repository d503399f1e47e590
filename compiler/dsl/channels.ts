import { DslUsageError } from './errors';
import { CallSite } from './source-location';
import type { ArtifactType, DeclaredItemType, ParameterTypeName } from './types';
import type { Task } from './task';
import type { BranchesGroup, LoopGroup, PipelineBody } from './pipeline-body';

/** Where a channel's value comes from at run time. */
export type ChannelSource =
  | { readonly kind: 'pipelineInput'; readonly body: PipelineBody; readonly name: string }
  | { readonly kind: 'taskOutput'; readonly task: Task; readonly output: string }
  /** The current item of a ParallelFor, or one field of it. */
  | { readonly kind: 'loopItem'; readonly loop: LoopGroup; readonly field?: string }
  /** Every iteration's value of a channel inside a loop, as a list (KFP's dsl.Collected). */
  | { readonly kind: 'collected'; readonly of: ParameterChannel | ArtifactChannel }
  /** The value of whichever If/Elif/Else branch ran (KFP's dsl.OneOf). */
  | {
      readonly kind: 'oneOf';
      readonly group: BranchesGroup;
      readonly index: number;
      readonly of: readonly (ParameterChannel | ArtifactChannel)[];
    };

const channelBrand = Symbol.for('kfp-ts.channel');

/**
 * A value known only when the pipeline runs: a pipeline input, a task output, a loop item, a
 * collection over a loop or the output of an If/Else. Channels are wired into task arguments; they
 * are deliberately not strings.
 */
export abstract class Channel {
  readonly [channelBrand] = true;
  abstract readonly kind: 'parameter' | 'artifact';
  constructor(readonly source: ChannelSource) {}

  /** A readable name for messages: `pipeline input 'x'` or `output 'y' of task 'z'`. */
  describe(): string {
    const source = this.source;
    switch (source.kind) {
      case 'pipelineInput':
        return `pipeline input '${source.name}'`;
      case 'taskOutput':
        return `output '${source.output}' of ${source.task.describe()}`;
      case 'loopItem':
        return `the item${source.field !== undefined ? ` field '${source.field}'` : ''} of ${source.loop.name}`;
      case 'collected':
        return `the collected ${source.of.describe()}`;
      case 'oneOf':
        return `the one-of output ${source.index} of ${source.group.name}`;
    }
  }

  toString(): string {
    throw new DslUsageError(
      `${this.describe()} was used as a string, but its value is only known when the pipeline runs`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the fix shows the user fmt's own syntax
      'pass it directly as a task argument (e.g. comp({ text: task.outputs.text })), or build a string with fmt`…${channel}…`',
      new CallSite().location,
    );
  }
}

/** One comparison in a condition: `left op right`, possibly negated (for Elif/Else). */
export interface ConditionOperation {
  readonly left: ConditionOperand;
  readonly operator: '==' | '!=' | '<' | '<=' | '>' | '>=';
  readonly right: ConditionOperand;
  readonly negate: boolean;
}

export type ConditionOperand = ParameterChannel | string | number | boolean;

export class ParameterChannel<
  N extends ParameterTypeName = ParameterTypeName,
  V = unknown,
  I extends DeclaredItemType = DeclaredItemType,
> extends Channel {
  readonly kind = 'parameter' as const;
  /** Phantom field: the TypeScript type of the value. */
  declare readonly __value?: V;
  constructor(
    source: ChannelSource,
    readonly type: N,
    /** For lists: the type of one item, which a loop over the list gives (see DeclaredItemType). */
    readonly itemType?: I,
  ) {
    super(source);
  }

  /** `this == value`, for If/Elif. */
  eq(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('==', value);
  }
  ne(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('!=', value);
  }
  lt(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('<', value);
  }
  le(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('<=', value);
  }
  gt(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('>', value);
  }
  ge(value: V | ParameterChannel<ParameterTypeName, V>): ConditionOperation {
    return this.compare('>=', value);
  }

  private compare(operator: ConditionOperation['operator'], right: unknown): ConditionOperation {
    return { left: this, operator, right: right as ConditionOperand, negate: false };
  }
}

export class ArtifactChannel<T extends string = string, L extends boolean = boolean> extends Channel {
  readonly kind = 'artifact' as const;
  constructor(
    source: ChannelSource,
    readonly artifactType: ArtifactType<T>,
    readonly isList: L,
  ) {
    super(source);
  }
}

/**
 * The parameter type names of JSON values, for typed struct fields of loop items. A number maps to
 * NUMBER_INTEGER, which both int and float inputs accept: TypeScript cannot tell the two apart.
 */
export type ParameterTypeOf<V> = V extends string
  ? 'STRING'
  : V extends boolean
    ? 'BOOLEAN'
    : V extends number
      ? 'NUMBER_INTEGER'
      : V extends readonly unknown[]
        ? 'LIST'
        : V extends object
          ? 'STRUCT'
          : ParameterTypeName;

/** The item of a ParallelFor over parameters: a channel, with typed channels for struct fields. */
export type LoopItem<V> = ParameterChannel<ParameterTypeOf<V>, V> & {
  readonly fields: V extends readonly unknown[] ? never : V extends object ? { readonly [K in keyof V]-?: LoopItem<V[K]> } : never;
};

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
