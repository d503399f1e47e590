import type { IrComponentSpec, IrContainerSpec, IrImporterSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import type { CommandItem } from './placeholders';
import type { PipelineBody } from './pipeline-body';
import type { CallSite } from './source-location';
import type { IoSpec, ArtifactType } from './types';
import type { ImporterMetadata } from './importer';
import type { ProjectImage } from './project-image';

export interface ContainerImplementation {
  readonly kind: 'container';
  readonly image: string;
  readonly command: readonly CommandItem[];
  readonly args: readonly CommandItem[];
  /** Settings a loaded component spec already carried (env, resources). */
  readonly preset?: Pick<IrContainerSpec, 'env' | 'resources'>;
}

/**
 * A typed TypeScript step (`functionComponent`). Its container is decided at compile time, from
 * the compile options: a bundle of its module on a stock Node image (lightweight), or the
 * project's own image (containerized).
 */
export interface FunctionImplementation {
  readonly kind: 'function';
  /** The absolute path of the module that defines the component (from its call site), when known. */
  readonly moduleFile?: string;
  readonly packaging: StepPackaging;
}

export type StepPackaging =
  | { readonly kind: 'lightweight'; readonly baseImage?: string }
  | { readonly kind: 'containerized'; readonly image: string | ProjectImage };

export interface ImporterImplementation {
  readonly kind: 'importer';
  readonly artifactType: ArtifactType;
  readonly reimport: boolean;
  /** Metadata for the imported artifact; channels in it were replaced by their input placeholders. */
  readonly metadata?: ImporterMetadata;
}

export interface PipelineImplementation {
  readonly kind: 'pipeline';
  readonly body: PipelineBody;
}

/** A pipeline compiled elsewhere (loaded from IR YAML), used whole as a component. */
export interface CompiledPipelineImplementation {
  readonly kind: 'compiledPipeline';
  readonly spec: IrPipelineSpec;
}

/** A container component loaded from IR whose executor is something other than a plain container. */
export interface LoadedExecutorImplementation {
  readonly kind: 'loadedImporter';
  readonly importer: IrImporterSpec;
  readonly componentSpec: IrComponentSpec;
}

export type ComponentImplementation =
  | ContainerImplementation
  | FunctionImplementation
  | ImporterImplementation
  | PipelineImplementation
  | CompiledPipelineImplementation
  | LoadedExecutorImplementation;

/** What the compiler knows about a component, whichever way it was defined. */
export interface ComponentDefinition {
  /** As the author wrote it; the IR uses the sanitized form. */
  readonly name: string;
  readonly description?: string;
  readonly inputs: Readonly<Record<string, IoSpec>>;
  readonly outputs: Readonly<Record<string, IoSpec>>;
  readonly implementation: ComponentImplementation;
  readonly callSite: CallSite;
}
