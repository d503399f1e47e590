import * as grpc from '@grpc/grpc-js';
import { VertexApiError } from '../../vertex/api-errors';
import { jobState } from '../../vertex/job-states';
import { cancelPipelineJob, getPipelineJob, listPipelineJobs, submitPipelineJob } from '../../vertex/pipeline-jobs';
import { pipelineServiceClient } from '../../vertex/pipeline-service-client';
import { protobufStructToJson } from '../../vertex/protobuf-struct';
import { VertexInputError } from '../../vertex/vertex-input-error';
import { watchPipelineJob } from '../../vertex/watch-job';
import { emulatorForTests, fastRetry, typedSpec } from './support';

// The real @google-cloud/aiplatform client (gRPC) against the emulator on a loopback port; jobs are not executed here.
const emulator = emulatorForTests({ execute: false });
const settings = { project: 'my-project', region: 'us-central1', pipelineRoot: 'gs://my-bucket/root', parameters: { message: 'hi' } };
const connection = () => ({ endpoint: emulator.current.endpoint, retry: fastRetry });
let nextId = 0;
const uniqueId = () => `job-${++nextId}-${Date.now()}`;

async function apiError(promise: Promise<unknown>): Promise<VertexApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VertexApiError);
  return error as VertexApiError;
}

