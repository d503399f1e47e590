/**
 * `gs://bucket/object` URIs: parsing, and resolving a relative path against a URI's "folder"
 * (Cloud Storage has no folders; an object name's part up to its last '/' plays that role).
 */
import * as path from 'node:path';
import { PathEscapeError } from '../../../../compiler/util/contained-path';
import { gcsDotSegmentProblem } from '../../../../compiler/util/gcs-uri-path';

export interface GcsObjectName {
  readonly bucket: string;
  /** The object name inside the bucket, without a leading '/'. */
  readonly object: string;
}

export function isGcsUri(reference: string): boolean {
  return reference.startsWith('gs://');
}

/** Splits `gs://bucket/object`; throws when the bucket or the object name is missing. */
export function parseGcsUri(uri: string): GcsObjectName {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`${uri} is not a Cloud Storage object URI; write it as gs://<bucket>/<object name>, e.g. gs://my-bucket/data/manifest.csv.`);
  const dotSegments = gcsDotSegmentProblem(uri, 'Cloud Storage URI');
  if (dotSegments) throw new PathEscapeError(`${dotSegments}.`);
  return { bucket: match[1], object: match[2] };
}

/**
 * `reference` relative to the folder of `base` (a gs:// URI): resolveGcsReference('img/a.png',
 * 'gs://b/set/manifest.csv') === 'gs://b/set/img/a.png'. '..' may climb to the bucket's root, not
 * out of the bucket, as it cannot on a file system either.
 */
export function resolveGcsReference(reference: string, base: string): string {
  const { bucket, object } = parseGcsUri(base);
  const resolved = path.posix.resolve('/', path.posix.dirname(object), reference).slice(1);
  return `gs://${bucket}/${resolved}`;
}
