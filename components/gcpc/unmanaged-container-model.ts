/**
 * The GCPC importer pattern (the example in `ModelUploadOp`'s docstring): a model folder plus the serving container
 * that can serve it, registered as a `google.UnmanagedContainerModel` for `ModelUploadOp`'s
 * `unmanaged_container_model` input. It compiles to KFP's plain `comp-importer` (output
 * `artifact`); the container spec is metadata, in the camelCase keys the upload launcher reads and
 * converts to the API's snake_case.
 */
import { UnmanagedContainerModel, importer, type ParameterChannel } from '../../compiler';

type Text = string | ParameterChannel<'STRING'>;

/** Vertex's `ModelContainerSpec`, as the importer metadata's `containerSpec`. */
export interface ServingContainerSpec {
  readonly imageUri: Text;
  readonly command?: readonly Text[];
  readonly args?: readonly Text[];
  readonly env?: readonly { readonly name: string; readonly value: Text }[];
  readonly ports?: readonly { readonly containerPort: number }[];
  readonly predictRoute?: string;
  readonly healthRoute?: string;
}

/** Vertex's `PredictSchemata`: OpenAPI schema files (gs://…) of instances, parameters and predictions. */
export interface PredictSchemata {
  readonly instanceSchemaUri?: string;
  readonly parametersSchemaUri?: string;
  readonly predictionSchemaUri?: string;
}

export interface UnmanagedContainerModelProps {
  /** The model folder (`gs://…` on Vertex; a local folder for the local runner). */
  readonly artifactUri: Text;
  readonly containerSpec: ServingContainerSpec;
  readonly predictSchemata?: PredictSchemata;
  /** @default false */
  readonly reimport?: boolean;
}

/** An importer task whose output `artifact` is the UnmanagedContainerModel. */
export function importUnmanagedContainerModel(props: UnmanagedContainerModelProps) {
  return importer({
    artifactUri: props.artifactUri,
    artifactClass: UnmanagedContainerModel,
    ...(props.reimport !== undefined ? { reimport: props.reimport } : {}),
    metadata: {
      containerSpec: props.containerSpec,
      ...(props.predictSchemata !== undefined ? { predictSchemata: props.predictSchemata } : {}),
    },
  });
}