describe('submitPipelineJob through the real client', () => {
  it('delivers the spec intact through the Struct, typed parameter values, caching rewrite, labels, service account, network, key and job id', async () => {
    const jobId = uniqueId();
    const submitted = await submitPipelineJob(
      typedSpec(),
      {
        ...settings,
        parameters: { message: '42', epochs: '7', rate: '0.25', verbose: 'true', letters: '["x"]', config: '{"depth":5}' },
        parametersFromCommandLine: true,
        enableCaching: false,
        labels: { env: 'dev', team: 'ml' },
        serviceAccount: 'runner@my-project.iam.gserviceaccount.com',
        network: 'projects/123456/global/networks/default',
        kmsKeyName: 'projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key',
        jobId,
        displayName: 'nightly run',
      },
      connection(),
    );
    expect(submitted.job.name).toBe(`projects/my-project/locations/us-central1/pipelineJobs/${jobId}`);
    expect(jobState(submitted.job)).toBe('PIPELINE_STATE_PENDING');
    const call = emulator.current.calls.filter((c) => c.method === 'createPipelineJob').pop()!;
    const request = call.request as { parent: string; pipelineJobId: string; pipelineJob: Record<string, any> };
    expect(request.parent).toBe('projects/my-project/locations/us-central1');
    expect(request.pipelineJobId).toBe(jobId);
    expect(call.metadata['x-goog-request-params']).toBe('parent=projects%2Fmy-project%2Flocations%2Fus-central1');
    const job = request.pipelineJob;
    // Every value arrives with its protobuf kind: numbers as numberValue, not strings.
    expect(job['runtimeConfig']).toEqual({
      gcsOutputDirectory: 'gs://my-bucket/root',
      parameterValues: {
        message: { kind: 'stringValue', stringValue: '42' },
        epochs: { kind: 'numberValue', numberValue: 7 },
        rate: { kind: 'numberValue', numberValue: 0.25 },
        verbose: { kind: 'boolValue', boolValue: true },
        letters: { kind: 'listValue', listValue: { values: [{ kind: 'stringValue', stringValue: 'x' }] } },
        config: { kind: 'structValue', structValue: { fields: { depth: { kind: 'numberValue', numberValue: 5 } } } },
      },
    });
    expect(job['labels']).toEqual({ env: 'dev', team: 'ml' });
    expect(job['serviceAccount']).toBe('runner@my-project.iam.gserviceaccount.com');
    expect(job['network']).toBe('projects/123456/global/networks/default');
    expect(job['encryptionSpec']).toEqual({ kmsKeyName: 'projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key' });
    expect(job['displayName']).toBe('nightly run');
    // The spec that arrived is the compiled IR with every task's caching replaced, nothing else changed.
    const expected = JSON.parse(JSON.stringify(typedSpec()));
    for (const component of [expected.root, ...Object.values(expected.components)] as any[]) {
      for (const task of Object.values(component.dag?.tasks ?? {}) as any[]) task.cachingOptions = { enableCache: false };
    }
    expect(protobufStructToJson(job['pipelineSpec'])).toEqual(expected);
  });

  it('sends the SDK-format job id when none is given', async () => {
    const before = emulator.current.requests('createPipelineJob').length;
    const submitted = await submitPipelineJob(typedSpec(), settings, connection());
    expect(submitted.jobId).toMatch(/^typed-params-\d{14}$/);
    expect(emulator.current.requests('createPipelineJob')[before]!['pipelineJobId']).toBe(submitted.jobId);
  });

  it('shows why the conversion matters: a plain object as pipelineSpec arrives as an empty Struct, without a client error', async () => {
    const client = await pipelineServiceClient({ region: 'us-central1', endpoint: emulator.current.endpoint });
    const error = await client
      .createPipelineJob({
        parent: 'projects/my-project/locations/us-central1',
        pipelineJobId: uniqueId(),
        pipelineJob: {
          displayName: 'plain',
          pipelineSpec: typedSpec() as never,
          runtimeConfig: { gcsOutputDirectory: 'gs://my-bucket/root', parameterValues: {} },
        },
      })
      .catch((e: { code: number }) => e);
    const received = emulator.current.requests('createPipelineJob').pop()!['pipelineJob'] as { pipelineSpec?: { fields?: object } };
    expect(Object.keys(received.pipelineSpec?.fields ?? {})).toEqual([]);
    expect((error as { code: number }).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('checks input before any call: nothing reaches the service', async () => {
    const callsBefore = emulator.current.calls.length;
    const error = await submitPipelineJob(typedSpec(), { ...settings, project: 'Bad Project', parameters: {} }, connection()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VertexInputError);
    expect((error as VertexInputError).problems).toHaveLength(2);
    expect(() => submitPipelineJob(typedSpec(), settings, { endpoint: 'localhost:notaport' })).rejects.toThrow(
      "endpoint 'localhost:notaport' is not host:port",
    );
    expect(emulator.current.calls.length).toBe(callsBefore);
  });
});

describe('API errors become clear messages', () => {
  it('PERMISSION_DENIED says which role is missing and how to check the account', async () => {
    emulator.current.failNext('createPipelineJob', {
      code: grpc.status.PERMISSION_DENIED,
      message:
        "Permission 'aiplatform.pipelineJobs.create' denied on resource '//aiplatform.googleapis.com/projects/my-project/locations/us-central1'",
      errorInfo: {
        reason: 'IAM_PERMISSION_DENIED',
        domain: 'aiplatform.googleapis.com',
        metadata: { permission: 'aiplatform.pipelineJobs.create' },
      },
    });
    const error = await apiError(submitPipelineJob(typedSpec(), { ...settings, jobId: uniqueId() }, connection()));
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(error.message).toMatch(
      /^Vertex AI could not create pipeline job projects\/my-project\/locations\/us-central1\/pipelineJobs\/job-\d+-\d+: PERMISSION_DENIED: Permission 'aiplatform.pipelineJobs.create' denied/,
    );
    expect(error.message).toContain('reason: IAM_PERMISSION_DENIED (aiplatform.googleapis.com) permission=aiplatform.pipelineJobs.create');
    expect(error.message).toContain('how to fix: the caller needs roles/aiplatform.user on the project');
  });

  it('INVALID_ARGUMENT lists the field violations the service sent', async () => {
    emulator.current.failNext('createPipelineJob', {
      code: grpc.status.INVALID_ARGUMENT,
      message: 'List of found errors: 1.Field: pipeline_job.runtime_config.gcs_output_directory; Message: bucket not found',
      fieldViolations: [
        { field: 'pipeline_job.runtime_config.gcs_output_directory', description: 'The bucket my-bucket does not exist.' },
        { field: 'pipeline_job.service_account', description: 'Service account is not in the project.' },
      ],
      helpLinks: [{ description: 'Pipeline root', url: 'https://cloud.google.com/vertex-ai/docs/pipelines/configure-project' }],
    });
    const error = await apiError(submitPipelineJob(typedSpec(), { ...settings, jobId: uniqueId() }, connection()));
    expect(error.message.split('\n').slice(1)).toEqual([
      '  field pipeline_job.runtime_config.gcs_output_directory: The bucket my-bucket does not exist.',
      '  field pipeline_job.service_account: Service account is not in the project.',
      '  see Pipeline root: https://cloud.google.com/vertex-ai/docs/pipelines/configure-project',
      '  how to fix: fix the value the service names above and submit again',
    ]);
  });

  it('RESOURCE_EXHAUSTED names the quota; NOT_FOUND and ALREADY_EXISTS say what to check', async () => {
    emulator.current.failNext('createPipelineJob', {
      code: grpc.status.RESOURCE_EXHAUSTED,
      message: 'Quota exceeded for aiplatform.googleapis.com/pipeline_job_submission_requests',
      quotaViolations: [{ subject: 'project:my-project', description: 'Job or LRO submission requests per minute per region' }],
    });
    const quota = await apiError(submitPipelineJob(typedSpec(), { ...settings, jobId: uniqueId() }, connection()));
    expect(quota.message).toContain('  project:my-project: Job or LRO submission requests per minute per region');
    expect(quota.message).toContain('how to fix: a quota is used up');
    const missing = await apiError(
      getPipelineJob('projects/my-project/locations/us-central1/pipelineJobs/nope', { region: 'us-central1', ...connection() }),
    );
    expect(missing.message).toContain('NOT_FOUND: PipelineJob projects/my-project/locations/us-central1/pipelineJobs/nope is not found.');
    expect(missing.message).toContain('check --project and --region');
    const jobId = uniqueId();
    await submitPipelineJob(typedSpec(), { ...settings, jobId }, connection());
    const duplicate = await apiError(submitPipelineJob(typedSpec(), { ...settings, jobId }, connection()));
    expect(duplicate.codeName).toBe('ALREADY_EXISTS');
    expect(duplicate.message).toContain('pass another --job-id');
  });

  it('retries UNAVAILABLE with backoff, with the same job id, and gives up with a clear message after the last try', async () => {
    const jobId = uniqueId();
    const notices: number[] = [];
    emulator.current.failNext('createPipelineJob', { code: grpc.status.UNAVAILABLE, message: 'Service temporarily unavailable' }, 2);
    const submitted = await submitPipelineJob(
      typedSpec(),
      { ...settings, jobId },
      { ...connection(), onRetry: (n) => notices.push(n.attempt) },
    );
    expect(submitted.job.name).toMatch(new RegExp(`/${jobId}$`));
    expect(notices).toEqual([1, 2]);
    expect(emulator.current.requests('createPipelineJob').filter((r) => r['pipelineJobId'] === jobId)).toHaveLength(3);

    emulator.current.failNext('getPipelineJob', { code: grpc.status.UNAVAILABLE, message: 'Service temporarily unavailable' }, 3);
    const error = await apiError(getPipelineJob(submitted.job.name!, { region: 'us-central1', ...connection() }));
    expect(error.codeName).toBe('UNAVAILABLE');
    expect(error.message).toContain('could not be reached even after retrying');
  });

  it('a create whose response was lost is retried and returns the job the first try made, not a second run', async () => {
    const jobId = uniqueId();
    emulator.current.failNext('createPipelineJob', { code: grpc.status.UNAVAILABLE, message: 'connection reset', afterServing: true });
    const submitted = await submitPipelineJob(typedSpec(), { ...settings, jobId }, connection());
    expect(submitted.job.name).toBe(`projects/my-project/locations/us-central1/pipelineJobs/${jobId}`);
    expect(emulator.current.job(jobId)).toBeDefined();
  });
});

describe('get, list and cancel', () => {
  it('lists newest first with a filter and pages, gets a job, and cancels it', async () => {
    const region = { region: 'europe-west4', ...connection() };
    const ids = [uniqueId(), uniqueId(), uniqueId()];
    for (const [i, jobId] of ids.entries()) {
      await submitPipelineJob(
        typedSpec(),
        { ...settings, region: 'europe-west4', jobId, labels: { batch: i === 1 ? 'odd' : 'even' } },
        connection(),
      );
    }
    const firstPage = await listPipelineJobs('my-project', region, { pageSize: 2 });
    expect(firstPage.jobs.map((j) => j.name!.split('/').pop())).toEqual([ids[2], ids[1]]);
    const secondPage = await listPipelineJobs('my-project', region, { pageSize: 2, pageToken: firstPage.nextPageToken });
    expect(secondPage.jobs.map((j) => j.name!.split('/').pop())).toEqual([ids[0]]);
    expect(secondPage.nextPageToken).toBe('');
    const odd = await listPipelineJobs('my-project', region, { filter: 'labels.batch="odd"' });
    expect(odd.jobs.map((j) => j.name!.split('/').pop())).toEqual([ids[1]]);
    const listRequest = emulator.current.requests('listPipelineJobs').pop()!;
    expect(listRequest['orderBy']).toBe('create_time desc');
    expect((listRequest['readMask'] as { paths: string[] }).paths).toContain('pipeline_spec.pipeline_info');

    const name = `projects/my-project/locations/europe-west4/pipelineJobs/${ids[0]}`;
    await cancelPipelineJob(name, region);
    // Cancelling is asynchronous: CANCELLING first, CANCELLED later.
    expect(jobState(await getPipelineJob(name, region))).toBe('PIPELINE_STATE_CANCELLING');
    expect(jobState(await getPipelineJob(name, region))).toBe('PIPELINE_STATE_CANCELLED');
    const again = await apiError(cancelPipelineJob(name, region));
    expect(again.message).toContain('FAILED_PRECONDITION: Cannot cancel a pipeline job in state PIPELINE_STATE_CANCELLED.');
  });
});

describe('watchPipelineJob', () => {
  it('polls less often while nothing changes, reports each change once, and returns the terminal job', async () => {
    const jobId = uniqueId();
    emulator.current.scriptNextJob([
      { state: 'PIPELINE_STATE_RUNNING', tasks: { train: 'RUNNING' } },
      ...Array(4).fill({ state: 'PIPELINE_STATE_RUNNING', tasks: { train: 'RUNNING' } }),
      { state: 'PIPELINE_STATE_SUCCEEDED', tasks: { train: 'SUCCEEDED' } },
    ]);
    const submitted = await submitPipelineJob(typedSpec(), { ...settings, jobId }, connection());
    const lines: string[] = [];
    const job = await watchPipelineJob(
      submitted.jobName,
      { region: 'us-central1', ...connection() },
      { initialIntervalMs: 40, multiplier: 2, maxIntervalMs: 160, report: (l) => lines.push(l) },
    );
    expect(jobState(job)).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(lines).toEqual(['job RUNNING', '  task train: RUNNING', '  task train: SUCCEEDED', 'job SUCCEEDED']);
    const gets = emulator.current.calls
      .filter((c) => c.method === 'getPipelineJob' && c.request['name'] === submitted.jobName)
      .map((c) => c.receivedAt);
    const gaps = gets.slice(1).map((at, i) => at - gets[i]!);
    expect(gaps).toHaveLength(5);
    // After the first answer (a change) the wait starts at 40 ms and doubles up to 160 ms while nothing changes.
    const expected = [40, 80, 160, 160, 160];
    // Lower bounds only: a loaded machine can delay a poll, never bring one forward.
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(expected[i]! - 5));
  });
});
