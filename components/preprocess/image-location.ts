/**
 * Where an image named in a manifest lives on this machine. Paths are relative to the manifest's
 * folder, absolute, or `gs://bucket/key`.
 *
 * `gs://bucket/key` is read as `/gcs/bucket/key`: Vertex AI mounts Cloud Storage there with
 * Cloud Storage FUSE, so no client library is needed inside a Vertex job. Elsewhere, mount the
 * bucket at /gcs (gcsfuse) or copy the data locally and use relative paths.
 */
import * as path from 'node:path';

export const GCS_MOUNT = '/gcs';

/** `gs://bucket/key` → `/gcs/bucket/key`; anything else is returned unchanged. */
export function gcsUriToLocalPath(uri: string): string {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return match ? path.posix.join(GCS_MOUNT, match[1], match[2]) : uri;
}

export function isGcsUri(reference: string): boolean {
  return reference.startsWith('gs://');
}

/** The local path of a manifest entry: `gs://` through /gcs, absolute as is, else from the manifest's folder. */
export function resolveImagePath(reference: string, manifestDir: string): string {
  if (isGcsUri(reference)) return gcsUriToLocalPath(reference);
  return path.isAbsolute(reference) ? reference : path.resolve(manifestDir, reference);
}

/** Why a file named in the manifest could not be read, with how to fix it. */
export function missingFileMessage(reference: string, localPath: string, what = 'image file'): string {
  if (isGcsUri(reference)) {
    return (
      `${what} ${reference} was read as ${localPath} (the Cloud Storage FUSE mount Vertex AI provides) and is not there; ` +
      'check the URI, or outside Vertex mount the bucket at /gcs (gcsfuse) or copy the images locally and use relative paths'
    );
  }
  const hint = what === 'image file' ? "; paths in the manifest are relative to the manifest's folder, absolute, or gs:// URIs" : '';
  return `${what} not found: ${localPath}${hint}`;
}
