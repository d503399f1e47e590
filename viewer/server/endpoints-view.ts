/**
 * The local endpoints (serving/registry) for the endpoints page, and the predict proxy: the page
 * sends an image to the viewer, which forwards it to the background prediction server's Vertex
 * predict URL, so the page needs no cross-origin access.
 */
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { runningServer } from '../../serving/detached-server';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import type { EndpointsView } from './api-types';

/** A predict request body: a few base64 images fit; larger is refused before forwarding. */
export const MAX_PREDICT_BODY = 8 * 1024 * 1024;

export class PredictProxyError extends KfpTsError {
  override readonly name = 'PredictProxyError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function endpointsView(stateDir: string): Promise<EndpointsView> {
  const endpoints = openLocalRegistry(stateDir).endpoints.list();
  const server = await runningServer(stateDir);
  return {
    ...(server ? { serverUrl: server.url } : {}),
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.name.split('/').at(-1) ?? endpoint.name,
      name: endpoint.name,
      displayName: endpoint.displayName,
      createTime: endpoint.createTime,
      trafficSplit: endpoint.trafficSplit,
      deployedModels: endpoint.deployedModels.map((m) => ({
        id: m.id,
        model: m.model,
        modelVersionId: m.modelVersionId,
        displayName: m.displayName,
        artifactUri: m.artifactUri,
      })),
      predictPath: predictPath(endpoint.name),
    })),
  };
}

/** Forwards a predict body to the endpoint's URL on the running prediction server; answers its status and JSON. */
export async function proxyPredict(stateDir: string, endpointId: string, body: Buffer): Promise<{ status: number; body: string }> {
  const endpoint = openLocalRegistry(stateDir)
    .endpoints.list()
    .find((e) => e.name.split('/').at(-1) === endpointId);
  if (!endpoint) throw new PredictProxyError(404, `no local endpoint '${endpointId}'; see the endpoints page or kfp-ts endpoints list`);
  const server = await runningServer(stateDir);
  if (!server) throw new PredictProxyError(503, "the prediction server is not running: start it with 'npx kfp-ts serve --detach'");
  const response = await fetch(server.url + predictPath(endpoint.name), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: await response.text() };
}
