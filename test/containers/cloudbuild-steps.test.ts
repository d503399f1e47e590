/**
 * Runs cloudbuild.yaml's compile and submit steps here, as Cloud Build would run them (commands
 * taken from the file, substitutions filled in, in a copy of the checkout), with the submit sent
 * to the local Vertex AI PipelineService emulator: the job that arrives must carry the images the
 * build pushes, caching on every task, and the trigger's project, region, bucket, service account,
 * parameters and labels.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { containerImages } from '../../containers/images';
import { PipelineServiceEmulator } from '../../vertex/emulator/pipeline-service-emulator';
import { protobufStructToJson, type ProtobufStruct } from '../../vertex/protobuf-struct';
import { loadBuildConfig, stepById, stepCommand, triggerValues, type StepCommand } from './cloudbuild-config';
import { scratchWorkspace } from './scratch-workspace';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const config = loadBuildConfig(path.join(root, 'cloudbuild.yaml'));
const values = triggerValues(config);
const compile = stepCommand(stepById(config, 'compile'), values);
const submit = stepCommand(stepById(config, 'submit'), values);
const images = containerImages(compile.env);

/** The images of the container executors (importers have none). */
function containerImagesOf(spec: CompiledSpec): string[] {
  return Object.values(spec.deploymentSpec.executors).flatMap((executor) => (executor.container ? [executor.container.image] : []));
}

let workspace: string;
let emulator: PipelineServiceEmulator;

/** Runs a step's command in the workspace with its env added. */
async function runStep(command: StepCommand, extraArgs: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const [program, ...args] = command.argv;
  expect(program).toBe('node');
  return run(process.execPath, [...args, ...extraArgs], { cwd: workspace, env: { ...process.env, ...command.env }, timeout: 90_000 });
}

interface CompiledSpec {
  deploymentSpec: { executors: Record<string, { container?: { image: string; command?: string[] } }> };
  root: { dag: { tasks: Record<string, { cachingOptions?: { enableCache?: boolean } }> } };
}

beforeAll(async () => {
  workspace = scratchWorkspace(root);
  // Jobs stay PENDING: running the image classifier needs its images and minutes of training.
  emulator = await PipelineServiceEmulator.start({ execute: false });
});

afterAll(async () => {
  await emulator.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
});

describe("cloudbuild.yaml's compile and submit steps", () => {
  test('compile the image classifier so that its function components run in the images the build pushes', async () => {
    await runStep(compile);
    const output = compile.argv.find((arg) => arg.startsWith('--output='))!.slice('--output='.length);
    const spec = JSON.parse(fs.readFileSync(path.join(workspace, output), 'utf8')) as CompiledSpec;
    const ours = Object.values(spec.deploymentSpec.executors).filter((executor) => executor.container?.command?.includes('exec-component'));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((executor) => executor.container!.image).filter((image) => !Object.values(images).includes(image))).toEqual([]);
    expect(containerImagesOf(spec)).toContain(images.components);
  }, 120_000);

  test('submit it with caching on, to the trigger project, region, bucket and service account, over the emulator', async () => {
    const { stdout } = await runStep(submit, ['--endpoint', emulator.endpoint]);
    const requests = emulator.requests('createPipelineJob');
    expect(requests).toHaveLength(1);
    const request = requests[0] as { parent: string; pipelineJob: Record<string, any> };
    expect(request.parent).toBe('projects/my-project/locations/us-central1');
    const job = request.pipelineJob;
    expect(job['serviceAccount']).toBe(values['_SERVICE_ACCOUNT']);
    expect(job['labels']).toEqual({ commit: values['SHORT_SHA'], source: 'cloud-build' });
    expect(job['runtimeConfig'].gcsOutputDirectory).toBe('gs://my-bucket/pipeline-root');
    expect(job['runtimeConfig'].parameterValues.manifest).toMatchObject({ stringValue: values['_MANIFEST'] });
    const spec = protobufStructToJson(job['pipelineSpec'] as ProtobufStruct) as unknown as CompiledSpec;
    const caching = Object.values(spec.root.dag.tasks).map((task) => task.cachingOptions);
    expect(caching.length).toBeGreaterThan(0);
    expect(caching.every((options) => options?.enableCache === true)).toBe(true);
    expect(containerImagesOf(spec)).toContain(images.components);
    expect(stdout).toContain('projects/my-project/locations/us-central1/pipelineJobs/');
  }, 120_000);
});
