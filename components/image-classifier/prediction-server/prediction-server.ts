/**
 * The image classifier's prediction server: one serving bundle on Vertex AI's custom-container
 * routes, as the serving image (containers/serving) and the local ModelDeployOp stand-in run it
 * through its bin, kfp-ts-classifier-server.
 *
 *   POST predictRoute   {"instances": [...], "parameters": {...}}  → {"predictions": [...]}
 *                       (Vertex, or the local endpoint server, adds the deployed model's id)
 *   GET  healthRoute    200 once the model is loaded (it is loaded before the server listens)
 *
 * Errors use Google's JSON error shape, `{"error": {"code", "message", "status"}}`: 400 for a
 * malformed request (with the reason), 404 for another path, 405 for a wrong method, 413 for a
 * body over the limit.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, readBody, sendError, sendJson } from '../../../serving/endpoint-server/http-messages';
import { chooseTrainingBackend, type BackendPreference } from '../train/backend-choice';
import { PredictRequestError, parsePredictRequest } from './predict-request';
import { ServedClassifier } from './served-classifier';

export interface PredictionServerOptions {
  /** A serving bundle folder. */
  readonly bundleDir: string;
  /** @default '/predict' */
  readonly predictRoute?: string;
  /** @default '/health' */
  readonly healthRoute?: string;
  /** @default '127.0.0.1' (the serving image listens on 0.0.0.0, as Vertex requires) */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Instances one request may carry. @default 64 */
  readonly maxInstances?: number;
  /** @default 16 MiB */
  readonly maxBodyBytes?: number;
  /**
   * The tfjs backend the model runs on. wasm by default: for a small CNN on the CPU it is the fastest
   * and starts in well under a second, where 'auto' would first probe for a GPU.
   */
  readonly backend?: BackendPreference;
  readonly log?: (line: string) => void;
}

export interface PredictionServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const DEFAULT_MAX_INSTANCES = 64;
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startPredictionServer(options: PredictionServerOptions): Promise<PredictionServer> {
  const backend = await chooseTrainingBackend(options.backend ?? 'wasm');
  options.log?.(`tfjs backend: ${backend.backend} (${backend.reason})`);
  const predictRoute = options.predictRoute ?? '/predict';
  const healthRoute = options.healthRoute ?? '/health';
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Loaded before listening: Vertex sends traffic once the health route answers.
  const classifier = await ServedClassifier.load(options.bundleDir);

  const handle = async (request: http.IncomingMessage): Promise<unknown> => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    // Nothing about this machine (such as the bundle's path): anyone who can reach the port may ask.
    if (pathname === healthRoute) return { status: 'ok' };
    if (pathname !== predictRoute) throw new HttpError(404, `no such path ${pathname}; predict with POST ${predictRoute}`);
    if (request.method !== 'POST') throw new HttpError(405, `use POST for ${pathname}`);
    const body = (await readBody(request, maxBodyBytes)).toString('utf8');
    const parsed = await parsePredictRequest(body, { maxInstances, imageSize: classifier.imageSize, classes: classifier.labels.length });
    return { predictions: await classifier.predict(parsed.images, parsed.options) };
  };

  const server = http.createServer((request, response) => {
    handle(request).then(
      (body) => sendJson(response, 200, body),
      (error: Error) => sendError(request, response, error, error instanceof PredictRequestError ? 400 : 500),
    );
  });
  // Keep-alive connections of load-test clients must not hold close() open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      classifier.dispose();
    },
  };
}
