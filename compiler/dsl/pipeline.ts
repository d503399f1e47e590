import { withScope } from './build-context';
import { ArtifactChannel, ParameterChannel, type Channel } from './channels';
import { makeComponent, type Component } from './component';
import { normalizeSpecs } from './container-component';
import { PipelineBody } from './pipeline-body';
import { CallSite } from './source-location';
import type { ChannelFor } from './task';
import type { ArtifactSpec, IoSpecs, ParameterSpec } from './types';

export type ParameterChannels<P extends IoSpecs> = { readonly [K in keyof P]: ChannelFor<P[K]> };

/** What a pipeline function may return: its outputs, by name. */
export type PipelineOutputChannels = { readonly [name: string]: ParameterChannel | ArtifactChannel };

type SpecOfChannel<C> =
  C extends ParameterChannel<infer N, infer V>
    ? ParameterSpec<N, V, false>
    : C extends ArtifactChannel<infer T, infer L>
      ? ArtifactSpec<T, L, false>
      : never;

export type OutputSpecsOf<R> = R extends PipelineOutputChannels ? { readonly [K in keyof R]: SpecOfChannel<R[K]> } : {};

export interface PipelineProps<P extends IoSpecs> {
  /** Pipeline name (`pipelineInfo.name`, sanitized). */
  readonly name: string;
  readonly description?: string;
  /** A human-readable name shown in the Vertex console (`pipelineInfo.displayName`). */
  readonly displayName?: string;
  /** Pipeline parameters (and artifact inputs), as for component inputs. */
  readonly params?: P;
  /** Descriptions of the returned outputs, by output name (shown in the IR and the Vertex console). */
  readonly outputDescriptions?: { readonly [output: string]: string };
  /**
   * Where runs write their artifacts unless a job names another root, e.g. `gs://bucket/pipelines`
   * (`defaultPipelineRoot` in the IR, the KFP SDK's `pipeline_root`).
   */
  readonly pipelineRoot?: string;
}

/** A pipeline: compile it, or call it inside another pipeline to use it as a component. */
export interface Pipeline<P extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs> extends Component<P, O> {
  readonly body: PipelineBody;
  readonly displayName?: string;
  readonly pipelineRoot?: string;
}

/**
 * Defines a pipeline. The function runs once, now, with a channel per parameter; components called
 * inside it become tasks, and the channels it returns become the pipeline's outputs.
 */
export function pipeline<P extends IoSpecs = {}, R extends PipelineOutputChannels | void = void>(
  props: PipelineProps<P>,
  build: (params: ParameterChannels<P>) => R,
): Pipeline<P, OutputSpecsOf<R>> {
  const callSite = new CallSite();
  const inputs = normalizeSpecs(props.params ?? {}, 'input', props.name, callSite);
  const body = new PipelineBody(props.name, inputs, callSite, props.outputDescriptions ?? {});
  const params: Record<string, Channel> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    const source = { kind: 'pipelineInput', body, name } as const;
    params[name] =
      spec.kind === 'parameter'
        ? new ParameterChannel(source, spec.type, spec.itemType)
        : new ArtifactChannel(source, spec.artifactType, spec.isList);
  }
  const returned = withScope({ body, group: body.root }, () => build(params as ParameterChannels<P>));
  body.outputs = (returned ?? {}) as PipelineOutputChannels;
  const component = makeComponent<P, OutputSpecsOf<R>>({
    name: props.name,
    ...(props.description !== undefined ? { description: props.description } : {}),
    inputs,
    outputs: body.outputSpecs(),
    implementation: { kind: 'pipeline', body },
    callSite,
  });
  Object.defineProperty(component, 'body', { value: body, enumerable: true });
  if (props.displayName !== undefined) Object.defineProperty(component, 'displayName', { value: props.displayName, enumerable: true });
  if (props.pipelineRoot !== undefined) Object.defineProperty(component, 'pipelineRoot', { value: props.pipelineRoot, enumerable: true });
  return component as Pipeline<P, OutputSpecsOf<R>>;
}

export function isPipeline(value: unknown): value is Pipeline {
  return typeof value === 'function' && (value as { body?: unknown }).body instanceof PipelineBody;
}
