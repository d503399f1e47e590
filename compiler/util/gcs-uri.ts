/**
 * The one reader of `gs://BUCKET/OBJECT` URIs: what kfp-ts accepts as one, its bucket and object
 * name, and the sentence that says what is wrong with one. Object paths with `.` or `..` segments are
 * refused: Cloud Storage takes them as literal object names, but every place that maps a URI to a
 * file (Vertex's /gcs/ mount, the emulator, a local run) resolves them, so `gs://bucket/../../x`
 * would name a file outside the bucket's folder.
 */
import { KfpTsError } from '../errors/kfp-ts-error';
import { PathEscapeError } from './contained-path';

/** A text that is not a `gs://` URI kfp-ts can use (a dot segment is a {@link PathEscapeError} instead). */
export class GcsUriError extends KfpTsError {
  override readonly name = 'GcsUriError';
}

export interface GcsUri {
  readonly bucket: string;
  /** The object name (or prefix) inside the bucket, without a leading '/'; '' for the bucket itself. */
  readonly object: string;
}

/** What a URI must name: a bucket (a folder such as a pipeline root may be the bucket itself) or an object. */
export type GcsUriNeeds = 'bucket' | 'object';

const SCHEME = 'gs://';

export function isGcsUri(text: string): boolean {
  return text.startsWith(SCHEME);
}

/** The sentence naming `what` that says what is wrong with `uri`, or undefined when it is usable. */
export function gcsUriProblem(uri: string, what: string, needs: GcsUriNeeds = 'bucket'): string | undefined {
  return shapeProblem(uri, what, needs) ?? gcsDotSegmentProblem(uri, what);
}

/** Splits `uri`; throws a {@link GcsUriError} (or a PathEscapeError for a dot segment) whose message names `what`. */
export function parseGcsUri(uri: string, what = 'Cloud Storage URI', needs: GcsUriNeeds = 'object'): GcsUri {
  const shape = shapeProblem(uri, what, needs);
  if (shape) throw new GcsUriError(`${shape}.`);
  const dotSegment = gcsDotSegmentProblem(uri, what);
  if (dotSegment) throw new PathEscapeError(`${dotSegment}.`);
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, object: '' } : { bucket: rest.slice(0, slash), object: rest.slice(slash + 1) };
}

/** A problem sentence naming `what` when `uri` is a gs:// URI with a `.` or `..` segment; else undefined. */
export function gcsDotSegmentProblem(uri: string, what: string): string | undefined {
  if (!isGcsUri(uri)) return undefined;
  const segment = uri
    .slice(SCHEME.length)
    .split('/')
    .find((part) => part === '.' || part === '..');
  if (segment === undefined) return undefined;
  return `${what} '${uri}' has a '${segment}' segment; Cloud Storage paths are not resolved, so write the path without '.' and '..' (e.g. gs://BUCKET/PATH)`;
}

/**
 * Cloud Storage bucket naming rules (https://cloud.google.com/storage/docs/buckets#naming): 3–63
 * characters (up to 222 with dots, each dot-separated part at most 63), lowercase letters, digits,
 * '-', '_' and '.', starting and ending with a letter or digit; not an IP address; no 'goog' prefix
 * and no 'google'. Checked where a bucket is about to be used in the cloud; a local mapping of
 * gs:// (the emulator, the FUSE-like folders of tests) takes any bucket name.
 */
export function bucketProblem(bucket: string): string | undefined {
  const expected = 'expected 3–63 lowercase letters, digits, hyphens, underscores or dots, starting and ending with a letter or digit';
  if (bucket.length < 3 || bucket.length > (bucket.includes('.') ? 222 : 63))
    return `bucket name '${bucket}' has ${bucket.length} characters: ${expected}`;
  if (!/^[a-z0-9][-a-z0-9_.]*[a-z0-9]$/.test(bucket)) return `bucket name '${bucket}' is not valid: ${expected}`;
  if (bucket.split('.').some((part) => part.length > 63 || part.length === 0))
    return `bucket name '${bucket}' has an empty or over-63-character part between dots`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return `bucket name '${bucket}' looks like an IP address, which Cloud Storage does not allow`;
  if (bucket.startsWith('goog') || /g[o0][o0]gle/.test(bucket))
    return `bucket name '${bucket}' may not start with 'goog' or contain 'google'`;
  return undefined;
}

function shapeProblem(uri: string, what: string, needs: GcsUriNeeds): string | undefined {
  if (!isGcsUri(uri)) {
    const hint = uri.startsWith('/gcs/')
      ? ` (write gs://${uri.slice('/gcs/'.length)})`
      : uri.startsWith('gs:/')
        ? ' (it needs two slashes: gs://)'
        : '';
    return `${what} '${uri}' is not a Cloud Storage URI${hint}: expected gs://BUCKET/PATH`;
  }
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  if (slash === 0 || rest === '') return `${what} '${uri}' names no bucket: expected gs://BUCKET/PATH`;
  if (/[\r\n]/.test(uri)) return `${what} '${uri}' contains a line break, which bucket and object names cannot`;
  if (needs === 'object' && (slash < 0 || slash === rest.length - 1)) {
    return `${what} '${uri}' names no object: expected gs://BUCKET/OBJECT, e.g. gs://my-bucket/data/manifest.csv`;
  }
  return undefined;
}
