import * as grpc from '@grpc/grpc-js';
import { cli, emulatorForTests, typedPipelineFile } from '../support';

// `kfp-ts submit` and `kfp-ts jobs` through the real client against the emulator; jobs follow scripted states here.
const emulator = emulatorForTests({ execute: false });
const target = () => ['--project', 'my-project', '--region', 'us-central1', '--endpoint', emulator.current.endpoint];
const submitArgs = () => ['submit', typedPipelineFile, ...target(), '--pipeline-root', 'gs://my-bucket/root', '--param', 'message=hi'];

describe('kfp-ts submit', () => {
  it('submits with labels, service account and caching off, and prints the job and its console link', async () => {
    const { code, stdout, stderr } = await cli(
      ...submitArgs(),
      '--job-id',
      'cli-job-1',
      '--label',
      'env=dev',
      '--service-account',
      'sa@my-project.iam.gserviceaccount.com',
      '--disable-caching',
      '--param',
      'epochs=9',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Submitted pipeline job cli-job-1 (PENDING)\n' +
        '  name:    projects/my-project/locations/us-central1/pipelineJobs/cli-job-1\n' +
        '  console: https://console.cloud.google.com/vertex-ai/locations/us-central1/pipelines/runs/cli-job-1?project=my-project\n',
    );
    const job = emulator.current.requests('createPipelineJob').pop()!['pipelineJob'] as Record<string, any>;
    expect(job['labels']).toEqual({ env: 'dev' });
    expect(job['serviceAccount']).toBe('sa@my-project.iam.gserviceaccount.com');
    expect(job['runtimeConfig'].parameterValues).toEqual({
      message: { kind: 'stringValue', stringValue: 'hi' },
      epochs: { kind: 'numberValue', numberValue: 9 },
    });
    const rootTasks = job['pipelineSpec'].fields.root.structValue.fields.dag.structValue.fields.tasks.structValue.fields;
    for (const task of Object.values(rootTasks) as any[]) {
      expect(task.structValue.fields.cachingOptions).toEqual({
        kind: 'structValue',
        structValue: { fields: { enableCache: { kind: 'boolValue', boolValue: false } } },
      });
    }
  });

  it('--wait prints job and task state changes and exits 0 on SUCCEEDED', async () => {
    emulator.current.scriptNextJob([
      { state: 'PIPELINE_STATE_RUNNING', tasks: { echo: 'RUNNING' } },
      { state: 'PIPELINE_STATE_RUNNING', tasks: { echo: 'SUCCEEDED', 'echo-2': 'RUNNING' } },
      { state: 'PIPELINE_STATE_SUCCEEDED', tasks: { echo: 'SUCCEEDED', 'echo-2': 'SUCCEEDED' } },
    ]);
    const { code, stdout } = await cli(...submitArgs(), '--job-id', 'cli-wait-ok', '--wait', '--poll-interval', '0.01');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(3)).toEqual([
      'job RUNNING',
      '  task echo: RUNNING',
      '  task echo: SUCCEEDED',
      '  task echo-2: RUNNING',
      '  task echo-2: SUCCEEDED',
      'job SUCCEEDED',
      'Pipeline job cli-wait-ok SUCCEEDED',
      '',
    ]);
  });

  it.each([
    ['FAILED', 'job FAILED: The DAG failed because some tasks failed.'],
    ['CANCELLED', 'job CANCELLED: The DAG failed because some tasks failed.'],
    ['PAUSED', 'job PAUSED'],
  ])('--wait exits 1 when the job ends %s', async (state, line) => {
    emulator.current.scriptNextJob([
      { state: 'PIPELINE_STATE_RUNNING' },
      { state: `PIPELINE_STATE_${state}`, tasks: { echo: 'FAILED' }, errorMessage: 'The DAG failed because some tasks failed.' },
    ]);
    const { code, stdout, stderr } = await cli(
      ...submitArgs(),
      '--job-id',
      `cli-wait-${state.toLowerCase()}`,
      '--wait',
      '--poll-interval',
      '0.01',
    );
    expect(code).toBe(1);
    expect(stdout).toContain(`  task echo: FAILED\n${line}\n`);
    expect(stderr).toBe(`Pipeline job cli-wait-${state.toLowerCase()} ${state}\n`);
  });

  it('reports every bad input at once, before any call, with exit code 1', async () => {
    const before = emulator.current.calls.length;
    const { code, stderr } = await cli(
      'submit',
      typedPipelineFile,
      '--project',
      'P',
      '--region',
      'uscentral',
      '--endpoint',
      emulator.current.endpoint,
      '--pipeline-root',
      'gs://b/root',
      '--param',
      'epochs=many',
      '--label',
      'Team=x',
      '--job-id',
      '1abc',
    );
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      'kfp-ts submit: Cannot send the request to Vertex AI:',
      expect.stringContaining("✖ project 'P' is not a valid project id"),
      expect.stringContaining("✖ region 'uscentral' is not a Vertex AI region"),
      expect.stringContaining("✖ pipeline root 'gs://b/root': bucket name 'b' has 1 characters"),
      expect.stringContaining('✖ parameter \'epochs\' must be an int, got "many"'),
      expect.stringContaining("✖ missing required parameter 'message' (a string); pass --param message=…"),
      expect.stringContaining("✖ label key 'Team' must start with a lowercase letter"),
      expect.stringContaining("✖ label key 'Team' has characters labels cannot"),
      expect.stringContaining("✖ job id '1abc' is illegal"),
      '',
    ]);
    expect((await cli(...submitArgs(), '--label', 'novalue')).stderr).toContain("✖ --label 'novalue' is not of the form key=value");
    expect((await cli(...submitArgs(), '--endpoint', 'localhost:99999')).stderr).toContain("✖ endpoint 'localhost:99999' is not host:port");
    expect(emulator.current.calls.length).toBe(before);
  });

  it('usage mistakes exit 2 with the usage text', async () => {
    const missing = await cli('submit', typedPipelineFile, '--region', 'us-central1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^kfp-ts submit: --project is required \(or set vertex\.project in kfp-ts\.config\.ts\)\n\nUsage: kfp-ts submit/,
    );
    expect((await cli(...submitArgs(), '--enable-caching', '--disable-caching')).stderr).toContain(
      '--enable-caching and --disable-caching contradict each other',
    );
  });

  it('says when the service is unavailable and retries', async () => {
    emulator.current.failNext('createPipelineJob', { code: grpc.status.UNAVAILABLE, message: 'try later' });
    const { code, stderr } = await cli(...submitArgs(), '--job-id', 'cli-retried');
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Vertex AI is unavailable \(try 1\); retrying in \d\.\d s\n$/);
  });

  it('prints API errors with their details and exits 1', async () => {
    emulator.current.failNext('createPipelineJob', {
      code: grpc.status.PERMISSION_DENIED,
      message: 'Permission denied on resource project my-project.',
    });
    const { code, stderr } = await cli(...submitArgs(), '--job-id', 'cli-denied');
    expect(code).toBe(1);
    expect(stderr).toContain(
      'kfp-ts submit: Vertex AI could not create pipeline job projects/my-project/locations/us-central1/pipelineJobs/cli-denied: PERMISSION_DENIED: Permission denied',
    );
    expect(stderr).toContain('how to fix: the caller needs roles/aiplatform.user');
  });
});

