/**
 * Type-level tests: kfp-ts's own PipelineJob message types (vertex/pipeline-job.ts) stay
 * interchangeable with @google-cloud/aiplatform's. A method parameter is compared both ways, so
 * the client taking our request does not by itself prove the request fits its type: this does.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { CreatePipelineJobRequest, PipelineJob } from '../../vertex/pipeline-job';

type Aiplatform = typeof protos.google.cloud.aiplatform.v1;

declare const sent: CreatePipelineJobRequest;
declare const returned: InstanceType<Aiplatform['PipelineJob']>;
declare const returnedFields: protos.google.cloud.aiplatform.v1.IPipelineJob;

// What kfp-ts sends is a request the client accepts.
export const accepted: protos.google.cloud.aiplatform.v1.ICreatePipelineJobRequest = sent;
// Whatever the client returns is a PipelineJob, as a decoded message and as its interface.
export const read: PipelineJob = returned;
export const readFields: PipelineJob = returnedFields;
