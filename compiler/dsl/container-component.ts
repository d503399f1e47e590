import { makeComponent, type Component } from './component';
import { DslUsageError } from './errors';
import {
  inputArtifact,
  inputArtifactList,
  inputValue,
  outputArtifact,
  outputParameter,
  type ArtifactPlaceholders,
  type CommandItem,
  type OutputParameterPlaceholders,
  type Placeholder,
} from './placeholders';
import { CallSite } from './source-location';
import { asSpec, isIoSpecLike, type ArtifactSpec, type AsSpec, type IoSpec, type IoSpecs, type ParameterSpec } from './types';

/** A parameter or a list of artifacts is one placeholder; a single artifact has uri/path/metadata. */
export type InputPlaceholders<I extends IoSpecs> = {
  readonly [K in keyof I]: AsSpec<I[K]> extends ParameterSpec
    ? Placeholder
    : AsSpec<I[K]> extends ArtifactSpec<string, true, boolean>
      ? Placeholder
      : ArtifactPlaceholders;
};

export type OutputPlaceholders<O extends IoSpecs> = {
  readonly [K in keyof O]: AsSpec<O[K]> extends ParameterSpec ? OutputParameterPlaceholders : ArtifactPlaceholders;
};

/** The placeholders a container component's command and args are written with. */
export interface ContainerIo<I extends IoSpecs, O extends IoSpecs> {
  readonly inputs: InputPlaceholders<I>;
  readonly outputs: OutputPlaceholders<O>;
}

type CommandList<I extends IoSpecs, O extends IoSpecs> = readonly CommandItem[] | ((io: ContainerIo<I, O>) => readonly CommandItem[]);

export interface ContainerComponentProps<I extends IoSpecs, O extends IoSpecs> {
  /** Component name; the IR uses it sanitized (`Train Model` → `train-model`). */
  readonly name: string;
  readonly description?: string;
  /** Inputs by name: parameter specs (`t.int()`), artifact types (`Dataset`) or specs (`t.artifact(...)`). */
  readonly inputs?: I;
  readonly outputs?: O;
  readonly image: string;
  readonly command?: CommandList<I, O>;
  readonly args?: CommandList<I, O>;
}

/** Defines a component that runs a container image with a command built from typed placeholders. */
export function containerComponent<I extends IoSpecs = {}, O extends IoSpecs = {}>(props: ContainerComponentProps<I, O>): Component<I, O> {
  const callSite = new CallSite();
  const inputs = normalizeSpecs(props.inputs ?? {}, 'input', props.name, callSite);
  const outputs = normalizeSpecs(props.outputs ?? {}, 'output', props.name, callSite);
  const io = placeholdersFor<I, O>(inputs, outputs);
  const resolve = (list: CommandList<I, O> | undefined) => [...(typeof list === 'function' ? list(io) : (list ?? []))];
  return makeComponent<I, O>({
    name: props.name,
    ...(props.description !== undefined ? { description: props.description } : {}),
    inputs,
    outputs,
    implementation: { kind: 'container', image: props.image, command: resolve(props.command), args: resolve(props.args) },
    callSite,
  });
}

export function normalizeSpecs(
  specs: IoSpecs,
  side: 'input' | 'output',
  componentName: string,
  callSite: CallSite,
): Record<string, IoSpec> {
  const normalized: Record<string, IoSpec> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!isIoSpecLike(spec)) {
      throw new DslUsageError(
        `${side} '${name}' of component '${componentName}' is not a type`,
        `declare it with t.string(), t.int(), …, an artifact type such as Dataset, or t.artifact(Model)`,
        callSite.location,
      );
    }
    normalized[name] = asSpec(spec);
  }
  return normalized;
}

function placeholdersFor<I extends IoSpecs, O extends IoSpecs>(
  inputs: Record<string, IoSpec>,
  outputs: Record<string, IoSpec>,
): ContainerIo<I, O> {
  const inputPlaceholders: Record<string, Placeholder | ArtifactPlaceholders> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    inputPlaceholders[name] = spec.kind === 'parameter' ? inputValue(name) : spec.isList ? inputArtifactList(name) : inputArtifact(name);
  }
  const outputPlaceholders: Record<string, OutputParameterPlaceholders | ArtifactPlaceholders> = {};
  for (const [name, spec] of Object.entries(outputs)) {
    outputPlaceholders[name] = spec.kind === 'parameter' ? outputParameter(name) : outputArtifact(name);
  }
  return { inputs: inputPlaceholders, outputs: outputPlaceholders } as unknown as ContainerIo<I, O>;
}
