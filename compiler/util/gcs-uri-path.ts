/**
 * gs:// URIs whose object path has `.` or `..` segments. Cloud Storage takes them as literal object
 * names, but every place that maps a URI to a file (Vertex's /gcs/ mount, the emulator, a local
 * run) resolves them, so `gs://bucket/../../x` would name a file outside the bucket's folder. kfp-ts
 * refuses them wherever it accepts a gs:// URI.
 */
import { PathEscapeError, containedPath } from './contained-path';

const gcsScheme = 'gs://';

/** A problem sentence naming `what` when `uri` is a gs:// URI with a `.` or `..` segment; else undefined. */
export function gcsDotSegmentProblem(uri: string, what: string): string | undefined {
  if (!uri.startsWith(gcsScheme)) return undefined;
  const segment = uri
    .slice(gcsScheme.length)
    .split('/')
    .find((part) => part === '.' || part === '..');
  if (segment === undefined) return undefined;
  return `${what} '${uri}' has a '${segment}' segment; Cloud Storage paths are not resolved, so write the path without '.' and '..' (e.g. gs://BUCKET/PATH)`;
}

/**
 * The local path of a gs:// URI under `gcsRoot` (`<gcsRoot>/<bucket>/<object>`, as Vertex mounts
 * buckets under /gcs/), refusing dot segments and anything that would leave `gcsRoot`.
 */
export function gcsUriLocalPath(uri: string, gcsRoot: string, what = 'gs:// URI'): string {
  if (!uri.startsWith(gcsScheme)) throw new PathEscapeError(`${what} '${uri}' is not a Cloud Storage URI: expected gs://BUCKET/PATH`);
  const problem = gcsDotSegmentProblem(uri, what);
  if (problem) throw new PathEscapeError(`${problem}.`);
  const parts = uri.slice(gcsScheme.length).split('/').filter((part) => part !== '');
  if (parts.length === 0) throw new PathEscapeError(`${what} '${uri}' names no bucket: expected gs://BUCKET/PATH`);
  return containedPath(gcsRoot, parts, what);
}
