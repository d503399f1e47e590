/**
 * The local endpoint server: Vertex AI's online prediction REST API for the endpoints of a local
 * registry, in front of the deployed models' own serving commands (see model-servers.ts).
 *
 *   POST /v1/projects/P/locations/L/endpoints/ID:predict   the body is forwarded to the predict route
 *        of the deployed model the traffic split picks; its answer comes back with Vertex's
 *        `deployedModelId`, `model`, `modelVersionId` and `modelDisplayName` added
 *   GET  /v1/projects/P/locations/L/endpoints/ID           the endpoint record, once every deployed
 *        model with traffic is started and answers its health route with 200 (what a deployment
 *        waits for); 503 when one is running but not healthy
 *   GET  /health                                           {"status": "ok", "instance"}: `instance` is a random id
 *        the server was started with (recorded in server.json), so a client can tell this folder's
 *        server from another process on a reused port; no pid or path, which anyone who can reach
 *        the port would learn
 *
 * As on Vertex, a model's answer other than a 2xx JSON object is passed on as it is (status and
 * body). The server's own errors use Google's error shape: 404 for an unknown endpoint, 503 when it
 * has no deployed model with traffic, 500 when a model cannot be started, 502 when it fails to answer
 * or answers more than maxModelAnswerBytes, 504 when it does not answer within predictTimeoutMs.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeployedModelRecord, EndpointRecord } from '../registry/endpoint-registry';
import { openLocalRegistry } from '../registry/local-registry';
import { parseModelName } from '../vertex-resource-names';
import type { ServingHost } from '../model-server/model-server-plan';
import { EndpointRecords, withTraffic } from './endpoint-records';
import { HttpError, readBody, send, sendError, sendJson } from './http-messages';
import { askHealth } from '../model-server/model-process';
import { ModelServers } from './model-servers';
import { DEFAULT_MAX_MODEL_ANSWER_BYTES, DEFAULT_PREDICT_TIMEOUT_MS, forwardPredict } from './predict-proxy';

export interface EndpointServerOptions extends ServingHost {
  /** The state folder whose registry is served (`.kfp-ts` by default in the CLI). */
  readonly stateDir: string;
  /** @default '127.0.0.1' (loopback: the server has no authentication) */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** How long a model's serving command has to become healthy. @default DEFAULT_START_TIMEOUT_MS */
  readonly modelStartTimeoutMs?: number;
  /** How long a model has to answer a predict request before the client gets 504. @default DEFAULT_PREDICT_TIMEOUT_MS (60 s, as Vertex's shared public endpoints) */
  readonly predictTimeoutMs?: number;
  /** The largest answer of a model passed on; a larger one gets 502. @default DEFAULT_MAX_MODEL_ANSWER_BYTES (10 MB) */
  readonly maxModelAnswerBytes?: number;
  /** What /health answers as `instance`. @default a new random id */
  readonly instance?: string;
  readonly log?: (line: string) => void;
}

export interface EndpointServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The random id /health answers with. */
  readonly instance: string;
  /** Milliseconds since the epoch of the last request (or of the start). */
  lastRequestTime(): number;
  /** Stops the server and every serving command it started. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How often undeployed models' serving commands are looked for and stopped. */
const RETIRE_INTERVAL_MS = 2000;
const ENDPOINT_PATH = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/endpoints\/([^/:]+))(:predict)?$/;

type Answer =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly contentType: string; readonly body: Buffer };

