/**
 * `gs://bucket/object` URIs for the component's readers and writers: kfp-ts's one parser
 * (compiler/util/gcs-uri.ts), and resolving a relative path against a URI's "folder" (Cloud Storage
 * has no folders; an object name's part up to its last '/' plays that role).
 */
import * as path from 'node:path';
import { parseGcsUri } from '../../../../compiler/util/gcs-uri';

export { isGcsUri, parseGcsUri, type GcsUri } from '../../../../compiler/util/gcs-uri';

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
