import type { RuntimeArtifact } from './executor-protocol';

/**
 * The local path of an artifact URI, as KFP's `Artifact.path` and the backend's `LocalPathForURI`
 * compute it (`gs://b/k` → `/gcs/b/k`, `minio://` → `/minio/`, `s3://` → `/s3/`; see `Artifact.path`
 * in https://github.com/kubeflow/pipelines/blob/master/sdk/python/kfp/dsl/types/artifact_types.py).
 * Remote stores appear to containers as mounts (`/gcs/…` on Vertex); any other URI, including
 * kfp-ts's plain absolute local URIs, is its own path.
 */

const REMOTE_MOUNTS: readonly { scheme: string; mount: string }[] = [
  { scheme: 'gs://', mount: '/gcs/' },
  { scheme: 'minio://', mount: '/minio/' },
  { scheme: 's3://', mount: '/s3/' },
];

const OCI_SCHEME = 'oci://';
const OCI_MOUNT = '/oci/';

/**
 * `schemaTitle` matters only for `oci://`: a modelcar image holds a `system.Model` under `/models`.
 */
export function localPathForUri(uri: string, schemaTitle?: string): string {
  for (const { scheme, mount } of REMOTE_MOUNTS) {
    if (uri.startsWith(scheme)) return mount + uri.slice(scheme.length);
  }
  if (uri.startsWith(OCI_SCHEME)) {
    // One directory per image reference, so the reference's slashes must not create subdirectories.
    const path = OCI_MOUNT + uri.slice(OCI_SCHEME.length).replace(/\//g, '_');
    return schemaTitle === 'system.Model' ? `${path}/models` : path;
  }
  return uri;
}

/** `customPath`, when the artifact has one, wins over the URI mapping. */
export function localPathForArtifact(artifact: Pick<RuntimeArtifact, 'uri' | 'customPath' | 'type'>): string {
  if (artifact.customPath) return artifact.customPath;
  return localPathForUri(artifact.uri, artifact.type?.schemaTitle);
}

/**
 * The reverse mapping, for a component that reports a `/gcs/…` (or `/minio/`, `/s3/`) path: the
 * remote URI it stands for. Other paths are returned unchanged. `/oci/` is not reversible (its
 * slashes were replaced), so it is left as is.
 */
export function uriForLocalPath(path: string): string {
  for (const { scheme, mount } of REMOTE_MOUNTS) {
    if (path.startsWith(mount)) return scheme + path.slice(mount.length);
  }
  return path;
}
