// Submitting a PipelineJob into a Vertex AI Experiment, with the calls the Vertex Python SDK makes
// for PipelineJob.submit(experiment=NAME) (google-cloud-aiplatform pipeline_jobs.py, metadata/
// experiment_resources.py, metadata_store.py, resource.py):
//   before the create (_validate_experiment → Experiment.get_or_create):
//     GetMetadataStore(default), and on NOT_FOUND CreateMetadataStore(default) then GetMetadataStore;
//     GetContext(experiment), and on NOT_FOUND CreateContext(system.Experiment, schema 0.0.1,
//     display name = id = NAME, metadata {experiment_deleted: false}); the context must be a
//     system.Experiment and not a TensorBoard experiment (metadata `tensorboard_link`);
//   after the create (_associate_to_experiment): the same get-or-create again, then GetPipelineJob
//     until the job has its system.PipelineRun context (Vertex makes it asynchronously), then
//     AddContextChildren(experiment, [that context]).
// The SDK creates no TensorBoard on this path (only aiplatform.init(experiment=…) assigns a
// backing TensorBoard), so neither does kfp-ts.
import { experimentNameProblem } from '../runner/experiment-name';
import { VertexApiError, vertexApiError } from './api-errors';
import { isTerminal, jobState, shortState } from './job-states';
import type { PipelineJob } from './pipeline-job';
import { metadataServiceClient, type MetadataClient, type MetadataContext } from './metadata-service-client';
import { pipelineServiceClient } from './pipeline-service-client';
import { retryWhileUnavailable } from './retry';
import type { VertexConnection } from './pipeline-jobs';
import { VertexInputError } from './vertex-input-error';

const notFoundCode = 5;
const alreadyExistsCode = 6;
const EXPERIMENT_SCHEMA = 'system.Experiment';
const EXPERIMENT_SCHEMA_VERSION = '0.0.1';
const TENSORBOARD_EXPERIMENT_FIELD = 'tensorboard_link';

export interface ExperimentWaitOptions {
  /** How often to look for the job's run context. @default 1000 (the SDK sleeps 1 s) */
  readonly pollIntervalMs?: number;
  /** Give up after this long without a run context. @default 600000 */
  readonly timeoutMs?: number;
  /** Told once when the wait begins. */
  readonly onWait?: (message: string) => void;
}

export function experimentResourceName(project: string, region: string, experiment: string): string {
  return `projects/${project}/locations/${region}/metadataStores/default/contexts/${experiment}`;
}

/** Checks the name and gets or creates the experiment (and the default metadata store) before the job is created. */
export async function getOrCreateExperiment(project: string, experiment: string, connection: VertexConnection): Promise<MetadataContext> {
  const problem = experimentNameProblem(experiment);
  if (problem !== undefined) throw new VertexInputError([problem]);
  const client = await metadataServiceClient(connection);
  const location = `projects/${project}/locations/${connection.region}`;
  const store = `${location}/metadataStores/default`;
  const call = <T>(action: string, run: () => Promise<T>) => callApi(action, connection, run);
  const found = await call(`get metadata store ${store}`, () => orNotFound(client.getMetadataStore({ name: store })));
  if (found === undefined) {
    await call(`create metadata store ${store}`, async () => {
      try {
        const [operation] = await client.createMetadataStore({ parent: location, metadataStore: {}, metadataStoreId: 'default' });
        await operation.promise();
      } catch (error) {
        if ((error as { code?: number }).code !== alreadyExistsCode) throw error;
      }
    });
    await call(`get metadata store ${store}`, () => client.getMetadataStore({ name: store }));
  }
  const name = experimentResourceName(project, connection.region, experiment);
  const existing = await call(`get experiment ${name}`, () => orNotFound(client.getContext({ name })));
  const context =
    existing?.[0] ??
    (
      await call(`create experiment ${name}`, () =>
        client.createContext({
          parent: store,
          contextId: experiment,
          context: {
            schemaTitle: EXPERIMENT_SCHEMA,
            schemaVersion: EXPERIMENT_SCHEMA_VERSION,
            displayName: experiment,
            metadata: { fields: { experiment_deleted: { boolValue: false } } },
          },
        }),
      )
    )[0];
  if (context.schemaTitle !== EXPERIMENT_SCHEMA) {
    throw new VertexInputError([
      `'${experiment}' is a ${context.schemaTitle} context in ${store}, not an experiment (${EXPERIMENT_SCHEMA}): choose another --experiment name`,
    ]);
  }
  if (context.metadata?.fields && TENSORBOARD_EXPERIMENT_FIELD in context.metadata.fields) {
    throw new VertexInputError([
      `'${experiment}' is a TensorBoard experiment made by a CustomJob and cannot hold pipeline runs: choose another --experiment name`,
    ]);
  }
  return context;
}

/** After the create: waits for the job's run context and adds it to the experiment. Returns the run context's name. */
export async function addPipelineJobToExperiment(
  project: string,
  jobName: string,
  experiment: string,
  connection: VertexConnection,
  options: ExperimentWaitOptions = {},
): Promise<string> {
  const context = await getOrCreateExperiment(project, experiment, connection);
  const runContext = await waitForRunContext(jobName, connection, options);
  const client: MetadataClient = await metadataServiceClient(connection);
  await callApi(`add pipeline job ${jobName} to experiment ${experiment}`, connection, () =>
    client.addContextChildren({
      context: context.name ?? experimentResourceName(project, connection.region, experiment),
      childContexts: [runContext],
    }),
  );
  return runContext;
}

async function waitForRunContext(jobName: string, connection: VertexConnection, options: ExperimentWaitOptions): Promise<string> {
  const client = await pipelineServiceClient(connection);
  const interval = options.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let told = false;
  for (;;) {
    const [job] = await callApi(`get pipeline job ${jobName}`, connection, () => client.getPipelineJob({ name: jobName }));
    const name = (job as PipelineJob & { jobDetail?: { pipelineRunContext?: { name?: string | null } | null } | null }).jobDetail
      ?.pipelineRunContext?.name;
    if (name) return name;
    const state = jobState(job);
    if (isTerminal(state)) {
      throw new VertexApiError(
        `Vertex AI could not add ${jobName} to the experiment: the job ended ${shortState(state)} before it had a run context` +
          `${job.error?.message ? ` (${job.error.message})` : ''}\n  how to fix: see why with 'kfp-ts jobs get ${jobName}', fix it and submit again`,
        undefined,
        'error',
      );
    }
    if (Date.now() >= deadline) {
      throw new VertexApiError(
        `Vertex AI did not start ${jobName} in time to add it to the experiment (it is still ${shortState(state)})\n` +
          '  how to fix: the job was created and runs outside the experiment; wait for it to start, or submit again',
        undefined,
        'DEADLINE_EXCEEDED',
      );
    }
    if (!told) options.onWait?.(`Waiting for ${jobName} to start, to add it to the experiment…`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** The response, or undefined on NOT_FOUND (the SDK's get-or-create test). */
async function orNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if ((error as { code?: number }).code === notFoundCode) return undefined;
    throw error;
  }
}

async function callApi<T>(action: string, connection: VertexConnection, run: () => Promise<T>): Promise<T> {
  try {
    return await retryWhileUnavailable(run, connection.retry, connection.onRetry);
  } catch (error) {
    if (error instanceof VertexApiError || error instanceof VertexInputError) throw error;
    throw vertexApiError(error, action);
  }
}