export async function startEndpointServer(options: EndpointServerOptions): Promise<EndpointServer> {
  const registry = openLocalRegistry(options.stateDir);
  const records = new EndpointRecords(registry);
  const models = new ModelServers(registry, {
    stateDir: options.stateDir,
    workingDirectory: options.workingDirectory,
    ...(options.commandSearchPath ? { commandSearchPath: options.commandSearchPath } : {}),
    ...(options.modelStartTimeoutMs !== undefined ? { startTimeoutMs: options.modelStartTimeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const predictLimits = {
    timeoutMs: options.predictTimeoutMs ?? DEFAULT_PREDICT_TIMEOUT_MS,
    maxAnswerBytes: options.maxModelAnswerBytes ?? DEFAULT_MAX_MODEL_ANSWER_BYTES,
  };
  let lastRequest = Date.now();
  const instance = options.instance ?? crypto.randomBytes(16).toString('hex');

  const modelServer = (endpoint: EndpointRecord, deployed: DeployedModelRecord) =>
    models.server(endpoint, deployed).catch((error: Error) => {
      throw new HttpError(500, `deployed model ${deployed.id} of ${endpoint.name}: ${error.message}`);
    });

  const predict = async (request: http.IncomingMessage, endpoint: EndpointRecord): Promise<Answer> => {
    const deployed = records.route(endpoint);
    if (!deployed) throw new HttpError(503, `endpoint ${endpoint.name} has no deployed model with traffic; deploy one with ModelDeployOp`);
    const body = await readBody(request, maxBodyBytes);
    const server = await modelServer(endpoint, deployed);
    const response = await forwardPredict(
      {
        url: `${server.url}${server.plan.routes.predictRoute}`,
        label: `deployed model ${deployed.id} (${deployed.model})`,
        logFile: server.logFile,
      },
      body,
      request.headers['content-type'] ?? 'application/json',
      predictLimits,
    );
    const json = response.status >= 200 && response.status < 300 ? parseJsonObject(response.body) : undefined;
    if (!json) return response;
    const { project, location, modelId } = parseModelName(deployed.model);
    return {
      status: response.status,
      json: {
        ...json,
        deployedModelId: deployed.id,
        model: `projects/${project}/locations/${location}/models/${modelId}`,
        modelVersionId: deployed.modelVersionId,
        modelDisplayName: deployed.displayName,
      },
    };
  };

  const handle = async (request: http.IncomingMessage): Promise<Answer> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return { status: 200, json: { status: 'ok', instance } };
    const match = ENDPOINT_PATH.exec(url.pathname);
    if (!match) throw new HttpError(404, `no such path ${url.pathname}; predict with POST /v1/projects/P/locations/L/endpoints/ID:predict`);
    const [, name, endpointId, isPredict] = match;
    const endpoint = records.endpoint(endpointId!);
    if (!endpoint || endpoint.name !== name)
      throw new HttpError(404, `endpoint ${name} is not deployed locally; 'kfp-ts endpoints list' shows the local endpoints`);
    if (isPredict) {
      if (request.method !== 'POST') throw new HttpError(405, `use POST for ${url.pathname}`);
      return predict(request, endpoint);
    }
    if (request.method !== 'GET') throw new HttpError(405, `use GET for ${url.pathname}`);
    await Promise.all(withTraffic(endpoint).map((deployed) => checkHealth(endpoint, deployed)));
    return { status: 200, json: endpoint };
  };

  /** Starts the deployed model's serving command if needed, then asks its health route, as Vertex's health checks do. */
  const checkHealth = async (endpoint: EndpointRecord, deployed: DeployedModelRecord): Promise<void> => {
    const server = await modelServer(endpoint, deployed);
    const route = server.plan.routes.healthRoute;
    const answer = await askHealth(`${server.url}${route}`);
    if (answer.status === 200) return;
    const status = answer.status !== undefined ? `answered ${answer.status}` : `did not answer (${answer.error.message})`;
    throw new HttpError(
      503,
      `deployed model ${deployed.id} (${deployed.model}) is not healthy: GET ${route} ${status}; see its log ${server.logFile}`,
    );
  };

  const server = http.createServer((request, response) => {
    lastRequest = Date.now();
    handle(request).then(
      (answer) =>
        'json' in answer ? sendJson(response, answer.status, answer.json) : send(response, answer.status, answer.contentType, answer.body),
      (error: Error) => sendError(request, response, error),
    );
  });
  // Keep-alive connections of load-test clients must not hold close() open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const retirer = setInterval(() => models.retireUndeployed((id) => records.endpoint(id)), RETIRE_INTERVAL_MS);
  retirer.unref();
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    instance,
    lastRequestTime: () => lastRequest,
    close: async () => {
      clearInterval(retirer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await models.close();
    },
  };
}

/** The body as a JSON object, or undefined when it is not one (then it is passed on untouched). */
function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
