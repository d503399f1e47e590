/**
 * Writes whole files to a path or a `gs://bucket/object` URI, the counterpart of FileSource's
 * reads with the same gs:// rule: through the Cloud Storage FUSE mount at /gcs when it exists (as
 * in every Vertex AI custom job, pipeline steps included), else through @google-cloud/storage with
 * the usual credentials (created on the first gs:// write, so local runs never load it).
 *
 * A local file appears whole or not at all (written under a temporary name, then renamed), so a
 * reader polling the folder (TensorBoard) never reads half a file. Objects are uploaded in one
 * request, which Cloud Storage commits whole.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Storage, StorageOptions } from '@google-cloud/storage';
import { KfpTsError } from '../../../../compiler/errors/kfp-ts-error';
import { GCS_FUSE_ROOT, type GcsAccess } from './file-source';
import { serverMessage } from './gcs-failure';
import { isGcsUri, parseGcsUri } from './gcs-uri';

export interface FileSinkOptions {
  /** Where buckets are mounted. @default '/gcs' */
  readonly fuseRoot?: string;
  /** How gs:// URIs are written; by default 'fuse' when `fuseRoot` is a folder, else 'client'. */
  readonly gcsAccess?: GcsAccess;
  /** Passed to `new Storage()` in 'client' mode: apiEndpoint, projectId, keyFilename, retryOptions, … */
  readonly storageOptions?: StorageOptions;
}

/** A file or object that could not be written, with what to fix. */
export class FileWriteError extends KfpTsError {
  override readonly name = 'FileWriteError';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** `base` (a folder path or gs:// prefix) joined with `parts`, '/'-separated for gs://. */
export function joinLocation(base: string, ...parts: string[]): string {
  if (!isGcsUri(base)) return path.join(base, ...parts);
  const rest = path.posix.join(base.slice('gs://'.length), ...parts);
  return `gs://${rest}`;
}

function isFolder(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function localWriteError(what: string, target: string, error: unknown): FileWriteError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = String((error as { message?: unknown } | null)?.message ?? error);
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'free some space on that disk'
      : code === 'EROFS'
        ? 'that file system is read-only; write somewhere else'
        : code === 'EACCES' || code === 'EPERM'
          ? 'make the folder writable by the user running the step'
          : 'check that the path names a folder you can write to';
  return new FileWriteError(`Cannot write the ${what} ${target} (${reason}); ${fix}.`, { cause: error });
}

function gcsWriteError(what: string, uri: string, endpoint: string, error: unknown): FileWriteError {
  const failure = (error ?? {}) as { code?: unknown; message?: unknown };
  const detail = serverMessage(failure);
  const say = (fix: string) =>
    new FileWriteError(
      `Cannot write the ${what} ${uri} to Cloud Storage at ${endpoint} (${String(failure.code ?? 'no answer')}: ${detail}); ${fix}.`,
      { cause: error },
    );
  if (failure.code === 403)
    return say(
      "give the account running the step roles/storage.objectCreator on the bucket (on Vertex AI, the pipeline job's service account)",
    );
  if (failure.code === 404) return say('the bucket does not exist: check its name, or create it in the project');
  if (failure.code === 401)
    return say(
      'the credentials were rejected: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS to a valid key file',
    );
  if (typeof failure.code === 'string' && NETWORK_CODES.has(failure.code))
    return say('check the network, and STORAGE_EMULATOR_HOST if it points at an emulator that is not running');
  if (typeof failure.code !== 'number')
    return say(
      'the client could not load credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS to a key file',
    );
  return say('this is not about one object; check the endpoint and credentials and run the step again');
}

export class FileSink {
  readonly gcsAccess: GcsAccess;
  readonly fuseRoot: string;
  private client: Storage | undefined;

  constructor(private readonly options: FileSinkOptions = {}) {
    this.fuseRoot = options.fuseRoot ?? GCS_FUSE_ROOT;
    this.gcsAccess = options.gcsAccess ?? (isFolder(this.fuseRoot) ? 'fuse' : 'client');
  }

  /** Where `target` is written: a local path (a gs:// URI under the FUSE mount included), or the URI itself in 'client' mode. */
  locate(target: string): string {
    if (!isGcsUri(target)) return path.resolve(target);
    const { bucket, object } = parseGcsUri(target);
    return this.gcsAccess === 'client' ? target : path.posix.join(this.fuseRoot, bucket, object);
  }

  /** Writes `bytes` as the whole of `target` (replacing it); returns where it went (see locate). `what` names the file in messages. */
  async write(target: string, bytes: Uint8Array, what = 'file'): Promise<string> {
    const location = this.locate(target);
    if (isGcsUri(location)) await this.upload(location, bytes, what);
    else
      writeLocalFile(
        location,
        bytes,
        what,
        isGcsUri(target) ? `${target} (through the Cloud Storage FUSE mount, as ${location})` : location,
      );
    return location;
  }

  private async upload(uri: string, bytes: Uint8Array, what: string): Promise<void> {
    const { bucket, object } = parseGcsUri(uri);
    const storage = this.storage();
    try {
      // One request (no resumable session): these files are small, and the object appears whole.
      await storage
        .bucket(bucket)
        .file(object)
        .save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { resumable: false, contentType: 'application/octet-stream' });
    } catch (error) {
      throw gcsWriteError(what, uri, storage.apiEndpoint, error);
    }
  }

  private storage(): Storage {
    if (!this.client) {
      // Loaded here, not at the top: the library takes a noticeable share of a second to load.
      const { Storage: StorageClient } = require('@google-cloud/storage') as typeof import('@google-cloud/storage');
      this.client = new StorageClient(this.options.storageOptions);
    }
    return this.client;
  }
}

function writeLocalFile(file: string, bytes: Uint8Array, what: string, describe: string): void {
  // The temporary name must not contain "tfevents" or end like the real file: TensorBoard and
  // globs would pick it up.
  const temporary = path.join(path.dirname(file), `.partial-${randomBytes(6).toString('hex')}`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
  } catch (error) {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // The folder itself could not be made or read: there is no temporary file to remove.
    }
    throw localWriteError(what, describe, error);
  }
}