describe('kfp-ts jobs', () => {
  it('lists, gets (text and --json) and cancels jobs', async () => {
    const list = await cli('jobs', 'list', ...target(), '--filter', 'state="PIPELINE_STATE_SUCCEEDED"');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^job\s+state\s+created\s+display name\ncli-wait-ok\s+SUCCEEDED\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+PipelineJob /,
    );
    const get = await cli('jobs', 'get', 'cli-wait-ok', ...target());
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('Job:          projects/my-project/locations/us-central1/pipelineJobs/cli-wait-ok\n');
    expect(get.stdout).toContain('State:        SUCCEEDED\n');
    expect(get.stdout).toContain('Pipeline:     typed-params\n');
    expect(get.stdout).toContain('Parameters:   message="hi"\n');
    expect(get.stdout).toMatch(/task\s+state\necho\s+SUCCEEDED\necho-2\s+SUCCEEDED\n/);
    const json = JSON.parse(
      (
        await cli(
          'jobs',
          'get',
          'projects/my-project/locations/us-central1/pipelineJobs/cli-job-1',
          '--endpoint',
          emulator.current.endpoint,
          '--json',
        )
      ).stdout,
    );
    expect(json.pipelineSpec.pipelineInfo).toEqual({ name: 'typed-params' });
    expect(json.runtimeConfig.parameterValues).toEqual({ message: 'hi', epochs: 9 });

    const cancel = await cli('jobs', 'cancel', 'cli-job-1', ...target(), '--wait', '--poll-interval', '0.01');
    expect(cancel.stdout).toContain('Asked Vertex AI to cancel projects/my-project/locations/us-central1/pipelineJobs/cli-job-1');
    expect(cancel.stdout).toContain('job CANCELLING\njob CANCELLED: CANCELLED: the job was cancelled\n');
    expect(cancel.code).toBe(1);
  });

  it('reports a missing job and bad arguments clearly', async () => {
    const missing = await cli('jobs', 'get', 'no-such-job', ...target());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'kfp-ts jobs: Vertex AI could not get pipeline job projects/my-project/locations/us-central1/pipelineJobs/no-such-job: NOT_FOUND',
    );
    expect((await cli('jobs', 'get', 'x', '--project', 'my-project')).stderr).toContain('--region is required with a job id');
    expect((await cli('jobs', 'delete', 'x')).stderr).toContain("unknown action 'delete': expected list, get or cancel");
    expect((await cli('jobs', 'get', 'projects/p/oops', '--region', 'us-central1')).stderr).toContain(
      "'projects/p/oops' is not a pipeline job name",
    );
  });
});
