import type { CreatePipelineJobRequest, PipelineJob } from './pipeline-job';
import { type ServiceAddress, serviceClientCache } from './service-clients';

export type { ServiceAddress } from './service-clients';

/**
 * The PipelineServiceClient calls kfp-ts makes, in kfp-ts's own message types (see pipeline-job.ts
 * for why). createClient returns the real client as one, so tsc checks that it fits.
 */
export interface PipelineClient {
  createPipelineJob(request: CreatePipelineJobRequest): Promise<[PipelineJob, ...unknown[]]>;
  getPipelineJob(request: { name: string }): Promise<[PipelineJob, ...unknown[]]>;
  listPipelineJobs(
    request: ListPipelineJobsRequest,
    options: { autoPaginate: false },
  ): Promise<[PipelineJob[], unknown, { nextPageToken?: string | null } | undefined]>;
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

const clients = serviceClientCache((options) => {
  const { PipelineServiceClient } = require('@google-cloud/aiplatform') as typeof import('@google-cloud/aiplatform');
  const client: PipelineClient = new PipelineServiceClient(options as ConstructorParameters<typeof PipelineServiceClient>[0]);
  return client;
});

export function pipelineServiceClient(address: ServiceAddress): Promise<PipelineClient> {
  return clients.get(address);
}

/** Closes every client this process opened (their gRPC channels), e.g. before a CLI command returns. */
export function closePipelineServiceClients(): Promise<void> {
  return clients.closeAll();
}
