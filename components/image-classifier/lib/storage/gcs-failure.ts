/**
 * Turns an error from @google-cloud/storage into one of ours: 404 and 403 concern one object
 * (UnreadableFileError, reported with its row); anything else means Cloud Storage cannot be used
 * from here at all (StorageAccessError naming what to fix), since retrying other objects would
 * only repeat it: 401, credentials that do not load, an endpoint that does not answer, errors
 * the client still gets after its own retries of 429 and 5xx.
 */
import { StorageAccessError, UnreadableFileError } from './read-errors';

interface ClientError {
  code?: unknown;
  message?: unknown;
}

const CREDENTIALS_HELP =
  'set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run `gcloud auth application-default login`; ' +
  'on Vertex AI the job runs as its service account and needs no key; for a local emulator set STORAGE_EMULATOR_HOST (e.g. http://localhost:4443)';
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The server's own sentence: JSON API error bodies are `{"error":{"message":…}}`, and the client puts the raw body in `message`. */
export function serverMessage(error: ClientError): string {
  const text = String(error.message ?? error);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the client's own message.
  }
  return text.trim();
}

/** The error to throw for a failed read of `uri` through the client talking to `endpoint`. */
export function classifyGcsFailure(error: unknown, uri: string, endpoint: string): Error {
  const failure = (error ?? {}) as ClientError;
  const detail = serverMessage(failure);
  if (failure.code === 404) {
    return new UnreadableFileError(
      'missing',
      `${uri} does not exist (Cloud Storage: ${detail}); check the bucket and object name, they are case-sensitive`,
    );
  }
  if (failure.code === 403) {
    return new UnreadableFileError(
      'forbidden',
      `${uri} cannot be read: permission denied (Cloud Storage: ${detail}); give the account running the step roles/storage.objectViewer on the bucket, or fix the URI`,
    );
  }
  if (failure.code === 401) {
    return new StorageAccessError(
      `Cloud Storage at ${endpoint} rejected the credentials while reading ${uri} (401: ${detail}); ${CREDENTIALS_HELP}.`,
      { cause: error },
    );
  }
  if (typeof failure.code === 'string' && NETWORK_CODES.has(failure.code)) {
    return new StorageAccessError(
      `Cannot reach Cloud Storage at ${endpoint} to read ${uri} (${failure.code}: ${detail}); check the network, and STORAGE_EMULATOR_HOST if it points at an emulator that is not running.`,
      { cause: error },
    );
  }
  if (typeof failure.code !== 'number') {
    // No HTTP answer and no network failure: the client failed before sending, where its work is
    // loading credentials (a key file that is missing or malformed, no default credentials).
    const code = failure.code === undefined ? '' : `${String(failure.code)}: `;
    const keyFile = process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    const current = keyFile ? ` (it is now ${keyFile}: check that this key file exists and is a valid JSON key)` : '';
    return new StorageAccessError(
      `Cannot authenticate to Cloud Storage to read ${uri} (${code}${detail}); ${CREDENTIALS_HELP.replace('key file', `key file${current}`)}.`,
      { cause: error },
    );
  }
  return new StorageAccessError(
    `Reading ${uri} from Cloud Storage at ${endpoint} failed (HTTP ${failure.code}: ${detail}); this is not about one object, so the step stops: check the endpoint and credentials and run it again.`,
    {
      cause: error,
    },
  );
}
