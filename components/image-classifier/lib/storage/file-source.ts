/**
 * Where files named by a path or a `gs://bucket/object` URI are read from, and reading them.
 *
 * The gs:// rule: when the Cloud Storage FUSE mount exists (a folder at /gcs, as in every Vertex
 * AI custom job), gs://bucket/object is read as the file /gcs/bucket/object; elsewhere it is read
 * through the @google-cloud/storage client, with the usual credentials (see gcs-reader.ts).
 * Paths under /gcs are plain files either way. Relative paths resolve against the folder of the
 * file that names them: gs://b/set/img/a.png for 'img/a.png' in gs://b/set/manifest.csv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GcsReader, type GcsReaderOptions } from './gcs-reader';
import { isGcsUri, parseGcsUri, resolveGcsReference } from './gcs-uri';
import { readLocalFile } from './local-reader';

/** Vertex AI mounts Cloud Storage here with Cloud Storage FUSE. */
export const GCS_FUSE_ROOT = '/gcs';

export type GcsAccess = 'fuse' | 'client';

export interface FileSourceOptions extends GcsReaderOptions {
  /** Where buckets are mounted. @default '/gcs' */
  readonly fuseRoot?: string;
  /** How gs:// URIs are read; by default 'fuse' when `fuseRoot` is a folder, else 'client'. */
  readonly gcsAccess?: GcsAccess;
}

function isFolder(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

export class FileSource {
  readonly gcsAccess: GcsAccess;
  readonly fuseRoot: string;
  /** Used only for gs:// URIs in 'client' mode; it creates its client on the first read. */
  readonly gcs: GcsReader;

  constructor(options: FileSourceOptions = {}) {
    this.fuseRoot = options.fuseRoot ?? GCS_FUSE_ROOT;
    this.gcsAccess = options.gcsAccess ?? (isFolder(this.fuseRoot) ? 'fuse' : 'client');
    this.gcs = new GcsReader(options);
  }

  /**
   * Where `reference` is read from: a local path, or a gs:// URI in 'client' mode. Relative
   * references resolve against the folder of `base` (itself a location), else the working directory.
   */
  locate(reference: string, base?: string): string {
    if (isGcsUri(reference)) {
      if (this.gcsAccess === 'client') return reference;
      const { bucket, object } = parseGcsUri(reference);
      return path.posix.join(this.fuseRoot, bucket, object);
    }
    if (path.isAbsolute(reference) || base === undefined) return path.resolve(reference);
    return isGcsUri(base) ? resolveGcsReference(reference, base) : path.resolve(path.dirname(base), reference);
  }

  /**
   * The bytes at `location` (from locate()); `what` names the file in messages ('image file',
   * 'manifest'). A local file must be a regular file of at most `maxBytes` (see local-reader.ts).
   */
  read(location: string, what = 'file', maxBytes?: number): Promise<Buffer> {
    if (isGcsUri(location)) return this.gcs.read(location);
    return readLocalFile(location, what, { describe: this.describe(location), ...(maxBytes !== undefined ? { maxBytes } : {}) });
  }

  /** A path under the FUSE mount, with the URI it stands for: the manifest names the URI. */
  private describe(localPath: string): string {
    const relative = path.posix.relative(this.fuseRoot, localPath);
    if (this.gcsAccess !== 'fuse' || relative.startsWith('..') || path.isAbsolute(relative) || !relative.includes('/')) return localPath;
    return `gs://${relative} (read as ${localPath} through the Cloud Storage FUSE mount at ${this.fuseRoot})`;
  }
}
