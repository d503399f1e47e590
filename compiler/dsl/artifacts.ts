import { DslUsageError } from './errors';
import { CallSite } from './source-location';
import type { ArtifactType } from './types';

/** Declares an artifact type by its MLMD schema title (e.g. `my.TokenizedCorpus`) and version. */
export function artifactType<T extends string>(schemaTitle: T, schemaVersion = '0.0.1'): ArtifactType<T> {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(schemaTitle)) {
    throw new DslUsageError(
      `artifact schema title '${schemaTitle}' is not of the form '<namespace>.<Name>'`,
      "name it like 'system.Dataset' or 'acme.Corpus'",
      new CallSite().location,
    );
  }
  return Object.freeze({ kind: 'artifactType', schemaTitle, schemaVersion });
}

export const Artifact = artifactType('system.Artifact');
export const Dataset = artifactType('system.Dataset');
export const Model = artifactType('system.Model');
export const Metrics = artifactType('system.Metrics');
export const ClassificationMetrics = artifactType('system.ClassificationMetrics');
export const SlicedClassificationMetrics = artifactType('system.SlicedClassificationMetrics');
export const HTML = artifactType('system.HTML');
export const Markdown = artifactType('system.Markdown');
export const VertexModel = artifactType('google.VertexModel');
export const VertexEndpoint = artifactType('google.VertexEndpoint');
export const VertexDataset = artifactType('google.VertexDataset');
export const UnmanagedContainerModel = artifactType('google.UnmanagedContainerModel');
