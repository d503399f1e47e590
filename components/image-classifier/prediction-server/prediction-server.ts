/**
 * The local prediction server: Vertex AI's online prediction REST API for the endpoints of a local
 * registry, on Node's http module.
 *
 *   POST /v1/projects/P/locations/L/endpoints/ID:predict   {"instances": [...], "parameters": {...}}
 *        → {"predictions": [...], "deployedModelId", "model", "modelVersionId", "modelDisplayName"}
 *   GET  /v1/projects/P/locations/L/endpoints/ID           the endpoint record, once its models are loaded
 *   GET  /health                                           {"status": "ok", ...}
 *
 * or, with `model`, one serving bundle on Vertex's custom-container routes (POST /predict, GET /health).
 *
 * Errors use Google's JSON error shape, `{"error": {"code", "message", "status"}}`: 400 for a
 * malformed request (with the reason), 404 for an unknown endpoint, 503 when it has no deployed
 * model with traffic, 500 when a model cannot be loaded.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chooseTrainingBackend, type BackendPreference } from '../train/backend-choice';
import { parseModelName } from '../../../serving/resource-names';
import { EndpointState } from './endpoint-state';
import { PredictRequestError, parsePredictRequest } from './predict-request';
import { openLocalRegistry } from '../../../serving/registry/local-registry';
import { ServedClassifier } from './served-classifier';

/** One model on fixed routes: Vertex AI's custom serving container contract (AIP_PREDICT_ROUTE, AIP_HEALTH_ROUTE). */
export interface SingleModel {
  /** A serving bundle folder. */
  readonly bundleDir: string;
  /** @default '/predict' */
  readonly predictRoute?: string;
  /** @default '/health' */
  readonly healthRoute?: string;
}

export interface PredictionServerOptions {
  /** The state folder whose registry is served (`.kfp-ts` by default in the CLI). */
  readonly stateDir: string;
  /**
   * Serve this one model instead of the registry's endpoints: POST predictRoute answers
   * `{"predictions": [...]}` (Vertex adds the deployed model's id itself), GET healthRoute is 200
   * once the model is loaded.
   */
  readonly model?: SingleModel;
  /** @default '127.0.0.1' (loopback: the server has no authentication) */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Instances one request may carry. @default 64 */
  readonly maxInstances?: number;
  /** @default 16 MiB */
  readonly maxBodyBytes?: number;
  /**
   * The tfjs backend the models run on. wasm by default: for a small CNN on the CPU it is the fastest
   * and starts in well under a second, where 'auto' would first probe for a GPU.
   */
  readonly backend?: BackendPreference;
  readonly log?: (line: string) => void;
}

export interface PredictionServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Milliseconds since the epoch of the last request (or of the start). */
  lastRequestTime(): number;
  close(): Promise<void>;
}

export const DEFAULT_MAX_INSTANCES = 64;
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request's body was not read to its end: answer, then close the connection instead of draining the upload. */
    readonly abortUpload = false,
  ) {
    super(message);
  }
}

const ENDPOINT_PATH = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/endpoints\/([^/:]+))(:predict)?$/;

export async function startPredictionServer(options: PredictionServerOptions): Promise<PredictionServer> {
  const backend = await chooseTrainingBackend(options.backend ?? 'wasm');
  options.log?.(`tfjs backend: ${backend.backend} (${backend.reason})`);
  const state = new EndpointState(openLocalRegistry(options.stateDir));
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let lastRequest = Date.now();
  // Loaded before listening: Vertex sends traffic once the health route answers.
  const single = options.model ? await ServedClassifier.load(options.model.bundleDir) : undefined;

  const predictWith = async (classifier: ServedClassifier, request: http.IncomingMessage) => {
    const body = await readBody(request, maxBodyBytes);
    const parsed = await parsePredictRequest(body, { maxInstances, imageSize: classifier.imageSize, classes: classifier.labels.length });
    return classifier.predict(parsed.images, parsed.options);
  };

  const handleSingle = async (request: http.IncomingMessage, model: SingleModel, classifier: ServedClassifier) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === (model.healthRoute ?? '/health')) return { status: 200, body: { status: 'ok', model: model.bundleDir } };
    if (pathname !== (model.predictRoute ?? '/predict')) throw new HttpError(404, `no such path ${pathname}; predict with POST ${model.predictRoute ?? '/predict'}`);
    if (request.method !== 'POST') throw new HttpError(405, `use POST for ${pathname}`);
    return { status: 200, body: { predictions: await predictWith(classifier, request) } };
  };

  const handle = async (request: http.IncomingMessage): Promise<{ status: number; body: unknown }> => {
    if (options.model && single) return handleSingle(request, options.model, single);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return { status: 200, body: { status: 'ok', pid: process.pid, stateDir: options.stateDir } };
    const match = ENDPOINT_PATH.exec(url.pathname);
    if (!match) throw new HttpError(404, `no such path ${url.pathname}; predict with POST /v1/projects/P/locations/L/endpoints/ID:predict`);
    const [, name, endpointId, predict] = match;
    const endpoint = state.endpoint(endpointId!);
    if (!endpoint || endpoint.name !== name) throw new HttpError(404, `endpoint ${name} is not deployed locally; 'kfp-ts endpoints list' shows the local endpoints`);
    if (!predict) {
      if (request.method !== 'GET') throw new HttpError(405, `use GET for ${url.pathname}`);
      await state.warm(endpoint).catch((error: Error) => {
        throw new HttpError(500, `cannot load a model of ${endpoint.name}: ${error.message}`);
      });
      return { status: 200, body: endpoint };
    }
    if (request.method !== 'POST') throw new HttpError(405, `use POST for ${url.pathname}`);
    const deployed = state.route(endpoint);
    if (!deployed) throw new HttpError(503, `endpoint ${endpoint.name} has no deployed model with traffic; deploy one with ModelDeployOp`);
    const classifier = await state.classifier(deployed).catch((error: Error) => {
      throw new HttpError(500, `cannot load ${deployed.model}: ${error.message}`);
    });
    const predictions = await predictWith(classifier, request);
    const { project, location, modelId } = parseModelName(deployed.model);
    return {
      status: 200,
      body: {
        predictions,
        deployedModelId: deployed.id,
        model: `projects/${project}/locations/${location}/models/${modelId}`,
        modelVersionId: deployed.modelVersionId,
        modelDisplayName: deployed.displayName,
      },
    };
  };

  const server = http.createServer((request, response) => {
    lastRequest = Date.now();
    handle(request).then(
      ({ status, body }) => send(response, status, body),
      (error: Error) => {
        const status = error instanceof HttpError ? error.status : error instanceof PredictRequestError ? 400 : 500;
        const abort = error instanceof HttpError && error.abortUpload;
        send(response, status, { error: { code: status, message: error.message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, abort);
        // Node would otherwise read (and discard) the rest of the upload after the answer.
        if (abort) response.once('finish', () => request.destroy());
      },
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
    lastRequestTime: () => lastRequest,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await state.dispose();
      single?.dispose();
    },
  };
}

function send(response: http.ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

/**
 * The request body as text, at most `limit` bytes: a declared content-length over it is refused
 * before any of the body is read, and an upload that grows past it (chunked) stops being read at
 * once; both answer 413 and close the connection.
 */
function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (size: string) => new HttpError(413, `the request body is ${size} over ${limit} bytes; send fewer or smaller images per request`, true);
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
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
