/**
 * Parameter and artifact types for component and pipeline signatures. Each spec carries its static
 * type in generic parameters so that wiring mistakes fail at `tsc` time, and its IR facts as plain
 * fields so that the compiler can check and emit them at run time.
 */

import type { IrParameterType } from '../ir/pipeline-spec';

/** The IR parameter types a signature can declare (TASK_CONFIG is not supported yet). */
export type ParameterTypeName = Exclude<IrParameterType, 'TASK_CONFIG'>;

/** The final state of an upstream task or DAG, as an exit task receives it. */
export interface TaskFinalStatus {
  readonly state: string;
  readonly pipelineJobResourceName: string;
  readonly pipelineTaskName: string;
  readonly error: { readonly code?: number; readonly message?: string };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The item type a list spec declares (`t.list({ items: t.int() })`): a type name, or `undefined`
 * for a list declared without one; the default (either) is for specs whose origin is not known.
 */
export type DeclaredItemType = ParameterTypeName | undefined;

export interface ParameterSpec<
  N extends ParameterTypeName = ParameterTypeName,
  V = unknown,
  Opt extends boolean = boolean,
  I extends DeclaredItemType = DeclaredItemType,
> {
  readonly kind: 'parameter';
  readonly type: N;
  /** True when a caller may leave the input out (it has a default, or was declared optional). */
  readonly isOptional: Opt;
  /** Whether the IR marks the input `isOptional` (a default normally implies it; see `ParameterOptions.optional`). */
  readonly irOptional: boolean;
  readonly defaultValue?: V;
  readonly description?: string;
  /** For lists: the type of one item, which a loop over the list gives its items. */
  readonly itemType?: I;
  /** Phantom field: the TypeScript type of the value; never set at run time. */
  readonly __value?: V;
}

export interface ParameterOptions<V> {
  /** A default value: the input becomes optional for callers. */
  readonly default?: V;
  /**
   * Optional without a default (the value is absent at run time), or `false` to keep a default but
   * leave `isOptional` out of the IR, as the reference compiler does for some signatures.
   * @default true when a default is given, else false
   */
  readonly optional?: boolean;
  readonly description?: string;
}

/** Whether options make an input optional for callers. */
export type OptionalFlag<O> = O extends { default: unknown } ? true : O extends { optional: true } ? true : false;

/**
 * Phantom mark of a parameter declared with a default: a step's implementation then always gets a
 * value (the executor fills the default in), so its type is `V`, not `V | undefined`.
 */
export interface DefaultMark {
  readonly __hasDefault: true;
}
type MarkDefault<O> = O extends { default: unknown } ? DefaultMark : unknown;

export interface ListOptions<V> extends ParameterOptions<V> {
  /** The type of one item (e.g. `t.struct()`): what a ParallelFor over the list gives. @default string */
  readonly items?: ParameterSpec;
}

function parameter<N extends ParameterTypeName, V, O extends ParameterOptions<V>>(
  type: N,
  options: O | undefined,
): ParameterSpec<N, V, OptionalFlag<O>> & MarkDefault<O> {
  const hasDefault = options !== undefined && 'default' in options && options.default !== undefined;
  const irOptional = options?.optional ?? hasDefault;
  const spec: ParameterSpec<N, V, boolean> = {
    kind: 'parameter',
    type,
    isOptional: hasDefault || irOptional,
    irOptional,
    ...(hasDefault ? { defaultValue: options.default as V } : {}),
    ...(options?.description !== undefined ? { description: options.description } : {}),
    ...((options as ListOptions<V> | undefined)?.items ? { itemType: (options as ListOptions<V>).items!.type } : {}),
  };
  return spec as ParameterSpec<N, V, OptionalFlag<O>> & MarkDefault<O>;
}

/** Options that make an input optional for callers: a default, or `optional: true`. */
type OptionalOptions<O> = O & ({ readonly default: NonNullable<unknown> } | { readonly optional: true });

/** List options that name the item type, which a ParallelFor over a list of numbers or booleans needs. */
type TypedListOptions<V> = ListOptions<V> & { readonly items: ParameterSpec };

type DefaultOptions<O, V> = O & { readonly default: V };

// Overloads rather than an inferred options type: callers give the item type explicitly
// (`t.list<string>({ default: [] })`), and TypeScript infers no type argument once one is given.
// The return type records whether `items` was given (see DeclaredItemType): a ParallelFor over a
// list of numbers or booleans requires it in `tsc`, since the IR types an undeclared item STRING.
function listParameter<T = JsonValue>(
  options: DefaultOptions<TypedListOptions<T[]>, T[]>,
): ParameterSpec<'LIST', T[], true, ParameterTypeName> & DefaultMark;
function listParameter<T = JsonValue>(options: OptionalOptions<TypedListOptions<T[]>>): ParameterSpec<'LIST', T[], true, ParameterTypeName>;
function listParameter<T = JsonValue>(options: TypedListOptions<T[]>): ParameterSpec<'LIST', T[], false, ParameterTypeName>;
function listParameter<T = JsonValue>(
  options: DefaultOptions<ListOptions<T[]>, T[]>,
): ParameterSpec<'LIST', T[], true, undefined> & DefaultMark;
function listParameter<T = JsonValue>(options: OptionalOptions<ListOptions<T[]>>): ParameterSpec<'LIST', T[], true, undefined>;
function listParameter<T = JsonValue>(options?: ListOptions<T[]>): ParameterSpec<'LIST', T[], false, undefined>;
function listParameter<T>(options?: ListOptions<T[]>): ParameterSpec<'LIST', T[], boolean> {
  return parameter<'LIST', T[], ListOptions<T[]>>('LIST', options);
}

function structParameter<T extends object = { [key: string]: JsonValue }>(
  options: DefaultOptions<ParameterOptions<T>, T>,
): ParameterSpec<'STRUCT', T, true> & DefaultMark;
function structParameter<T extends object = { [key: string]: JsonValue }>(
  options: OptionalOptions<ParameterOptions<T>>,
): ParameterSpec<'STRUCT', T, true>;
function structParameter<T extends object = { [key: string]: JsonValue }>(options?: ParameterOptions<T>): ParameterSpec<'STRUCT', T, false>;
function structParameter<T extends object>(options?: ParameterOptions<T>): ParameterSpec<'STRUCT', T, boolean> {
  return parameter<'STRUCT', T, ParameterOptions<T>>('STRUCT', options);
}

/** Parameter type constructors: `t.string()`, `t.int({ default: 3 })`, `t.list<string>()`, … */
export const t = {
  string: <O extends ParameterOptions<string> = {}>(options?: O) => parameter<'STRING', string, O>('STRING', options),
  int: <O extends ParameterOptions<number> = {}>(options?: O) => parameter<'NUMBER_INTEGER', number, O>('NUMBER_INTEGER', options),
  float: <O extends ParameterOptions<number> = {}>(options?: O) => parameter<'NUMBER_DOUBLE', number, O>('NUMBER_DOUBLE', options),
  bool: <O extends ParameterOptions<boolean> = {}>(options?: O) => parameter<'BOOLEAN', boolean, O>('BOOLEAN', options),
  list: listParameter,
  struct: structParameter,
  /**
   * The final status of the tasks an exit handler guards (KFP's PipelineTaskFinalStatus): set by the
   * compiler for an exit task, never passed by callers.
   */
  taskFinalStatus: (options?: { readonly description?: string }) =>
    parameter<'TASK_FINAL_STATUS', TaskFinalStatus, { optional: true; description?: string }>('TASK_FINAL_STATUS', {
      optional: true,
      ...(options?.description !== undefined ? { description: options.description } : {}),
    }),
  artifact: <T extends string, O extends ArtifactOptions = {}>(type: ArtifactType<T>, options?: O) =>
    artifactSpec<T, false, O>(type, false, options),
  artifactList: <T extends string, O extends ArtifactOptions = {}>(type: ArtifactType<T>, options?: O) =>
    artifactSpec<T, true, O>(type, true, options),
};

/** An artifact type: its MLMD schema title and version. */
export interface ArtifactType<T extends string = string> {
  readonly kind: 'artifactType';
  readonly schemaTitle: T;
  readonly schemaVersion: string;
}

export interface ArtifactSpec<T extends string = string, L extends boolean = boolean, Opt extends boolean = boolean> {
  readonly kind: 'artifact';
  readonly artifactType: ArtifactType<T>;
  readonly isList: L;
  readonly isOptional: Opt;
  readonly description?: string;
}

export interface ArtifactOptions {
  /** @default false */
  readonly optional?: boolean;
  readonly description?: string;
}

function artifactSpec<T extends string, L extends boolean, O extends ArtifactOptions>(
  artifactType: ArtifactType<T>,
  isList: L,
  options: O | undefined,
): ArtifactSpec<T, L, O extends { optional: true } ? true : false> {
  return {
    kind: 'artifact',
    artifactType,
    isList,
    isOptional: (options?.optional ?? false) as O extends { optional: true } ? true : false,
    ...(options?.description !== undefined ? { description: options.description } : {}),
  };
}

/** What may stand for one input or output in a signature: a spec, or a bare artifact type. */
export type IoSpecLike = ParameterSpec | ArtifactSpec | ArtifactType;
export type IoSpecs = { readonly [name: string]: IoSpecLike };

/** The spec an `IoSpecLike` stands for (a bare artifact type is a required single artifact). */
export type AsSpec<S> = S extends ArtifactType<infer T> ? ArtifactSpec<T, false, false> : S;

export type IoSpec = ParameterSpec | ArtifactSpec;

export function asSpec(spec: IoSpecLike): IoSpec {
  return spec.kind === 'artifactType' ? artifactSpec(spec, false, undefined) : spec;
}

export function isIoSpecLike(value: unknown): value is IoSpecLike {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'parameter' || kind === 'artifact' || kind === 'artifactType';
}
