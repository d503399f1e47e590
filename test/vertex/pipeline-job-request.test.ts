import { preparePipelineJob, type PipelineJobSettings } from '../../vertex/pipeline-job-request';
import { protobufStructToJson, protobufValueToJson } from '../../vertex/protobuf-struct';
import { VertexInputError } from '../../vertex/vertex-input-error';
import { typedSpec } from './typed-spec';

const base: PipelineJobSettings = {
  project: 'my-project',
  region: 'us-central1',
  pipelineRoot: 'gs://my-bucket/root',
  parameters: { message: 'hello' },
  now: new Date(2024, 0, 2, 3, 4, 5, 678),
};

function problemsOf(settings: Partial<PipelineJobSettings>, spec = typedSpec()): string[] {
  try {
    preparePipelineJob(spec, { ...base, ...settings });
  } catch (error) {
    if (error instanceof VertexInputError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a VertexInputError');
}

describe('preparePipelineJob', () => {
  it('builds the CreatePipelineJob request with the Python SDK defaults for the job id and display name', () => {
    const prepared = preparePipelineJob(typedSpec(), base);
    expect(prepared.jobId).toBe('typed-params-20240102030405');
    expect(prepared.jobName).toBe('projects/my-project/locations/us-central1/pipelineJobs/typed-params-20240102030405');
    expect(prepared.request.parent).toBe('projects/my-project/locations/us-central1');
    expect(prepared.request.pipelineJobId).toBe(prepared.jobId);
    expect(prepared.request.pipelineJob?.displayName).toBe('PipelineJob 2024-01-02 03:04:05.678000');
    expect(prepared.request.pipelineJob?.runtimeConfig?.gcsOutputDirectory).toBe('gs://my-bucket/root');
    expect(prepared.consoleUrl).toBe(
      'https://console.cloud.google.com/vertex-ai/locations/us-central1/pipelines/runs/typed-params-20240102030405?project=my-project',
    );
    // The spec travels as a Struct that converts back to exactly the compiled IR.
    expect(protobufStructToJson(prepared.request.pipelineJob?.pipelineSpec as never)).toEqual(JSON.parse(JSON.stringify(typedSpec())));
  });

  it('derives the job id from pipelineInfo.name as the SDK does, and rejects one that cannot be an id', () => {
    const spec = typedSpec();
    spec.pipelineInfo.name = '--My Pipeline_v2!';
    expect(preparePipelineJob(spec, base).jobId).toBe('my-pipeline-v2-20240102030405');
    spec.pipelineInfo.name = '2nd-pipeline';
    expect(problemsOf({}, spec)).toEqual([
      expect.stringMatching(/job id '2nd-pipeline-20240102030405' generated from the pipeline name is illegal.*pass --job-id/),
    ]);
    expect(problemsOf({ jobId: 'Upper-Case' })).toEqual([expect.stringMatching(/job id 'Upper-Case' is illegal/)]);
    expect(problemsOf({ jobId: `a${'b'.repeat(127)}` })).toHaveLength(1);
    expect(preparePipelineJob(typedSpec(), { ...base, jobId: `a${'b'.repeat(126)}` }).jobId).toHaveLength(127);
  });

  it('types command-line parameter values by the declared types and sends only the given ones (the service applies defaults)', () => {
    const prepared = preparePipelineJob(typedSpec(), {
      ...base,
      parametersFromCommandLine: true,
      parameters: { message: '42', epochs: '7', rate: '0.25', verbose: 'true', letters: '["x","y"]', config: '{"depth":5}' },
    });
    const values = Object.fromEntries(
      Object.entries(prepared.request.pipelineJob!.runtimeConfig!.parameterValues!).map(([k, v]) => [k, protobufValueToJson(v as never)]),
    );
    expect(values).toEqual({ message: '42', epochs: 7, rate: 0.25, verbose: true, letters: ['x', 'y'], config: { depth: 5 } });
    const onlyRequired = preparePipelineJob(typedSpec(), { ...base, parameters: { message: 'hi', rate: null } });
    expect(Object.keys(onlyRequired.request.pipelineJob!.runtimeConfig!.parameterValues!)).toEqual(['message']);
  });

  it('reports unknown, mistyped and missing parameters together, each with what to pass', () => {
    const problems = problemsOf({ parameters: { epochs: 2.5, colour: 'red', verbose: 'yes' } });
    expect(problems).toEqual([
      "parameter 'epochs' must be an int, got 2.5",
      "unknown parameter 'colour'; the pipeline's parameters are: message, epochs, rate, verbose, letters, config",
      'parameter \'verbose\' must be true or false, got "yes"',
      "missing required parameter 'message' (a string); pass --param message=…",
    ]);
  });

  it('rewrites caching like the Python SDK: every task of every DAG replaced by {enableCache}, cache keys dropped, the input untouched', () => {
    const spec = typedSpec();
    const before = JSON.stringify(spec);
    for (const enableCache of [true, false]) {
      const sent = protobufStructToJson(
        preparePipelineJob(spec, { ...base, enableCaching: enableCache }).request.pipelineJob!.pipelineSpec as never,
      ) as unknown as ReturnType<typeof typedSpec>;
      const dags = [sent.root, ...Object.values(sent.components ?? {})].filter((c) => c.dag);
      expect(dags.length).toBeGreaterThanOrEqual(3); // root, condition, loop
      const options = dags.flatMap((c) => Object.values(c.dag!.tasks).map((task) => task.cachingOptions));
      expect(options.length).toBeGreaterThanOrEqual(6);
      for (const option of options) expect(option).toEqual({ enableCache });
      expect(sent.deploymentSpec).toEqual(spec.deploymentSpec);
    }
    expect(JSON.stringify(spec)).toBe(before);
    // Without the override the compiled options go as they are: the cache key and the disabled task included.
    const untouched = protobufStructToJson(
      preparePipelineJob(spec, base).request.pipelineJob!.pipelineSpec as never,
    ) as unknown as ReturnType<typeof typedSpec>;
    const rootOptions = Object.values(untouched.root.dag!.tasks).map((task) => task.cachingOptions);
    expect(rootOptions).toContainEqual({ enableCache: true, cacheKey: 'my-key' });
    expect(rootOptions).toContainEqual({});
  });

  it('checks labels against the Vertex label rules', () => {
    expect(
      preparePipelineJob(typedSpec(), { ...base, labels: { env: 'dev', 'team_équipe': 'ml-2', empty: '' } }).request.pipelineJob?.labels,
    ).toEqual({
      env: 'dev',
      'team_équipe': 'ml-2',
      empty: '',
    });
    expect(
      problemsOf({ labels: { Env: 'x', '9lives': 'y', ok: 'Has Space', 'vertex-ai-pipelines-run-billing-id': '1', long: 'x'.repeat(65) } }),
    ).toEqual([
      "label key 'Env' must start with a lowercase letter",
      "label key 'Env' has characters labels cannot: use lowercase letters, digits, _ and - (e.g. 'env')",
      "label key '9lives' must start with a lowercase letter",
      "label 'ok' has the value 'Has Space' with characters labels cannot: use lowercase letters, digits, _ and -",
      "label 'vertex-ai-pipelines-run-billing-id' is reserved: Vertex AI sets it and overwrites any value; use another key",
      "label 'long' has a value longer than 64 characters",
    ]);
  });

  it('reports every malformed name and URI at once, before anything is sent', () => {
    const problems = problemsOf({
      project: 'My_Project',
      region: 'us-central1-a',
      pipelineRoot: 'gs:/my-bucket/root',
      serviceAccount: 'not an email',
      network: 'projects/my-project/global/networks/default',
      kmsKeyName: 'projects/p/locations/europe-west4/keyRings/r/cryptoKeys',
    });
    expect(problems).toEqual([
      expect.stringContaining("project 'My_Project' is not a valid project id"),
      expect.stringContaining("region 'us-central1-a' is not a Vertex AI region (that is a zone; use the region 'us-central1')"),
      "pipeline root 'gs:/my-bucket/root' is not a Cloud Storage URI (it needs two slashes: gs://): expected gs://BUCKET/PATH",
      expect.stringContaining("service account 'not an email' is not a service account email"),
      expect.stringContaining('(the project number, not its id)'),
      expect.stringContaining('is not a key name: expected projects/P/locations/REGION/keyRings/RING/cryptoKeys/KEY'),
    ]);
    expect(problemsOf({ kmsKeyName: 'projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k' })).toEqual([
      "KMS key 'projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k' is in location 'europe-west4', but the job runs in 'us-central1': use a key from the job's region",
    ]);
    expect(problemsOf({ pipelineRoot: '/gcs/my-bucket/root' })).toEqual([expect.stringContaining('(write gs://my-bucket/root)')]);
    expect(problemsOf({ pipelineRoot: 'gs://My_Bucket/root' })).toEqual([expect.stringContaining("bucket name 'My_Bucket' is not valid")]);
    expect(problemsOf({ pipelineRoot: 'gs://ab/root' })).toEqual([expect.stringContaining("bucket name 'ab' has 2 characters")]);
    expect(problemsOf({ pipelineRoot: 'gs://google-data/root' })).toEqual([
      expect.stringContaining("may not start with 'goog' or contain 'google'"),
    ]);
  });

  it('needs a pipeline root: the given one, else the compiled defaultPipelineRoot', () => {
    const { pipelineRoot: _, ...withoutRoot } = base;
    expect(() => preparePipelineJob(typedSpec(), withoutRoot)).toThrow(/no pipeline root: pass --pipeline-root gs:\/\/BUCKET\/PATH/);
    const spec = { ...typedSpec(), defaultPipelineRoot: 'gs://compiled-bucket/root' };
    expect(preparePipelineJob(spec, withoutRoot).request.pipelineJob?.runtimeConfig?.gcsOutputDirectory).toBe('gs://compiled-bucket/root');
    expect(() => preparePipelineJob({ ...spec, defaultPipelineRoot: 's3://x/y' }, withoutRoot)).toThrow(
      /the pipeline's defaultPipelineRoot 's3:\/\/x\/y' is not a Cloud Storage URI/,
    );
  });

  it('rejects a job over the request size limit, and legacy (schemaVersion 2.0.0) IR', () => {
    const prepared = preparePipelineJob(typedSpec(), base);
    expect(problemsOf({ maxRequestBytes: prepared.requestBytes - 1 })).toEqual([
      expect.stringMatching(/^the pipeline job is [\d.]+ KiB, over the API's request limit of [\d.]+ KiB: move large constants/),
    ]);
    const huge = typedSpec();
    huge.pipelineInfo.description = 'x'.repeat(11 * 1024 * 1024);
    expect(problemsOf({}, huge)).toEqual([
      expect.stringContaining("the pipeline job is 11.0 MiB, over the API's request limit of 10.0 MiB"),
    ]);
    expect(problemsOf({}, { ...typedSpec(), schemaVersion: '2.0.0' })).toEqual([
      expect.stringContaining("schemaVersion '2.0.0'; kfp-ts submits KFP v2 IR"),
    ]);
  });
});
