/**
 * `kfp-ts ui`'s HTTP server: the page, its bundle and the JSON API over a read-only ML Metadata
 * store, files under the pipeline roots, and the local endpoint registry. It binds to 127.0.0.1
 * unless told otherwise and, on a loopback address, answers only requests addressed to it by a
 * loopback name (a page elsewhere cannot reach it through DNS rebinding).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { HttpError, readBody } from '../../serving/endpoint-server/http-messages';
import type { ApiError, RunState } from './api-types';
import { artifactFile, artifactView } from './artifact-view';
import { compareView } from './compare-view';
import { OutsideRootError } from './contained-path';
import { endpointsView, MAX_PREDICT_BODY, PredictProxyError, proxyPredict } from './endpoints-view';
import { lineageView } from './lineage-view';
import { ReadOnlyStore } from './read-only-store';
import { listRunsPage } from './run-list';
import { runVersion, runView, SpecCache } from './run-view';
import { taskLog, taskView } from './task-view';
import { webBundle } from './web-bundle';

export interface ViewerOptions {
  readonly metadataFile: string;
  /** Folders whose files the viewer may serve (artifacts, logs, the runs' IR). */
  readonly pipelineRoots: readonly string[];
  /** The folder holding registry/ and serving/ (the endpoint registry and the prediction server). */
  readonly stateDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** How often a live run's page is refreshed from the store. @default 500 */
  readonly pollMs?: number;
}

export interface ViewerServer {
  readonly url: string;
  /** false when the store could only be read as a copy (ReadOnlyStore.live): the pages do not follow running pipelines. */
  readonly live: boolean;
  close(): Promise<void>;
}

const pageCsp =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** An artifact's HTML runs in an opaque origin with no scripts, even when opened outside the page's sandboxed iframe. */
const artifactHtmlCsp = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

const indexHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kfp-ts</title><link rel="stylesheet" href="/app.css"></head>
<body><div id="app"></div><script src="/app.js"></script></body></html>
`;

const runStates = new Set<RunState>(['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'UNKNOWN']);

export async function startViewerServer(options: ViewerOptions): Promise<ViewerServer> {
  const store = ReadOnlyStore.open(options.metadataFile);
  const roots = options.pipelineRoots.map((root) => path.resolve(root));
  const specs = new SpecCache();
  const pollMs = options.pollMs ?? 500;
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<http.ServerResponse>();
  await webBundle(); // built (or read) before the URL is printed, so the first page load is instant

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendError(response, error));
  });

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    if (!hostAllowed(request, host)) throw new HttpError(403, `requests must address this server as ${host} or localhost`);
    const url = new URL(request.url ?? '/', 'http://viewer');
    const parts = url.pathname.split('/').filter(Boolean).map(decodePart);
    if (request.method === 'POST' && parts[0] === 'api' && parts[1] === 'endpoints' && parts[3] === 'predict' && parts.length === 4) {
      const body = await readBody(request, MAX_PREDICT_BODY);
      const answer = await proxyPredict(options.stateDir, parts[2]!, body);
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(answer.body);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw new HttpError(405, `${request.method} is not served; the viewer is read-only`);
    if (url.pathname === '/' || url.pathname === '/index.html')
      return send(response, 200, 'text/html; charset=utf-8', indexHtml, { 'content-security-policy': pageCsp });
    if (url.pathname === '/app.js') return send(response, 200, 'text/javascript; charset=utf-8', (await webBundle()).js);
    if (url.pathname === '/app.css') return send(response, 200, 'text/css; charset=utf-8', (await webBundle()).css);
    if (parts[0] !== 'api') throw new HttpError(404, `no page ${url.pathname}`);
    const [, resource, id, sub] = parts;
    const numericId = () => {
      const value = Number(id);
      if (!Number.isSafeInteger(value) || value < 1) throw new HttpError(400, `'${id}' is not an id`);
      return value;
    };
    const found = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new HttpError(404, `no ${what} in ${options.metadataFile}`);
      return value;
    };
    if (resource === 'runs' && id === undefined) {
      const state = url.searchParams.get('state') || undefined;
      if (state !== undefined && !runStates.has(state as RunState))
        throw new HttpError(400, `state must be one of ${[...runStates].join(', ')}`);
      const metrics = (url.searchParams.get('metrics') ?? '').split(',').filter(Boolean).slice(0, 20);
      return sendJson(
        response,
        listRunsPage(store, {
          ...optional('pipeline', url.searchParams.get('pipeline') || undefined),
          ...optional('experiment', url.searchParams.get('experiment') || undefined),
          ...optional('state', state as RunState | undefined),
          metrics,
          limit: intParam(url, 'limit', 50),
          offset: intParam(url, 'offset', 0),
        }),
      );
    }
    if (resource === 'runs' && sub === undefined) return sendJson(response, found(runView(store, roots, specs, id!), `run '${id}'`));
    if (resource === 'runs' && sub === 'events') return streamRun(request, response, id!);
    if (resource === 'executions' && sub === undefined)
      return sendJson(response, found(taskView(store, roots, specs, numericId()), `execution ${id}`));
    if (resource === 'executions' && sub === 'log')
      return sendJson(response, found(taskLog(store, roots, numericId(), url.searchParams.get('all') === '1'), `log for execution ${id}`));
    if (resource === 'artifacts' && sub === undefined)
      return sendJson(response, found(artifactView(store, roots, numericId()), `artifact ${id}`));
    if (resource === 'artifacts' && sub === 'lineage')
      return sendJson(response, found(lineageView(store, numericId(), intParam(url, 'depth', 6)), `artifact ${id}`));
    if (resource === 'artifacts' && sub === 'file') {
      const file = found(artifactFile(store, roots, numericId(), url.searchParams.get('path') ?? ''), `local file of artifact ${id}`);
      const headers: Record<string, string> = {
        'x-content-type-options': 'nosniff',
        'content-security-policy': file.kind === 'html' ? artifactHtmlCsp : "default-src 'none'; sandbox",
      };
      if (file.truncated) headers['x-kfp-ts-truncated'] = 'true';
      return send(response, 200, file.contentType, file.data, headers);
    }
    if (resource === 'compare')
      return sendJson(response, compareView(store, roots, specs, (url.searchParams.get('runs') ?? '').split(',').filter(Boolean)));
    if (resource === 'endpoints' && id === undefined) return sendJson(response, await endpointsView(options.stateDir));
    throw new HttpError(404, `no API ${url.pathname}`);
  };

  /** Server-sent events: the run's view now, then again whenever its executions change. */
  const streamRun = (request: http.IncomingMessage, response: http.ServerResponse, runId: string): void => {
    const first = runView(store, roots, specs, runId);
    if (!first) throw new HttpError(404, `no run '${runId}' in ${options.metadataFile}`);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    streams.add(response);
    let version = store.snapshot(() => runVersion(store, runId));
    response.write(`data: ${JSON.stringify(first)}\n\n`);
    const timer = setInterval(() => {
      try {
        const now = store.snapshot(() => runVersion(store, runId));
        if (now === version) {
          response.write(': idle\n\n');
          return;
        }
        version = now;
        const view = runView(store, roots, specs, runId);
        if (view) response.write(`data: ${JSON.stringify(view)}\n\n`);
      } catch {
        // A busy store is read again on the next tick.
      }
    }, pollMs);
    const stop = () => {
      clearInterval(timer);
      streams.delete(response);
    };
    request.on('close', stop);
    response.on('close', stop);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new KfpTsError(`port ${options.port} on ${host} is in use: pick another with --port, or leave it out for a free one`)
          : error.code === 'EADDRNOTAVAIL'
            ? new KfpTsError(`cannot listen on ${host}: it is not an address of this machine (--host)`)
            : error,
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    live: store.live,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

function intParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new HttpError(400, `${name} must be a whole number >= 0, got '${text}'`);
  return value;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostAllowed(request: http.IncomingMessage, boundHost: string): boolean {
  if (!loopbackHosts.has(boundHost)) return true;
  const header = request.headers.host ?? '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
  return loopbackHosts.has(name);
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `'${part}' is not a valid URL path segment (bad %-escape)`);
  }
}

function send(
  response: http.ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  response.end(body);
}

function sendJson(response: http.ServerResponse, value: unknown): void {
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sendError(response: http.ServerResponse, error: unknown): void {
  const status =
    error instanceof HttpError
      ? error.status
      : error instanceof PredictProxyError
        ? error.status
        : error instanceof OutsideRootError
          ? 403
          : error instanceof KfpTsError
            ? 400
            : 500;
  const body: ApiError = { error: error instanceof Error ? error.message : String(error) };
  if (response.headersSent) {
    response.end();
    return;
  }
  if (error instanceof HttpError && error.abortUpload) {
    response.once('finish', () => response.socket?.destroySoon());
    send(response, status, 'application/json; charset=utf-8', JSON.stringify(body), { connection: 'close' });
    return;
  }
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
