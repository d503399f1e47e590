import type { ArtifactChannel, ParameterChannel } from './channels';
import { currentScope } from './build-context';
import type { ComponentDefinition } from './component-definition';
import type { FormattedString } from './formatted-string';
import { CallSite } from './source-location';
import { Task } from './task';
import type { ArtifactSpec, AsSpec, IoSpecs, ParameterSpec, ParameterTypeName } from './types';

/**
 * Parameter types whose channels an input of type N accepts: an int widens to a float, and a task
 * final status is a struct (the reference types it so for checking).
 */
type AcceptedParameterTypes<N extends ParameterTypeName> = N extends 'NUMBER_DOUBLE'
  ? 'NUMBER_DOUBLE' | 'NUMBER_INTEGER'
  : N extends 'STRUCT'
    ? 'STRUCT' | 'TASK_FINAL_STATUS'
    : N;

/**
 * Artifact schema titles an input accepts: its own and `system.Artifact`, the generic type that
 * KFP lets stand in for any artifact; a `system.Artifact` input accepts every artifact.
 */
type AcceptedArtifactTitles<T extends string> = T extends 'system.Artifact' ? string : T | 'system.Artifact';

/** What a caller may pass for an input of a given spec. */
export type ArgumentFor<S> =
  AsSpec<S> extends ParameterSpec<infer N, infer V, boolean>
    ? V | ParameterChannel<AcceptedParameterTypes<N>> | (N extends 'STRING' ? FormattedString : never)
    : AsSpec<S> extends ArtifactSpec<infer T, infer L, boolean>
      ? ArtifactChannel<AcceptedArtifactTitles<T>, L>
      : never;

type IsOptional<S> = AsSpec<S> extends { readonly isOptional: true } ? true : false;
type RequiredKeys<I> = { [K in keyof I]-?: IsOptional<I[K]> extends true ? never : K }[keyof I];
type OptionalKeys<I> = Exclude<keyof I, RequiredKeys<I>>;

/** The argument object of a component: required inputs must be given, unknown names are errors. */
export type ArgumentsOf<I extends IoSpecs> = { [K in RequiredKeys<I>]: ArgumentFor<I[K]> } & {
  [K in OptionalKeys<I>]?: ArgumentFor<I[K]>;
};

/** The arguments tuple: optional altogether when every input is optional. */
export type CallArguments<I extends IoSpecs> = [RequiredKeys<I>] extends [never] ? [args?: ArgumentsOf<I>] : [args: ArgumentsOf<I>];

const componentBrand = Symbol.for('kfp-ts.component');

/** A component: call it inside a pipeline body to add a task. */
export interface Component<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs> {
  (...args: CallArguments<I>): Task<O>;
  readonly definition: ComponentDefinition;
  /** Phantom: the component's signature, for type-level use. */
  readonly __signature?: { inputs: I; outputs: O };
}

/**
 * A component whatever its signature, for code that only reads its `definition` (compiling, loading
 * a pipeline module). Its call's parameters make Component contravariant in I, so no specific
 * Component<I, O> is assignable to Component<IoSpecs, IoSpecs>: the signature has to be erased.
 */
// biome-ignore lint/suspicious/noExplicitAny: the erasure this alias exists to name
export type AnyComponent = Component<any, any>;

export function makeComponent<I extends IoSpecs, O extends IoSpecs>(definition: ComponentDefinition): Component<I, O> {
  const call = (args?: Record<string, unknown>): Task<O> => {
    const callSite = new CallSite();
    const scope = currentScope(`Component '${definition.name}'`, () => callSite.location);
    const name = scope.body.allocateTaskName(definition.name);
    const task = new Task<O>(definition, args ?? {}, scope.body, scope.group, name, callSite);
    scope.body.addTask(task, scope.group);
    return task;
  };
  Object.defineProperty(call, 'name', { value: definition.name });
  Object.defineProperty(call, componentBrand, { value: true });
  Object.defineProperty(call, 'definition', { value: definition, enumerable: true });
  return call as unknown as Component<I, O>;
}

export function isComponent(value: unknown): value is Component {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[componentBrand] === true;
}
