/**
 * A gs:// URI as a local path, the way Vertex mounts buckets under /gcs/: `<gcsRoot>/<bucket>/<object>`.
 */
import { containedPath } from './contained-path';
import { parseGcsUri } from './gcs-uri';

/**
 * The local path of a gs:// URI under `gcsRoot`, refusing URIs that name no bucket (GcsUriError),
 * dot segments and anything that would leave `gcsRoot` (PathEscapeError).
 */
export function gcsUriLocalPath(uri: string, gcsRoot: string, what = 'gs:// URI'): string {
  const { bucket, object } = parseGcsUri(uri, what, 'bucket');
  return containedPath(gcsRoot, [bucket, ...object.split('/').filter((part) => part !== '')], what);
}
