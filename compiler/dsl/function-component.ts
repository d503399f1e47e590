import { isBuildingPipeline } from './build-context';
import { makeComponent, type Component } from './component';
import type { StepPackaging } from './component-definition';
import { normalizeSpecs } from './container-component';
import { DslUsageError } from './errors';
import type { ProjectImage } from './project-image';
import { CallSite } from './source-location';
import type { ArtifactSpec, AsSpec, DefaultMark, IoSpecs, ParameterSpec, TaskFinalStatus } from './types';

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

type ValueOf<S> =
  S extends ParameterSpec<infer N, infer V, infer Opt>
    ? N extends 'TASK_FINAL_STATUS'
      ? TaskFinalStatus
      : S extends DefaultMark
        ? V
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
   * Lightweight (the default): at compile time the module that defines the component is bundled
   * with its pure-JavaScript dependencies, and the bundle travels in the container command, run by
   * plain Node on this image (the KFP SDK's `base_image`). Any image with `node` (20 or later) and
   * `sh` works. @default the compile option `nodeImage`, else `node:20-slim`
   */
  readonly baseImage?: string;
  /**
   * Containerized (the KFP SDK's `target_image`): the step runs `kfp-ts exec-component` from the
   * project's sources inside an image built from the project, for steps with native dependencies
   * (sharp, tfjs-node). `projectImage('name')` names an image of the project's kfp-ts
   * configuration (tagged with a hash of its contents when the pipeline compiles); a string is
   * used as it is.
   */
  readonly targetImage?: string | ProjectImage;
  readonly implementation: FunctionImplementation<I, O>;
}

export interface FunctionComponent<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs> extends Component<I, O> {
  readonly implementation: FunctionImplementation<I, O>;
}

const functionBrand = Symbol.for('kfp-ts.function-component');

/**
 * A component whose implementation is a typed async TypeScript function. How it reaches its
 * container (a bundle on a stock Node image, or the project's image) is decided when the pipeline
 * compiles; either way the compiled command carries what decides the step's behaviour (the bundle,
 * or the image's content hash), so changing the code changes the cache key. Tests can call
 * `implementation` directly.
 */
export function functionComponent<I extends IoSpecs = {}, O extends IoSpecs = {}>(
  props: FunctionComponentProps<I, O>,
): FunctionComponent<I, O> {
  const callSite = new CallSite();
  // Unknown inside a step's own bundle, where it is not needed; compiling needs it (package-steps).
  const moduleFile = callSite.definingFile;
  if (isBuildingPipeline()) {
    throw new DslUsageError(
      `functionComponent '${props.name}' is defined inside a pipeline function`,
      'define it at the top level of a module (its container runs that module, not the pipeline function) and call it from the pipeline',
      callSite.location,
    );
  }
  if (props.baseImage !== undefined && props.targetImage !== undefined) {
    throw new DslUsageError(
      `functionComponent '${props.name}' sets both baseImage and targetImage`,
      "set baseImage for a lightweight step (bundled, on a stock Node image) or targetImage for a containerized one (the project's image), not both",
      callSite.location,
    );
  }
  const packaging: StepPackaging =
    props.targetImage !== undefined
      ? { kind: 'containerized', image: props.targetImage }
      : { kind: 'lightweight', ...(props.baseImage !== undefined ? { baseImage: props.baseImage } : {}) };
  const inputs = normalizeSpecs(props.inputs ?? {}, 'input', props.name, callSite);
  const outputs = normalizeSpecs(props.outputs ?? {}, 'output', props.name, callSite);
  const component = makeComponent<I, O>({
    name: props.name,
    ...(props.description !== undefined ? { description: props.description } : {}),
    inputs,
    outputs,
    implementation: { kind: 'function', ...(moduleFile !== undefined ? { moduleFile } : {}), packaging },
    callSite,
  });
  Object.defineProperty(component, 'implementation', { value: props.implementation, enumerable: true });
  Object.defineProperty(component, functionBrand, { value: true });
  return component as FunctionComponent<I, O>;
}

export function isFunctionComponent(value: unknown): value is FunctionComponent {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[functionBrand] === true;
}
