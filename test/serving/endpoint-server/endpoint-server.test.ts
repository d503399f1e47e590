import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEndpointServer, type EndpointServer } from '../../../serving/endpoint-server/endpoint-server';
import { openLocalRegistry } from '../../../serving/registry/local-registry';
import { predictPath } from '../../../serving/vertex-resource-names';
import { processAlive as alive } from '../../runner/support';
import { ECHO_SERVER } from '../fixtures/echo-model-pipeline';

/**
 * The endpoint server in front of deployed models' serving commands: Vertex's predict API routed by
 * the traffic split, the models' answers passed on with the deployed model's fields, and serving
 * commands started on demand and stopped once undeployed.
 */
let stateDir: string;
let server: EndpointServer;
const registry = () => openLocalRegistry(stateDir);
const PROJECT = { project: 'local', location: 'us-central1' };

function upload(answer: string, containerSpec: Record<string, unknown> = { image_uri: 'echo:1', command: ['node', ECHO_SERVER] }) {
  const folder = path.join(stateDir, 'models-on-disk', answer);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'answer.txt'), answer);
  return registry().models.upload({ ...PROJECT, displayName: 'echo', artifactUri: folder, containerSpec });
}

async function predict(endpointName: string, instances: unknown[] = [0]) {
  const response = await fetch(server.url + predictPath(endpointName), { method: 'POST', body: JSON.stringify({ instances }) });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-endpoint-server-'));
  server = await startEndpointServer({ stateDir, workingDirectory: stateDir, modelStartTimeoutMs: 20_000 });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

it('splits traffic between deployed models exactly, each answering from its own serving command, and stops an undeployed one', async () => {
  const endpoint = registry().endpoints.create({ ...PROJECT, displayName: 'split' });
  registry().endpoints.deploy(endpoint.name, upload('one').name, {});
  const { previous } = registry().endpoints.deploy(endpoint.name, upload('two').name, { '0': 20, '1': 80 });

  const warm = await fetch(`${server.url}/v1/${endpoint.name}`);
  expect(warm.status).toBe(200);
  expect(((await warm.json()) as any).trafficSplit).toEqual({ '1': 80, '2': 20 });

  const answers: Record<string, number> = {};
  const pids: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    const { status, body } = await predict(endpoint.name);
    expect(status).toBe(200);
    const answer = body.predictions[0].answer as string;
    answers[answer] = (answers[answer] ?? 0) + 1;
    pids[answer] = body.pid;
    expect(body.deployedModelId).toBe(answer === 'one' ? '1' : '2');
    expect(body.env.AIP_DEPLOYED_MODEL_ID).toBe(body.deployedModelId);
  }
  expect(answers).toEqual({ one: 80, two: 20 });
  expect(pids['one']).not.toBe(pids['two']);

  // The endpoint's GET asks every deployed model with traffic for its health, every time.
  const unhealthyFlag = path.join(stateDir, 'models-on-disk', 'two', 'unhealthy');
  fs.writeFileSync(unhealthyFlag, '');
  const sick = await fetch(`${server.url}/v1/${endpoint.name}`);
  expect(sick.status).toBe(503);
  expect(((await sick.json()) as any).error.message).toContain(
    'deployed model 2 (projects/local/locations/us-central1/models/2@1) is not healthy: GET /v1/endpoints/1/deployedModels/2 answered 503',
  );
  fs.rmSync(unhealthyFlag);
  expect((await fetch(`${server.url}/v1/${endpoint.name}`)).status).toBe(200);

  // Deployed model 2 leaves the endpoint (as when a failed deployment is undone): its command stops.
  registry().endpoints.restore(previous);
  const deadline = Date.now() + 10_000;
  while (alive(pids['two']!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(alive(pids['two']!)).toBe(false);
  expect((await predict(endpoint.name)).body.predictions[0].answer).toBe('one');
}, 60_000);

it("answers a model that cannot be served with 500 and why, and the server's own errors in Google's shape", async () => {
  const broken = registry().endpoints.create({ ...PROJECT, displayName: 'broken' });
  registry().endpoints.deploy(broken.name, upload('none', { image_uri: 'team/server:1' }).name, {});
  const failed = await predict(broken.name);
  expect(failed.status).toBe(500);
  expect(failed.body.error).toMatchObject({ code: 500, status: 'INTERNAL' });
  expect(failed.body.error.message).toContain(
    `deployed model 1 of ${broken.name}: cannot serve projects/local/locations/us-central1/models/`,
  );
  expect(failed.body.error.message).toContain('its containerSpec has no command');
  expect((await fetch(`${server.url}/v1/${broken.name}`)).status).toBe(500);

  const empty = registry().endpoints.create({ ...PROJECT, displayName: 'empty' });
  expect(await predict(empty.name)).toMatchObject({ status: 503, body: { error: { status: 'UNAVAILABLE' } } });
  const unknown = await predict('projects/local/locations/us-central1/endpoints/99');
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.message).toContain("'kfp-ts endpoints list' shows the local endpoints");
  expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  expect((await fetch(server.url + predictPath(empty.name))).status).toBe(405);
  // No pid and no path: anyone who can reach the port may ask; the random instance id tells clients it is this server.
  expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok', instance: server.instance });
  expect(server.instance).toMatch(/^[0-9a-f]{32}$/);
}, 60_000);

it("answers 504 for a model that does not answer in time and 502 for one that answers too much, in Google's shape", async () => {
  const limited = await startEndpointServer({
    stateDir,
    workingDirectory: stateDir,
    modelStartTimeoutMs: 20_000,
    predictTimeoutMs: 1000,
    maxModelAnswerBytes: 20_000,
  });
  try {
    const endpoint = registry().endpoints.create({ ...PROJECT, displayName: 'limits' });
    registry().endpoints.deploy(endpoint.name, upload('limits').name, {});
    const ask = async (instances: unknown[]) => {
      const response = await fetch(limited.url + predictPath(endpoint.name), { method: 'POST', body: JSON.stringify({ instances }) });
      return { status: response.status, body: (await response.json()) as any };
    };
    expect((await ask([{ pad: 1000 }])).status).toBe(200);

    const slow = await ask([{ hang: true }]);
    expect(slow).toMatchObject({ status: 504, body: { error: { code: 504, status: 'DEADLINE_EXCEEDED' } } });
    expect(slow.body.error.message).toMatch(
      /^deployed model 1 \(projects\/local\/locations\/us-central1\/models\/\d+@1\) did not answer POST \/v1\/endpoints\/\d+\/deployedModels\/1:predict within 1 s/,
    );

    const large = await ask([{ pad: 30_000 }]);
    expect(large).toMatchObject({ status: 502, body: { error: { code: 502, status: 'UNAVAILABLE' } } });
    expect(large.body.error.message).toMatch(
      /answered POST \S+ with \d+ bytes, the local endpoint's limit on a model's answer being 20000 bytes/,
    );
  } finally {
    await limited.close();
  }
}, 60_000);
