import type { IrValue } from './pipeline-spec';

/**
 * The ExecutorInput / ExecutorOutput messages of KFP's `pipeline_spec.proto`, in the proto-JSON
 * mapping with camelCase names (what the KFP backend and kfp.local hand to containers through
 * `{{$}}`). Shared by the runner (which writes them),
 * the function-component executor and the local GCPC launchers (which read them).
 */

/** `{schemaTitle, schemaVersion}` for system/Vertex types, or `{instanceSchema}` for inline ones. */
export interface RuntimeArtifactType {
  schemaTitle?: string;
  schemaVersion?: string;
  instanceSchema?: string;
}

export interface RuntimeArtifact {
  /** Inputs: the MLMD artifact id as a decimal string (backend), the output key in kfp.local; outputs: the output key. */
  name?: string;
  type?: RuntimeArtifactType;
  /** A plain absolute path for local artifacts (no `file://`), as kfp.local does. */
  uri: string;
  metadata: Record<string, IrValue>;
  customPath?: string;
}

export interface ArtifactList {
  artifacts: RuntimeArtifact[];
}

export interface ExecutorInput {
  inputs: {
    parameterValues: Record<string, IrValue>;
    artifacts: Record<string, ArtifactList>;
  };
  outputs: {
    parameters: Record<string, { outputFile: string }>;
    artifacts: Record<string, ArtifactList>;
    /** Where the task may write an ExecutorOutput JSON. */
    outputFile: string;
  };
}

/** What a task may write to `outputs.outputFile`; every field is optional. */
export interface ExecutorOutput {
  parameterValues?: Record<string, IrValue>;
  artifacts?: Record<string, { artifacts: Partial<RuntimeArtifact>[] }>;
}
