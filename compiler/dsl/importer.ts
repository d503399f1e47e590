import { makeComponent } from './component';
import type { ParameterChannel } from './channels';
import { CallSite } from './source-location';
import type { Task } from './task';
import type { FormattedString } from './formatted-string';
import { t, type ArtifactSpec, type ArtifactType, type IoSpec } from './types';

/** Metadata for an imported artifact; values (and Map keys) may be run-time parameters. */
export type ImporterMetadata = { readonly [key: string]: unknown } | ReadonlyMap<string | ParameterChannel | FormattedString, unknown>;

export interface ImporterProps<T extends string> {
  /** URI of the existing artifact (`gs://…`), known at compile time or from a string parameter. */
  readonly artifactUri: string | ParameterChannel<'STRING'>;
  /** The type the artifact is registered as. */
  readonly artifactClass: ArtifactType<T>;
  /** Register a new artifact even when one with this URI exists. @default false */
  readonly reimport?: boolean;
  readonly metadata?: ImporterMetadata;
}

/**
 * Brings an existing artifact into the pipeline (KFP's `dsl.importer`); its output is `artifact`.
 * Each call is its own component, since the metadata and URI are part of the executor.
 */
export function importer<T extends string>(props: ImporterProps<T>): Task<{ readonly artifact: ArtifactSpec<T, false, false> }> {
  const callSite = new CallSite();
  const inputs: Record<string, IoSpec> = { uri: t.string() };
  const args: Record<string, unknown> = { uri: props.artifactUri };
  const component = makeComponent<{ uri: ReturnType<typeof t.string> }, { readonly artifact: ArtifactSpec<T, false, false> }>({
    name: 'importer',
    inputs,
    outputs: { artifact: t.artifact(props.artifactClass) },
    implementation: {
      kind: 'importer',
      artifactType: props.artifactClass,
      reimport: props.reimport ?? false,
      ...(props.metadata !== undefined ? { metadata: props.metadata } : {}),
    },
    callSite,
  });
  return component(args as { uri: string });
}
