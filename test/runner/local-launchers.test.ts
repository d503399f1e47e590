import * as fs from 'node:fs';
import * as path from 'node:path';
import { containerComponent, pipeline, t } from '../../compiler';
import { cloudLauncherRefusal } from '../../runner/local-launchers';
import { executionsOfRun, run, tempWorkspace } from './support';

/**
 * A GCPC launcher container that no stand-in claims is refused before anything starts on the host:
 * with credentials it would create real, billed Vertex AI resources, without them fail obscurely.
 */
const FAILED = 4;
const LAUNCHER = 'google_cloud_pipeline_components.container.v1.endpoint.create_endpoint.launcher';

/** GCPC's create-endpoint launcher as the GCPC components compile it (written here: the runner's tests do not use components/). */
const createEndpoint = containerComponent({
  name: 'endpoint-create',
  inputs: { display_name: t.string() },
  outputs: { gcp_resources: t.string() },
  image: 'gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0',
  command: () => ['python3', '-u', '-m', LAUNCHER],
  args: ({ inputs, outputs }) => [
    '--type',
    'CreateEndpoint',
    '--payload',
    inputs.display_name,
    '--gcp_resources',
    outputs.gcp_resources.path,
  ],
});

/** The same launcher started from a shell script, which would leave a marker file first. */
const wrappedLauncher = containerComponent({
  name: 'wrapped-launcher',
  inputs: { marker: t.string() },
  outputs: { out: t.string() },
  image: 'python:3.11',
  command: ({ inputs }) => ['sh', '-c', `touch "$0" && python3 -m ${LAUNCHER}`, inputs.marker],
});

describe('cloudLauncherRefusal', () => {
  it.each([
    [['python3', '-u', '-m', LAUNCHER]],
    [['python', '-m', 'google_cloud_pipeline_components.v1.custom_job.launcher']],
    [['sh', '-c', `python3 -mgoogle_cloud_pipeline_components.container.v1.batch_prediction_job.launcher "$@"`]],
  ])('recognises a GCPC module run by %j', (command) => {
    expect(cloudLauncherRefusal({ image: 'any', command }, 'deploy')).toMatch(/^task deploy runs GCPC's google_cloud_pipeline_components/);
  });

  it.each([
    [['python3', '-m', 'my_package.google_cloud_pipeline_components_like']],
    [['python3', '-m', 'google_cloud_pipeline_components_fork']],
    [['echo', 'google_cloud_pipeline_components']],
    [['node', 'x.js']],
  ])('lets %j run', (command) => {
    expect(cloudLauncherRefusal({ image: 'any', command }, 'task')).toBeUndefined();
  });
});

describe('runPipeline without localLaunchers', () => {
  it('fails a GCPC launcher task with what to do, without starting it', async () => {
    const workspace = tempWorkspace();
    const p = pipeline({ name: 'deploy' }, () => {
      createEndpoint({ display_name: 'e' }).setRetry({ maxRetries: 2, backoffDuration: '0s' });
    });
    const result = await run(p, workspace);
    expect(result.state).toBe('FAILED');
    expect(result.tasks).toEqual([
      expect.objectContaining({
        path: 'endpoint-create',
        state: 'failed',
        error:
          `task endpoint-create runs GCPC's ${LAUNCHER}, a Vertex AI launcher, which the runner does not start on this machine (it would create real, billed ` +
          "Vertex AI resources, or fail without credentials). To run it here, pass localLaunchers: gcpcLocalLaunchers from 'kfp-ts/serving' to runPipeline " +
          '(the kfp-ts run CLI does); or submit the pipeline to Vertex AI (kfp-ts submit)',
      }),
    ]);
    // Nothing ran: a started command would have its log.
    expect(fs.existsSync(path.join(result.runRoot, 'endpoint-create', 'executor.log'))).toBe(false);
    expect(executionsOfRun(workspace.metadataFile, result.runId).find((e) => e.path === 'endpoint-create')?.state).toBe(FAILED);
  });

  it('refuses a launcher started from a shell script before the script runs', async () => {
    const workspace = tempWorkspace();
    const marker = path.join(workspace.root, 'started');
    const result = await run(
      pipeline({ name: 'wrapped' }, () => {
        wrappedLauncher({ marker });
      }),
      workspace,
    );
    expect(result.tasks[0]).toMatchObject({
      path: 'wrapped-launcher',
      state: 'failed',
      error: expect.stringContaining("pass localLaunchers: gcpcLocalLaunchers from 'kfp-ts/serving'"),
    });
    expect(fs.existsSync(marker)).toBe(false);
  });
});
