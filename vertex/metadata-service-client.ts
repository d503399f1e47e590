import { type ServiceAddress, parseEndpoint } from './pipeline-service-client';

/** A Vertex ML Metadata Context, as the client returns it (only the fields kfp-ts reads). */
export interface MetadataContext {
  name?: string | null;
  displayName?: string | null;
  schemaTitle?: string | null;
  schemaVersion?: string | null;
  metadata?: { fields?: Record<string, unknown> | null } | null;
}

/**
 * The MetadataServiceClient calls kfp-ts makes (those of the Vertex Python SDK's
 * `PipelineJob.submit(experiment=…)`), in kfp-ts's own types; createClient returns the real client.
 */
export interface MetadataClient {
  getMetadataStore(request: { name: string }): Promise<[unknown, ...unknown[]]>;
  createMetadataStore(request: { parent: string; metadataStore: Record<string, never>; metadataStoreId: string }): Promise<[{ promise(): Promise<unknown> }, ...unknown[]]>;
  getContext(request: { name: string }): Promise<[MetadataContext, ...unknown[]]>;
  createContext(request: {
    parent: string;
    contextId: string;
    context: { schemaTitle: string; schemaVersion: string; displayName: string; metadata: { fields: Record<string, unknown> } };
  }): Promise<[MetadataContext, ...unknown[]]>;
  addContextChildren(request: { context: string; childContexts: string[] }): Promise<unknown>;
  close(): Promise<void>;
}

// Built once per process and address, on first use, like the PipelineService clients (loading the package takes seconds).
const clients = new Map<string, Promise<MetadataClient>>();

export function metadataServiceClient(address: ServiceAddress): Promise<MetadataClient> {
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

export async function closeMetadataServiceClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map(async (client) => (await client).close().catch(() => undefined)));
}

function createClient(region: string, target: { host: string; port: number } | undefined): MetadataClient {
  const { MetadataServiceClient } = require('@google-cloud/aiplatform') as typeof import('@google-cloud/aiplatform');
  if (target === undefined) return new MetadataServiceClient({ apiEndpoint: `${region}-aiplatform.googleapis.com` }) as unknown as MetadataClient;
  const { host, port } = target;
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  if (!loopback) return new MetadataServiceClient({ apiEndpoint: host, port }) as unknown as MetadataClient;
  const { grpc } = require('google-gax') as typeof import('google-gax');
  // As for PipelineService (pipeline-service-client.ts): plaintext, no credential lookup, for a local emulator.
  return new MetadataServiceClient({ apiEndpoint: host, port, sslCreds: grpc.credentials.createInsecure(), universeDomain: 'googleapis.com' }) as unknown as MetadataClient;
}
