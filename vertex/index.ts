/** Vertex AI Pipelines: submit compiled IR as a PipelineJob, then get, list, watch or cancel it. */
export { submitPipelineJob, getPipelineJob, listPipelineJobs, cancelPipelineJob, pipelineJobName } from './pipeline-jobs';
export type { VertexConnection, SubmittedPipelineJob, ListOptions } from './pipeline-jobs';
export type { PipelineJobSettings } from './pipeline-job-request';
export { watchPipelineJob } from './watch-job';
export type { WatchOptions } from './watch-job';
export { jobState, isTerminal } from './job-states';
export type { PipelineJob } from './job-states';
export { closePipelineServiceClients } from './pipeline-service-client';
export { VertexInputError } from './vertex-input-error';
export { VertexApiError } from './api-errors';
