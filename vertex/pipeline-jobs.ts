import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { VertexApiError, vertexApiError } from './api-errors';
import type { PipelineJob } from './job-states';
import { type PipelineJobSettings, type PreparedPipelineJob, preparePipelineJob } from './pipeline-job-request';
import { type ServiceAddress, pipelineServiceClient } from './pipeline-service-client';
import { projectProblem, regionProblem } from './cloud-name-checks';
import { type RetryNotice, type RetryPolicy, retryWhileUnavailable } from './retry';
import { VertexInputError } from './vertex-input-error';

/** How to reach PipelineService, and what to do while it is unavailable. */
export interface VertexConnection extends ServiceAddress {
  readonly retry?: RetryPolicy;
  readonly onRetry?: (notice: RetryNotice) => void;
}

export interface SubmittedPipelineJob extends PreparedPipelineJob {
  readonly job: PipelineJob;
}

const alreadyExistsCode = 6;

/**
 * Checks the input and creates the PipelineJob. A create that met UNAVAILABLE is sent again with
 * the same job id, so it cannot start a second run; if an earlier try did get through, the retry
 * meets ALREADY_EXISTS and the job that try created is returned.
 */
export async function submitPipelineJob(
  spec: IrPipelineSpec,
  settings: PipelineJobSettings,
  connection: Omit<VertexConnection, 'region'>,
): Promise<SubmittedPipelineJob> {
  const prepared = preparePipelineJob(spec, settings);
  const address = { ...connection, region: settings.region };
  const client = await pipelineServiceClient(address);
  let attempts = 0;
  const job = await call(`create pipeline job ${prepared.jobName}`, address, () => {
    attempts++;
    const created = client.createPipelineJob(prepared.request).then(([createdJob]) => createdJob);
    // Only a repeated create can meet the job its own earlier try made.
    if (attempts === 1) return created;
    return created.catch(async (error: { code?: number }) => {
      if (error.code !== alreadyExistsCode) throw error;
      const [existing] = await client.getPipelineJob({ name: prepared.jobName });
      return existing;
    });
  });
  return { ...prepared, job };
}

export async function getPipelineJob(name: string, connection: VertexConnection): Promise<PipelineJob> {
  const client = await pipelineServiceClient(connection);
  return call(`get pipeline job ${name}`, connection, async () => (await client.getPipelineJob({ name }))[0]);
}

export interface ListOptions {
  /** AIP-160 filter, e.g. `state="PIPELINE_STATE_FAILED"` or `labels.env="prod"`. */
  readonly filter?: string;
  /** @default 50 */
  readonly pageSize?: number;
  readonly pageToken?: string;
}

// The Python SDK's "simple view": enough to list jobs without downloading every spec.
const listReadMask = [
  'name',
  'state',
  'display_name',
  'pipeline_spec.pipeline_info',
  'create_time',
  'start_time',
  'end_time',
  'update_time',
  'labels',
];

/** One page of jobs, newest first, and the token of the next page ('' when there is none). */
export async function listPipelineJobs(
  project: string,
  connection: VertexConnection,
  options: ListOptions = {},
): Promise<{ jobs: PipelineJob[]; nextPageToken: string }> {
  checkLocation(project, connection.region);
  const client = await pipelineServiceClient(connection);
  const parent = `projects/${project}/locations/${connection.region}`;
  return call(`list pipeline jobs in ${parent}`, connection, async () => {
    const [jobs, , response] = await client.listPipelineJobs(
      {
        parent,
        pageSize: options.pageSize ?? 50,
        orderBy: 'create_time desc',
        readMask: { paths: listReadMask },
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.pageToken ? { pageToken: options.pageToken } : {}),
      },
      // One page per call: without this the client fetches every page (and warns).
      { autoPaginate: false },
    );
    return { jobs, nextPageToken: response?.nextPageToken ?? '' };
  });
}

/** Asks for cancellation (asynchronous: the job goes CANCELLING, then CANCELLED, or may still finish). */
export async function cancelPipelineJob(name: string, connection: VertexConnection): Promise<void> {
  const client = await pipelineServiceClient(connection);
  await call(`cancel pipeline job ${name}`, connection, () => client.cancelPipelineJob({ name }));
}

/** A job id or a full `projects/P/locations/R/pipelineJobs/ID` name, as the full name. */
export function pipelineJobName(idOrName: string, project: string | undefined, region: string): string {
  if (idOrName.startsWith('projects/')) {
    if (!/^projects\/[^/]+\/locations\/[^/]+\/pipelineJobs\/[^/]+$/.test(idOrName)) {
      throw new VertexInputError([
        `'${idOrName}' is not a pipeline job name: expected projects/P/locations/R/pipelineJobs/ID, or a job id with --project and --region`,
      ]);
    }
    return idOrName;
  }
  if (project === undefined)
    throw new VertexInputError([
      `job '${idOrName}' is an id, so --project is needed (or pass the full name projects/P/locations/R/pipelineJobs/ID)`,
    ]);
  checkLocation(project, region);
  return `projects/${project}/locations/${region}/pipelineJobs/${idOrName}`;
}

function checkLocation(project: string, region: string): void {
  const problems = [projectProblem(project), regionProblem(region)].filter((p): p is string => p !== undefined);
  if (problems.length) throw new VertexInputError(problems);
}

/** Runs one API call with retries on UNAVAILABLE, and turns its failure into a VertexApiError. */
async function call<T>(action: string, connection: VertexConnection, run: () => Promise<T>): Promise<T> {
  try {
    return await retryWhileUnavailable(run, connection.retry, connection.onRetry);
  } catch (error) {
    if (error instanceof VertexApiError) throw error;
    throw vertexApiError(error, action);
  }
}
