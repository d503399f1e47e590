/**
 * Reads Cloud Storage objects through @google-cloud/storage. The client is created on the first
 * read, so runs that never touch gs:// neither load the library nor look for credentials.
 * Credentials come from the usual places (GOOGLE_APPLICATION_CREDENTIALS, gcloud's application
 * default credentials, the metadata server on Google Cloud); STORAGE_EMULATOR_HOST or
 * `apiEndpoint` point the client at an emulator.
 */
import type { Storage, StorageOptions } from '@google-cloud/storage';
import { concurrencyLimit, type ConcurrencyLimit } from './concurrency-limit';
import { classifyGcsFailure } from './gcs-failure';
import { parseGcsUri } from './gcs-uri';

export interface GcsReaderOptions {
  /** Downloads in flight at once. @default 16 */
  readonly downloadConcurrency?: number;
  /** Passed to `new Storage()`: apiEndpoint, projectId, keyFilename, retryOptions, … */
  readonly storageOptions?: StorageOptions;
}

/** Enough to hide the download latency (tens of ms per object) without flooding the bucket. */
export const DEFAULT_DOWNLOAD_CONCURRENCY = 16;

export class GcsReader {
  private client: Storage | undefined;
  private readonly limit: ConcurrencyLimit;

  constructor(private readonly options: GcsReaderOptions = {}) {
    this.limit = concurrencyLimit(options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY);
  }

  /** Whether the Storage client exists yet (it is made by the first read). */
  get clientCreated(): boolean {
    return this.client !== undefined;
  }

  /** The object's bytes; UnreadableFileError for a missing or forbidden object, StorageAccessError when Cloud Storage is unusable. */
  read(uri: string): Promise<Buffer> {
    const { bucket, object } = parseGcsUri(uri);
    return this.limit(async () => {
      const storage = this.storage();
      try {
        const [bytes] = await storage.bucket(bucket).file(object).download();
        return bytes;
      } catch (error) {
        throw classifyGcsFailure(error, uri, storage.apiEndpoint);
      }
    });
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
