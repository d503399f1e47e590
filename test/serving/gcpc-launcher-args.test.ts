import { gcpcLauncherModule, gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { parseLauncherArgs, parsePayload, removeEmpty, snakeCaseKeys } from '../../serving/gcpc-launchers/launcher-args';
import { findLocalLauncher } from '../../runner/local-launchers';

const IMAGE = 'gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0';
const command = (module: string) => ['python3', '-u', '-m', `google_cloud_pipeline_components.container.v1.${module}.launcher`];

it('recognises GCPC launchers by image and command, of any GCPC version, and nothing else', () => {
  expect(gcpcLauncherModule(IMAGE, command('model.upload_model'))).toBe('model.upload_model');
  expect(gcpcLauncherModule('gcr.io/ml-pipeline/google-cloud-pipeline-components:2.3.1', command('endpoint.deploy_model'))).toBe(
    'endpoint.deploy_model',
  );
  expect(gcpcLauncherModule('python:3.11', command('model.upload_model'))).toBeUndefined();
  expect(gcpcLauncherModule(IMAGE, ['sh', '-c', 'echo'])).toBeUndefined();
  expect(findLocalLauncher({ image: IMAGE, command: command('endpoint.create_endpoint') }, gcpcLocalLaunchers)).toBe(gcpcLocalLaunchers[0]);
  expect(findLocalLauncher({ image: 'python:3.11', command: ['python3'] }, gcpcLocalLaunchers)).toBeUndefined();
  // The runner knows no stand-in of its own: without the ones it is given, GCPC's containers are plain containers.
  expect(findLocalLauncher({ image: IMAGE, command: command('endpoint.create_endpoint') }, [])).toBeUndefined();
});

it('fails a GCPC launcher without a local equivalent with what it supports', async () => {
  const launch = {
    argv: command('batch_prediction_job'),
    env: {},
    taskPath: 'p',
    image: IMAGE,
    stateDir: '/nonexistent',
    workingDirectory: '/nonexistent',
    log: () => undefined,
  };
  await expect(gcpcLocalLaunchers[0]!.run(launch)).rejects.toThrow(
    "GCPC's batch_prediction_job launcher has no local equivalent (the local runner implements model.upload_model, endpoint.create_endpoint, endpoint.deploy_model)",
  );
});

it('parses the launcher flags, ignoring unknown ones, and names missing ones', () => {
  const args = parseLauncherArgs([
    ...command('model.upload_model'),
    '--type',
    'UploadModel',
    '--payload',
    '{}',
    '--project',
    '',
    '--location',
    'us-central1',
    '--gcp_resources',
    '/f',
    '--extra',
    'x',
  ]);
  expect(args).toEqual({ type: 'UploadModel', payload: '{}', project: '', location: 'us-central1', gcpResources: '/f' });
  expect(() => parseLauncherArgs(['--type', 'UploadModel'])).toThrow(
    'the launcher needs --project, --location, --payload, --gcp_resources',
  );
});

it('cleans payloads like recursive_remove_empty: falsy entries go, emptied objects go too, list items stay', () => {
  expect(removeEmpty({ a: '', b: 0, c: false, d: {}, e: [], f: { g: { h: '' } }, k: [0, '', { x: '' }], n: 'v', m: 1 })).toEqual({
    k: [0, '', {}],
    n: 'v',
    m: 1,
  });
  expect(snakeCaseKeys({ imageUri: 'i', ports: [{ containerPort: 1 }] })).toEqual({ image_uri: 'i', ports: [{ container_port: 1 }] });
});

it('explains a payload broken by a quote in a string input', () => {
  const args = { type: 'UploadModel', project: '', location: 'l', gcpResources: '/f', payload: '{"display_name": "my "best" model"}' };
  expect(() => parsePayload(args)).toThrow('a string input holding a quote or a backslash breaks it, as GCPC does not escape them');
});
