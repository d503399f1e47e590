/**
 * A Cloud Storage JSON API server on loopback with just what our clients call: object media
 * downloads (`GET [/download]/storage/v1/b/:bucket/o/:object?alt=media`) with the x-goog-hash
 * header the client validates against, single-request uploads (`POST
 * /upload/storage/v1/b/:bucket/o?uploadType=multipart`, what `file.save(…, { resumable: false })`
 * sends), and GCS-shaped 404, 403 and 401 errors.
 * Anything else is a 501, so a new kind of client call shows up as a failure, not a hang.
 * Point @google-cloud/storage at it with `apiEndpoint: server.endpoint` or STORAGE_EMULATOR_HOST.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32c } from '../../components/image-classifier/lib/tfrecord/crc32c';

export interface FakeGcsOptions {
  /** Delay before each response, so concurrent downloads overlap measurably. @default 0 */
  readonly latencyMs?: number;
  /** When set, requests without `Authorization: Bearer <token>` get a 401, like expired credentials. */
  readonly requiredToken?: string;
}

export interface FakeGcs {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** Stores an object; `uri` is gs://bucket/object. */
  put(uri: string, bytes: Buffer | string): void;
  /** Makes reads of an existing object answer 403, as for a caller without storage.objects.get. */
  forbid(uri: string): void;
  /** Makes uploads into `bucket` answer 403, as for a caller without storage.objects.create. */
  forbidUploads(bucket: string): void;
  /** A stored object's bytes (put or uploaded), or undefined. */
  get(uri: string): Buffer | undefined;
  /** Every request as `METHOD path?query`, in arrival order. */
  readonly requests: string[];
  /** The most requests that were being answered at the same moment. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const MEDIA_PATH = /^(?:\/download)?(?:\/storage\/v1)?\/b\/([^/]+)\/o\/([^/]+)$/;
const UPLOAD_PATH = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/;

/** The media part of a multipart/related body: its second part (the first is the JSON metadata). */
function mediaPart(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const starts: number[] = [];
  for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + delimiter.length)) starts.push(at);
  const [, metadataStart, mediaStart] = starts;
  if (metadataStart === undefined || mediaStart === undefined) return undefined;
  const part = body.subarray(metadataStart + delimiter.length, mediaStart);
  const headerEnd = part.indexOf('\r\n\r\n');
  // Each part's content ends with the CRLF that precedes the next delimiter.
  return headerEnd === -1 ? undefined : part.subarray(headerEnd + 4, part.length - 2);
}

function sendError(response: http.ServerResponse, code: number, message: string, reason: string): void {
  response.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify({ error: { code, message, errors: [{ message, domain: 'global', reason }] } }));
}

/** The x-goog-hash header GCS sends: base64 of the big-endian CRC32C, and of the MD5. */
function hashHeader(bytes: Buffer): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(bytes));
  return `crc32c=${crc.toString('base64')},md5=${createHash('md5').update(bytes).digest('base64')}`;
}

export async function startFakeGcs(options: FakeGcsOptions = {}): Promise<FakeGcs> {
  const objects = new Map<string, Buffer>();
  const forbidden = new Set<string>();
  const uploadsForbidden = new Set<string>();
  const requests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const answerUpload = (request: http.IncomingMessage, response: http.ServerResponse, bucket: string, body: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://fake-gcs');
    const name = url.searchParams.get('name');
    const media = mediaPart(body, String(request.headers['content-type'] ?? ''));
    if (url.searchParams.get('uploadType') !== 'multipart' || !name || media === undefined) {
      sendError(
        response,
        400,
        `the fake GCS server takes uploadType=multipart uploads with a name and a multipart/related body, got ${url.search}`,
        'invalid',
      );
      return;
    }
    if (uploadsForbidden.has(bucket)) {
      sendError(
        response,
        403,
        `caller@example.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage object. Permission 'storage.objects.create' denied on resource (or it may not exist).`,
        'forbidden',
      );
      return;
    }
    objects.set(`gs://${bucket}/${name}`, media);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32c(media));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        kind: 'storage#object',
        bucket,
        name,
        size: String(media.length),
        generation: '1',
        crc32c: crc.toString('base64'),
        md5Hash: createHash('md5').update(media).digest('base64'),
      }),
    );
  };

  const answer = (request: http.IncomingMessage, response: http.ServerResponse, body: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://fake-gcs');
    const upload = UPLOAD_PATH.exec(url.pathname);
    if (request.method === 'POST' && upload) {
      if (options.requiredToken !== undefined && request.headers.authorization !== `Bearer ${options.requiredToken}`) {
        sendError(
          response,
          401,
          'Anonymous caller does not have storage.objects.create access to the Google Cloud Storage object.',
          'required',
        );
        return;
      }
      answerUpload(request, response, decodeURIComponent(upload[1] ?? ''), body);
      return;
    }
    const match = MEDIA_PATH.exec(url.pathname);
    if (request.method !== 'GET' || !match || url.searchParams.get('alt') !== 'media') {
      sendError(response, 501, `the fake GCS server does not implement ${request.method} ${url.pathname}${url.search}`, 'notImplemented');
      return;
    }
    if (options.requiredToken !== undefined && request.headers.authorization !== `Bearer ${options.requiredToken}`) {
      sendError(response, 401, 'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.', 'required');
      return;
    }
    const [bucket, object] = [decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? '')];
    const key = `gs://${bucket}/${object}`;
    const bytes = objects.get(key);
    if (bytes === undefined) {
      sendError(response, 404, `No such object: ${bucket}/${object}`, 'notFound');
      return;
    }
    if (forbidden.has(key)) {
      sendError(
        response,
        403,
        `caller@example.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).`,
        'forbidden',
      );
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      'x-goog-hash': hashHeader(bytes),
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-generation': '1',
    });
    response.end(bytes);
  };

  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => setTimeout(() => answer(request, response, Buffer.concat(chunks)), options.latencyMs ?? 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    put: (uri, bytes) => objects.set(uri, Buffer.from(bytes)),
    forbid: (uri) => forbidden.add(uri),
    forbidUploads: (bucket) => uploadsForbidden.add(bucket),
    get: (uri) => objects.get(uri),
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
