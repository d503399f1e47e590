import { type ServiceAddress, serviceClientCache } from './service-clients';

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
  createMetadataStore(request: {
    parent: string;
    metadataStore: Record<string, never>;
    metadataStoreId: string;
  }): Promise<[{ promise(): Promise<unknown> }, ...unknown[]]>;
  getContext(request: { name: string }): Promise<[MetadataContext, ...unknown[]]>;
  createContext(request: {
    parent: string;
    contextId: string;
    context: { schemaTitle: string; schemaVersion: string; displayName: string; metadata: { fields: Record<string, unknown> } };
  }): Promise<[MetadataContext, ...unknown[]]>;
  addContextChildren(request: { context: string; childContexts: string[] }): Promise<unknown>;
  close(): Promise<void>;
}

const clients = serviceClientCache((options) => {
  const { MetadataServiceClient } = require('@google-cloud/aiplatform') as typeof import('@google-cloud/aiplatform');
  return new MetadataServiceClient(options as ConstructorParameters<typeof MetadataServiceClient>[0]) as unknown as MetadataClient;
});

export function metadataServiceClient(address: ServiceAddress): Promise<MetadataClient> {
  return clients.get(address);
}

export function closeMetadataServiceClients(): Promise<void> {
  return clients.closeAll();
}
