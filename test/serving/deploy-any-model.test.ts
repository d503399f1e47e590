import * as fs from 'node:fs';
import * as path from 'node:path';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { runningServer, servingFolder, stopDetachedServer } from '../../serving/detached-server';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import { run, tempWorkspace } from '../runner/support';
import { ECHO_SERVER, echoModelPipeline } from './fixtures/echo-model-pipeline';

/**
 * ModelDeployOp's local stand-in serves a model uploaded by any pipeline whose serving container
 * can run on this machine, as Vertex runs it: the containerSpec's command and args with the AIP_*
 * variables and the spec's env, behind the endpoint's predict URL. A model it cannot run is
 * refused before any server starts, leaving no deployment behind.
 */
const ENDPOINT = 'projects/local/locations/us-central1/endpoints/1';
const workspaces: { metadataFile: string }[] = [];

function workspace() {
  const created = tempWorkspace('kfp-ts-deploy-any-');
  workspaces.push(created);
  return { ...created, stateDir: path.dirname(created.metadataFile) };
}

afterAll(async () => {
  for (const w of workspaces) await stopDetachedServer(path.dirname(w.metadataFile));
});

const deployLog = (runRoot: string) => fs.readFileSync(path.join(runRoot, 'model-deploy', 'executor.log'), 'utf8');

/** Nothing serves, and the endpoint has no deployed model. */
async function expectNothingDeployed(stateDir: string): Promise<void> {
  expect(await runningServer(stateDir)).toBeUndefined();
  expect(fs.existsSync(path.join(servingFolder(stateDir), 'server.json'))).toBe(false);
  expect(openLocalRegistry(stateDir).endpoints.get('1')).toMatchObject({ deployedModels: [], trafficSplit: {} });
}

it("serves the model through the endpoint's predict URL by running its serving command with Vertex's variables", async () => {
  const w = workspace();
  const containerSpec = {
    imageUri: 'us-docker.pkg.dev/team/echo/server:1',
    command: ['node', ECHO_SERVER],
    args: ['--greeting', '$(GREETING)', '$$(NOT_EXPANDED)'],
    env: [{ name: 'GREETING', value: 'hello from endpoint $(AIP_ENDPOINT_ID)' }],
    ports: [{ containerPort: 8080 }],
    predictRoute: '/v1/echo:predict',
  };
  const result = await run(echoModelPipeline(containerSpec), w, { localLaunchers: gcpcLocalLaunchers });
  expect(result.error).toBeUndefined();
  expect(deployLog(result.runRoot)).toContain('predict: POST http://127.0.0.1:');

  const server = await runningServer(w.stateDir);
  const modelDir = path.join(result.runRoot, 'train-echo-model', 'model');
  const predict = (instances: unknown[]) =>
    fetch(server!.url + predictPath(ENDPOINT), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances }),
    });
  const response = await predict([{ x: 1 }, 'two']);
  expect(response.status).toBe(200);
  const body = (await response.json()) as any;
  expect(body).toMatchObject({
    predictions: [
      { answer: 'forty-two', instance: { x: 1 } },
      { answer: 'forty-two', instance: 'two' },
    ],
    deployedModelId: '1',
    model: 'projects/local/locations/us-central1/models/1',
    modelVersionId: '1',
    modelDisplayName: 'echo',
  });
  expect(body.argv).toEqual(['--greeting', 'hello from endpoint 1', '$(NOT_EXPANDED)']);
  expect(body.env).toMatchObject({
    AIP_MODE: 'PREDICTION',
    AIP_STORAGE_URI: modelDir,
    AIP_PREDICT_ROUTE: '/v1/echo:predict',
    AIP_HEALTH_ROUTE: '/v1/endpoints/1/deployedModels/1',
    AIP_ENDPOINT_ID: '1',
    AIP_DEPLOYED_MODEL_ID: '1',
    AIP_MACHINE_TYPE: 'n1-standard-2',
    GREETING: 'hello from endpoint 1',
    KFP_TS_SERVING_HOST: '127.0.0.1',
  });
  // A free loopback port of ours, not the spec's 8080, so that several models can run side by side.
  expect(Number(body.env.AIP_HTTP_PORT)).toBeGreaterThan(0);
  expect(body.env.AIP_PROJECT_NUMBER).toBeUndefined();

  // The model's own errors come back as it gave them.
  const refused = await predict([{ fail: 'no such thing' }]);
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({ error: { code: 400, message: 'bad instance: no such thing', status: 'INVALID_ARGUMENT' } });
  expect(fs.readFileSync(path.join(servingFolder(w.stateDir), 'models', 'endpoint-1-deployed-1.log'), 'utf8')).toContain('echo server on ');
}, 90_000);

describe('a model the stand-in cannot run is refused before any server starts, and nothing stays deployed', () => {
  it.each([
    [
      'no command (the image ENTRYPOINT is unknown here)',
      { imageUri: 'us-docker.pkg.dev/team/echo/server:1' },
      [
        "its containerSpec has no command, so on Vertex the image's ENTRYPOINT runs",
        'Give the containerSpec an explicit command that exists on this machine',
        'or deploy on Vertex AI',
      ],
    ],
    [
      'a command not on this machine',
      { imageUri: 'us-docker.pkg.dev/team/echo/server:1', command: ['kfp-ts-no-such-server', '--port', '$(AIP_HTTP_PORT)'] },
      [
        "its serving command 'kfp-ts-no-such-server' is not an executable file on this machine",
        'node_modules/.bin',
        'or deploy on Vertex AI',
      ],
    ],
  ])(
    '%s',
    async (_name, containerSpec, reasons) => {
      const w = workspace();
      const result = await run(echoModelPipeline(containerSpec), w, { localLaunchers: gcpcLocalLaunchers });
      expect(result.state).toBe('FAILED');
      const log = deployLog(result.runRoot);
      expect(log).toContain('cannot serve projects/local/locations/us-central1/models/1@1 on this machine');
      for (const reason of reasons) expect(log).toContain(reason);
      await expectNothingDeployed(w.stateDir);
    },
    60_000,
  );

  it('an artifact folder that is not on this machine', async () => {
    const w = workspace();
    const result = await run(
      echoModelPipeline({ imageUri: 'echo:1', command: ['node', ECHO_SERVER] }, { artifactUri: 'gs://team-bucket/models/echo' }),
      w,
      { localLaunchers: gcpcLocalLaunchers },
    );
    expect(result.state).toBe('FAILED');
    expect(deployLog(result.runRoot)).toContain('its artifactUri gs://team-bucket/models/echo is not on this machine');
    await expectNothingDeployed(w.stateDir);
  }, 60_000);
});

it('undoes a deployment whose serving command fails to start, showing its log, and stops the server it started for it', async () => {
  const w = workspace();
  const result = await run(
    echoModelPipeline({ imageUri: 'echo:1', command: ['node', ECHO_SERVER], env: [{ name: 'ECHO_MODE', value: 'exit' }] }),
    w,
    {
      localLaunchers: gcpcLocalLaunchers,
    },
  );
  expect(result.state).toBe('FAILED');
  const log = deployLog(result.runRoot);
  expect(log).toContain('failed, so it was undeployed again');
  expect(log).toContain('ended (code 3) before its health route answered 200');
  expect(log).toContain('echo server: refusing to start (ECHO_MODE=exit)');
  await expectNothingDeployed(w.stateDir);
}, 90_000);
