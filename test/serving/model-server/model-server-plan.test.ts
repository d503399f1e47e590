import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findExecutable, projectCommandSearchPath } from '../../../serving/model-server/command-search-path';
import { ModelNotServableError, planModelServer } from '../../../serving/model-server/model-server-plan';
import type { ModelVersionRecord } from '../../../serving/registry/model-registry';

/**
 * How a registered model's serving container is run here: what the plan holds, and the models it
 * refuses, each with what to change.
 */
let project: string;
let modelDir: string;

beforeAll(() => {
  // A project whose npm packages link a serving command into node_modules/.bin, as npm does for bins.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-plan-'));
  const bin = path.join(project, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'team-server'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'not-executable'), 'data', { mode: 0o644 });
  modelDir = path.join(project, 'model');
  fs.mkdirSync(modelDir);
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const version = (containerSpec: Record<string, unknown>, artifactUri: string = modelDir): ModelVersionRecord => ({
  name: 'projects/local/locations/us-central1/models/4@2',
  versionId: '2',
  displayName: 'team-model',
  description: '',
  artifactUri,
  containerSpec,
  predictSchemata: {},
  labels: {},
  versionAliases: [],
  pipelineJob: '',
  createTime: '2025-01-01T00:00:00.000Z',
});
const deployment = { endpointId: '7', deployedModelId: '1' };
const host = () => ({ workingDirectory: project, commandSearchPath: projectCommandSearchPath(project, { PATH: '/usr/bin:/bin' }) });

describe('planModelServer', () => {
  it("runs the spec's command and args, found in the project's node_modules/.bin, with the AIP_* variables and the spec's env", () => {
    const plan = planModelServer(
      version({
        image_uri: 'team/server:1',
        command: ['team-server'],
        args: ['--port', '$(AIP_HTTP_PORT)', '--model=$(AIP_STORAGE_URI)'],
        env: [{ name: 'WORKERS', value: '2' }],
        predict_route: '/p',
      }),
      deployment,
      5005,
      host(),
    );
    expect(plan).toMatchObject({
      executable: path.join(project, 'node_modules', '.bin', 'team-server'),
      argv: ['team-server', '--port', '5005', `--model=${modelDir}`],
      port: 5005,
      routes: { predictRoute: '/p', healthRoute: '/v1/endpoints/7/deployedModels/1' },
      storageUri: modelDir,
      imageUri: 'team/server:1',
    });
    expect(plan.env).toMatchObject({ AIP_HTTP_PORT: '5005', AIP_STORAGE_URI: modelDir, AIP_PREDICT_ROUTE: '/p', WORKERS: '2' });
  });

  it("reads a hand-written record's camelCase, takes file: URLs and paths relative to the project, and a model without artifacts", () => {
    const camel = planModelServer(
      version({ imageUri: 'i', command: ['team-server'], predictRoute: '/x', healthRoute: '/y' }, pathToFileURL(modelDir).href),
      deployment,
      1,
      host(),
    );
    expect(camel).toMatchObject({ storageUri: modelDir, routes: { predictRoute: '/x', healthRoute: '/y' } });
    expect(planModelServer(version({ command: ['./node_modules/.bin/team-server'] }, 'model'), deployment, 1, host()).storageUri).toBe(
      modelDir,
    );
    expect(planModelServer(version({ command: ['team-server'] }, ''), deployment, 1, host()).env['AIP_STORAGE_URI']).toBe('');
  });

  // Records are made in the test, once beforeAll has made the model folder.
  it.each([
    [
      'no command',
      () => version({ image_uri: 'team/server:1', args: ['--port', '8080'] }),
      "its containerSpec has no command, so on Vertex the image's ENTRYPOINT runs (team/server:1)",
    ],
    [
      'a command not found',
      () => version({ image_uri: 'team/server:1', command: ['no-such-server'] }),
      "its serving command 'no-such-server' is not an executable file on this machine",
    ],
    [
      'a command that is not executable',
      () => version({ command: ['not-executable'] }),
      "its serving command 'not-executable' is not an executable file",
    ],
    [
      'a remote artifact',
      () => version({ command: ['team-server'] }, 'gs://bucket/model'),
      'its artifactUri gs://bucket/model is not on this machine',
    ],
    [
      'a missing artifact folder',
      () => version({ command: ['team-server'] }, '/nonexistent/kfp-ts-model'),
      'its artifact folder /nonexistent/kfp-ts-model does not exist',
    ],
  ])('refuses a model with %s, saying what to do', (_name, record, reason) => {
    const attempt = () => planModelServer(record(), deployment, 1, host());
    expect(attempt).toThrow(ModelNotServableError);
    expect(attempt).toThrow(`cannot serve projects/local/locations/us-central1/models/4@2 on this machine: ${reason}`);
    expect(attempt).toThrow('or deploy on Vertex AI (kfp-ts submit)');
  });
});

describe('the command search path', () => {
  it("is the node_modules/.bin folders from the project up, kfp-ts's own, then PATH, each once", () => {
    const folders = projectCommandSearchPath(path.join(project, 'sub'), { PATH: `/usr/bin${path.delimiter}/bin${path.delimiter}/usr/bin` });
    expect(folders.slice(0, 2)).toEqual([path.join(project, 'sub', 'node_modules', '.bin'), path.join(project, 'node_modules', '.bin')]);
    expect(folders).toContain(path.resolve(__dirname, '../../../node_modules/.bin'));
    expect(folders.slice(-2)).toEqual(['/usr/bin', '/bin']);
  });

  it('finds executables by bare name on the path, and by a path with a slash from the working directory', () => {
    expect(findExecutable('sh', ['/nonexistent', '/bin', '/usr/bin'], project)).toMatch(/\/sh$/);
    expect(findExecutable('node_modules/.bin/team-server', [], project)).toBe(path.join(project, 'node_modules', '.bin', 'team-server'));
    expect(findExecutable('team-server', ['/bin'], project)).toBeUndefined();
  });
});
