import * as path from 'node:path';
import { containerImage } from '../../containers/images';
import { makeComponent, type Component } from './component';
import { normalizeSpecs } from './container-component';
import { DslUsageError } from './errors';
import { executorInput } from './placeholders';
import { CallSite } from './source-location';
import type { ArtifactSpec, AsSpec, IoSpecs, ParameterSpec, TaskFinalStatus } from './types';

/** An input artifact as the implementation sees it. */
export interface InputArtifact {
  readonly uri: string;
  /** Where to read it on this machine (`gs://b/k` is read through `/gcs/b/k`, as on Vertex). */
  readonly path: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** An output artifact: write its file(s) at `path`; `metadata` is recorded with it. */
export interface OutputArtifact {
  readonly uri: string;
  readonly path: string;
  metadata: Record<string, unknown>;
}

type ValueOf<S> = S extends ParameterSpec<infer N, infer V, infer Opt>
  ? N extends 'TASK_FINAL_STATUS'
    ? TaskFinalStatus
    : Opt extends true
      ? V | undefined
      : V
  : never;

export type FunctionInputs<I extends IoSpecs> = {
  readonly [K in keyof I]: AsSpec<I[K]> extends ArtifactSpec<string, infer L, infer Opt>
    ? L extends true
      ? readonly InputArtifact[]
      : Opt extends true
        ? InputArtifact | undefined
        : InputArtifact
    : ValueOf<AsSpec<I[K]>>;
};

type ArtifactKeys<O extends IoSpecs> = { [K in keyof O]: AsSpec<O[K]> extends ArtifactSpec ? K : never }[keyof O];
type ParameterKeys<O extends IoSpecs> = Exclude<keyof O, ArtifactKeys<O>>;

export type FunctionOutputArtifacts<O extends IoSpecs> = { readonly [K in ArtifactKeys<O>]: OutputArtifact };

/** What the implementation returns: a value for every output parameter. */
export type FunctionResult<O extends IoSpecs> = [ParameterKeys<O>] extends [never]
  ? void | undefined | Record<string, never>
  : { readonly [K in ParameterKeys<O>]: ValueOf<AsSpec<O[K]>> };

export interface FunctionContext<I extends IoSpecs, O extends IoSpecs> {
  readonly inputs: FunctionInputs<I>;
  readonly outputs: FunctionOutputArtifacts<O>;
}

export type FunctionImplementation<I extends IoSpecs, O extends IoSpecs> = (
  context: FunctionContext<I, O>,
) => Promise<FunctionResult<O>> | FunctionResult<O>;

export interface FunctionComponentProps<I extends IoSpecs, O extends IoSpecs> {
  readonly name: string;
  readonly description?: string;
  readonly inputs?: I;
  readonly outputs?: O;
  /**
   * The image the component runs in on Vertex: one with this project (and its node_modules) as its
   * working directory. @default `KFP_TS_COMPONENT_IMAGE`, else `kfp-ts-components` in
   * `KFP_TS_IMAGE_REGISTRY` tagged `KFP_TS_IMAGE_TAG`, else `kfp-ts-components:latest` (containers/images.ts)
   */
  readonly image?: string;
  readonly implementation: FunctionImplementation<I, O>;
}

export interface FunctionComponent<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs> extends Component<I, O> {
  readonly implementation: FunctionImplementation<I, O>;
  /** The module that defines the component, relative to the project root. */
  readonly modulePath: string;
}

const functionBrand = Symbol.for('kfp-ts.function-component');
const kfpTsBin = path.resolve(__dirname, '../../cli/bin/kfp-ts.js');

/**
 * A component whose implementation is a typed async TypeScript function. It compiles to a container
 * command that runs `kfp-ts exec-component <module> <name>` with the executor input, from the
 * project root (the image's working directory on Vertex, the current directory locally), so the
 * local runner runs the same command on the host. Tests can call `implementation` directly.
 */
export function functionComponent<I extends IoSpecs = {}, O extends IoSpecs = {}>(
  props: FunctionComponentProps<I, O>,
): FunctionComponent<I, O> {
  const callSite = new CallSite();
  const definingFile = callSite.location?.file;
  if (!definingFile) {
    throw new DslUsageError(
      `functionComponent '${props.name}' could not tell which file defines it`,
      'define function components at the top level of a module file',
    );
  }
  const modulePath = path.relative(process.cwd(), definingFile).split(path.sep).join('/');
  const bin = path.relative(process.cwd(), kfpTsBin).split(path.sep).join('/');
  const inputs = normalizeSpecs(props.inputs ?? {}, 'input', props.name, callSite);
  const outputs = normalizeSpecs(props.outputs ?? {}, 'output', props.name, callSite);
  const component = makeComponent<I, O>({
    name: props.name,
    ...(props.description !== undefined ? { description: props.description } : {}),
    inputs,
    outputs,
    implementation: {
      kind: 'container',
      image: props.image ?? containerImage('components'),
      command: ['node', bin, 'exec-component', modulePath, props.name],
      args: ['--executor-input', executorInput],
    },
    callSite,
  });
  Object.defineProperty(component, 'implementation', { value: props.implementation, enumerable: true });
  Object.defineProperty(component, 'modulePath', { value: modulePath, enumerable: true });
  Object.defineProperty(component, functionBrand, { value: true });
  return component as FunctionComponent<I, O>;
}

export function isFunctionComponent(value: unknown): value is FunctionComponent {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[functionBrand] === true;
}
