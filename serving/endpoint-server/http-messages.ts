/**
 * The HTTP plumbing of Vertex-style servers on Node's http module: Google's JSON error shape
 * (`{"error": {"code", "message", "status"}}`), JSON answers, and request bodies read with a size
 * limit that stops reading an upload once it is over (so an oversized request costs nothing).
 */
import type * as http from 'node:http';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** An answer other than 200, with the message the client gets. */
export class HttpError extends KfpTsError {
  constructor(
    readonly status: number,
    message: string,
    /** The request's body was not read to its end: answer, then close the connection instead of draining the upload. */
    readonly abortUpload = false,
  ) {
    super(message);
  }
}

/** `{"error": {...}}` as Google's APIs answer errors. */
export function errorBody(status: number, message: string): { error: { code: number; message: string; status: string } } {
  return { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } };
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown, close = false): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body), close);
}

export function send(response: http.ServerResponse, status: number, contentType: string, body: string | Uint8Array, close = false): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(body);
}

/**
 * Answers a failed request: an HttpError with its status, anything else as `fallbackStatus`; an
 * upload that was cut short is answered, then its connection closed (Node would otherwise read and
 * discard the rest of it).
 */
export function sendError(request: http.IncomingMessage, response: http.ServerResponse, error: Error, fallbackStatus = 500): void {
  const status = error instanceof HttpError ? error.status : fallbackStatus;
  const abort = error instanceof HttpError && error.abortUpload;
  sendJson(response, status, errorBody(status, error.message), abort);
  if (abort) response.once('finish', () => request.destroy());
}

/**
 * The request body, at most `limit` bytes: a declared content-length over it is refused before any
 * of the body is read, and an upload that grows past it (chunked) stops being read at once; both
 * are HttpError 413 with `abortUpload`.
 */
export function readBody(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (size: string) =>
    new HttpError(413, `the request body is ${size} over ${limit} bytes; send fewer or smaller instances per request`, true);
  const declared = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
  if (declared !== undefined && declared > limit) return Promise.reject(tooLarge(`${declared} bytes,`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        chunks.length = 0;
        reject(tooLarge('already'));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
