import * as fs from 'node:fs';
import * as path from 'node:path';
import { VertexEndpoint, VertexModel, importer, pipeline } from '../../compiler';
import { EndpointCreateOp, ModelDeployOp, ModelUploadOp, importUnmanagedContainerModel } from '../../components/gcpc';
import { endpointsCommand } from '../../cli/commands/endpoints';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { runningServer, stopDetachedServer } from '../../serving/detached-server';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import { query, run, tempWorkspace } from '../runner/support';
import { makeColourBundle, solidPng } from '../components/image-classifier/prediction-server/colour-bundle';

/**
 * The runner meets GCPC's launchers and runs their local stand-ins: upload registers a version and
 * records a google.VertexModel, create makes an endpoint, deploy serves it from the background
 * prediction server, which runs the model's serving command (the image classifier's,
 * kfp-ts-classifier-server, found in the project's node_modules/.bin); a second pipeline deploys
 * version 2 of the same model, which takes the traffic, and `kfp-ts endpoints rollback` returns it
 * to version 1.
 */
const workspace = tempWorkspace('kfp-ts-gcpc-local-');
const stateDir = path.dirname(workspace.metadataFile);
const MODEL = 'projects/local/locations/us-central1/models/1';
const ENDPOINT = 'projects/local/locations/us-central1/endpoints/1';
/** The classifier's serving container, as pipelines/image-classifier.ts names it. */
const SERVING = {
  imageUri: 'kfp-ts-serving:latest',
  command: ['kfp-ts-classifier-server'],
  predictRoute: '/predict',
  healthRoute: '/health',
};
const runWithStandIns = (p: Parameters<typeof run>[0]) => run(p, workspace, { localLaunchers: gcpcLocalLaunchers });

afterAll(async () => {
  await stopDetachedServer(stateDir);
});

const firstDeployment = (bundle: string) =>
  pipeline({ name: 'deploy-colours' }, () => {
    const imported = importUnmanagedContainerModel({
      artifactUri: bundle,
      containerSpec: { ...SERVING, ports: [{ containerPort: 8080 }] },
    });
    const upload = ModelUploadOp({
      display_name: 'colours',
      unmanaged_container_model: imported.outputs.artifact,
      labels: { team: 'vision' },
    });
    const endpoint = EndpointCreateOp({ display_name: 'colours-endpoint' });
    ModelDeployOp({ model: upload.outputs.model, endpoint: endpoint.outputs.endpoint, traffic_split: { '0': 100 } });
  });

const newVersion = (bundle: string) =>
  pipeline({ name: 'deploy-colours-v2' }, () => {
    const imported = importUnmanagedContainerModel({ artifactUri: bundle, containerSpec: SERVING });
    const parent = importer({
      artifactUri: `https://us-central1-aiplatform.googleapis.com/v1/${MODEL}`,
      artifactClass: VertexModel,
      metadata: { resourceName: MODEL },
    });
    const endpoint = importer({
      artifactUri: `https://us-central1-aiplatform.googleapis.com/v1/${ENDPOINT}`,
      artifactClass: VertexEndpoint,
      metadata: { resourceName: ENDPOINT },
    });
    const upload = ModelUploadOp({
      display_name: 'colours',
      unmanaged_container_model: imported.outputs.artifact,
      parent_model: parent.outputs.artifact,
    });
    ModelDeployOp({ model: upload.outputs.model, endpoint: endpoint.outputs.artifact, traffic_split: { '0': 100 } });
  });

async function predictRed(): Promise<{ modelVersionId: string; deployedModelId: string; confidence: number }> {
  const server = await runningServer(stateDir);
  if (!server) throw new Error('no background prediction server');
  const image = (await solidPng(200, 60, 60)).toString('base64');
  const response = await fetch(server.url + predictPath(ENDPOINT), {
    method: 'POST',
    body: JSON.stringify({ instances: [{ b64: image }] }),
  });
  const body = (await response.json()) as any;
  expect(response.status).toBe(200);
  expect(body.predictions[0].displayNames[0]).toBe('red');
  return { modelVersionId: body.modelVersionId, deployedModelId: body.deployedModelId, confidence: body.predictions[0].confidences[0] };
}

