import type { IrComponentSpec, IrContainerSpec, IrImporterSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import type { CommandItem } from './placeholders';
import type { PipelineBody } from './pipeline-body';
import type { CallSite } from './source-location';
import type { IoSpec, ArtifactType } from './types';
import type { ImporterMetadata } from './importer';

export interface ContainerImplementation {
  readonly kind: 'container';
  readonly image: string;
  readonly command: readonly CommandItem[];
  readonly args: readonly CommandItem[];
  /** Settings a loaded component spec already carried (env, resources). */
  readonly preset?: Pick<IrContainerSpec, 'env' | 'resources'>;
}

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
