import type { CreatePipelineJobRequest, PipelineJob } from './pipeline-job';
import { isLoopbackHost } from '../compiler/util/loopback-host';
import { VertexInputError } from './vertex-input-error';

/**
 * Where PipelineService calls go: Vertex AI's regional endpoint, or `endpoint` (host:port), e.g. a
 * local emulator. A loopback endpoint is spoken to in plaintext without credentials; any other
 * endpoint uses TLS and Application Default Credentials.
 */
export interface ServiceAddress {
  readonly region: string;
  readonly endpoint?: string;
}

/**
 * The PipelineServiceClient calls kfp-ts makes, in kfp-ts's own message types (see pipeline-job.ts
 * for why). createClient returns the real client as one, so tsc checks that it fits.
 */
export interface PipelineClient {
  createPipelineJob(request: CreatePipelineJobRequest): Promise<[PipelineJob, ...unknown[]]>;
  getPipelineJob(request: { name: string }): Promise<[PipelineJob, ...unknown[]]>;
  listPipelineJobs(request: ListPipelineJobsRequest, options: { autoPaginate: false }): Promise<[PipelineJob[], unknown, { nextPageToken?: string | null } | undefined]>;
  cancelPipelineJob(request: { name: string }): Promise<unknown>;
  close(): Promise<void>;
}

export interface ListPipelineJobsRequest {
  parent: string;
  pageSize: number;
  orderBy: string;
  readMask: { paths: string[] };
  filter?: string;
  pageToken?: string;
}

// Loading @google-cloud/aiplatform takes seconds (the package, then hashing its proto bundle on the first
// client), so it is imported only here, on first use, and each client is built once per process and address.
const clients = new Map<string, Promise<PipelineClient>>();

export function pipelineServiceClient(address: ServiceAddress): Promise<PipelineClient> {
  // A malformed endpoint is bad input: reported before anything is loaded or called.
  const target = address.endpoint !== undefined ? parseEndpoint(address.endpoint) : undefined;
  const key = address.endpoint ?? `${address.region}-aiplatform.googleapis.com`;
  let client = clients.get(key);
  if (!client) {
    client = Promise.resolve().then(() => createClient(address.region, target));
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}

/** Closes every client this process opened (their gRPC channels), e.g. before a CLI command returns. */
export async function closePipelineServiceClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map(async (client) => (await client).close().catch(() => undefined)));
}

function createClient(region: string, target: { host: string; port: number } | undefined): PipelineClient {
  const { PipelineServiceClient } = require('@google-cloud/aiplatform') as typeof import('@google-cloud/aiplatform');
  if (target === undefined) return new PipelineServiceClient({ apiEndpoint: `${region}-aiplatform.googleapis.com` });
  const { host, port } = target;
  if (!isLoopbackHost(host)) return new PipelineServiceClient({ apiEndpoint: host, port });
  const { grpc } = require('google-gax') as typeof import('google-gax');
  return new PipelineServiceClient({
    apiEndpoint: host,
    port,
    sslCreds: grpc.credentials.createInsecure(),
    // With a universe domain given, the client does not probe for Application Default Credentials
    // (a GCE metadata lookup) before the first call; a local emulator needs none.
    universeDomain: 'googleapis.com',
  });
}

/** `host:port`, `[v6]:port` or `host` (port 443). */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(endpoint.trim());
  const port = Number(match?.[3] ?? 443);
  if (!match || port < 1 || port > 65535) {
    throw new VertexInputError([`endpoint '${endpoint}' is not host:port (e.g. localhost:8085 or us-central1-aiplatform.googleapis.com)`]);
  }
  return { host: match[1] ?? match[2]!, port };
}