it('uploads, creates an endpoint and deploys locally, recording a google.VertexModel in the lineage store', async () => {
  const bundle = await makeColourBundle(path.join(workspace.root, 'v1'), { gain: 4 });
  const result = await runWithStandIns(firstDeployment(bundle));
  expect(result.error).toBeUndefined();
  expect(result.tasks.map((t) => [t.path, t.state])).toEqual(
    expect.arrayContaining([
      ['importer', 'succeeded'],
      ['model-upload', 'succeeded'],
      ['endpoint-create', 'succeeded'],
      ['model-deploy', 'succeeded'],
    ]),
  );

  const models = query<{ uri: string; id: number }>(
    workspace.metadataFile,
    `SELECT a.uri, a.id FROM Artifact a JOIN Type t ON t.id = a.type_id WHERE t.name = 'google.VertexModel'`,
  );
  expect(models).toEqual([{ uri: `https://us-central1-aiplatform.googleapis.com/v1/${MODEL}@1`, id: expect.any(Number) }]);
  const resourceName = query<{ string_value: string }>(
    workspace.metadataFile,
    `SELECT string_value FROM ArtifactProperty WHERE artifact_id = ? AND name = 'resourceName'`,
    models[0]!.id,
  );
  expect(resourceName).toEqual([{ string_value: `${MODEL}@1` }]);
  const endpointRows = query(
    workspace.metadataFile,
    `SELECT a.uri FROM Artifact a JOIN Type t ON t.id = a.type_id WHERE t.name = 'google.VertexEndpoint'`,
  );
  expect(endpointRows).toEqual([{ uri: `https://us-central1-aiplatform.googleapis.com/v1/${ENDPOINT}` }]);

  const registry = openLocalRegistry(stateDir);
  const version = registry.models.resolve(MODEL);
  expect(version).toMatchObject({
    name: `${MODEL}@1`,
    artifactUri: bundle,
    labels: { team: 'vision' },
    containerSpec: { image_uri: 'kfp-ts-serving:latest', command: ['kfp-ts-classifier-server'], ports: [{ container_port: 8080 }] },
  });
  expect(version.pipelineJob).toBe(`projects/local/locations/us-central1/pipelineJobs/${result.runId}`);
  expect(registry.endpoints.get('1')).toMatchObject({ displayName: 'colours-endpoint', trafficSplit: { '1': 100 } });

  const resources = JSON.parse(fs.readFileSync(path.join(result.runRoot, 'model-deploy', 'gcp_resources'), 'utf8'));
  expect(resources.resources[0]).toMatchObject({
    resourceType: 'VertexLro',
    resourceUri: expect.stringMatching(new RegExp(`^https://us-central1-aiplatform.googleapis.com/v1/${ENDPOINT}/operations/\\d+$`)),
  });
  expect(fs.readFileSync(path.join(result.runRoot, 'model-deploy', 'executor.log'), 'utf8')).toContain(`predict: POST http://127.0.0.1:`);
  expect(await predictRed()).toMatchObject({ modelVersionId: '1', deployedModelId: '1' });
}, 90_000);

it('deploys version 2 of the model, which takes all traffic on the running server, and rolls back to version 1', async () => {
  const v1 = await predictRed();
  const bundle = await makeColourBundle(path.join(workspace.root, 'v2'), { gain: 12 });
  const result = await runWithStandIns(newVersion(bundle));
  expect(result.error).toBeUndefined();
  expect(
    openLocalRegistry(stateDir)
      .models.versions('1')
      .map((v) => v.name),
  ).toEqual([`${MODEL}@1`, `${MODEL}@2`]);
  const v2 = await predictRed();
  expect(v2).toMatchObject({ modelVersionId: '2', deployedModelId: '2' });
  expect(v2.confidence).toBeGreaterThan(v1.confidence);

  const out: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), cwd: workspace.root };
  expect(await endpointsCommand.run(['rollback', 'colours-endpoint', '--state-dir', stateDir], io)).toBe(0);
  expect(out.join('')).toContain(`${ENDPOINT}: 100 % of traffic now goes to deployed model 1 (${MODEL}@1)`);
  expect(await predictRed()).toEqual(v1);
  expect(await endpointsCommand.run(['rollback', '1', '--state-dir', stateDir], io)).toBe(1);
  expect(out.join('')).toContain('serves its first deployed model');
  expect(await endpointsCommand.run(['rollback', '1', '--to-version', '2', '--state-dir', stateDir], io)).toBe(0);
  expect(await predictRed()).toEqual(v2);
  out.length = 0;
  expect(await endpointsCommand.run(['list', '--state-dir', stateDir], io)).toBe(0);
  expect(out.join('')).toContain(`deployed model 2: ${MODEL}@2  100 %`);
  expect(out.join('')).toContain(`predict: POST http://127.0.0.1:`);
}, 90_000);

it('fails a deploy whose model cannot be served and leaves the endpoint as it was', async () => {
  const broken = path.join(workspace.root, 'broken');
  fs.mkdirSync(broken, { recursive: true });
  const before = openLocalRegistry(stateDir).endpoints.get('1')!;
  const result = await runWithStandIns(newVersion(broken));
  expect(result.state).toBe('FAILED');
  const log = fs.readFileSync(path.join(result.runRoot, 'model-deploy', 'executor.log'), 'utf8');
  expect(log).toContain('failed, so it was undeployed again');
  expect(log).toContain('serving.json');
  expect(openLocalRegistry(stateDir).endpoints.get('1')).toEqual(before);
}, 90_000);
