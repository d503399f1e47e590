/**
 * Runs cloudbuild.yaml's image-tags, build, push, compile and submit steps here, as Cloud Build
 * would run them (commands taken from the file, substitutions filled in, in a copy of the
 * checkout), with a stand-in `docker` that records its arguments and the submit sent to the local
 * Vertex AI PipelineService emulator: the images the build tags and pushes must be the ones the
 * compiled pipeline's steps run in (their content-hash references, as kfp-ts computes them for the
 * copy), and the job that arrives must carry them, the serving image the build pushed, caching on
 * every task, and the trigger's project, region, bucket, service account, parameters and labels.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { resolveProjectImages } from '../../project/compile-options';
import { loadConfigFor } from '../../project/load-config';
import { PipelineServiceEmulator } from '../../vertex/emulator/pipeline-service-emulator';
import { protobufStructToJson, type ProtobufStruct } from '../../vertex/protobuf-struct';
import { loadBuildConfig, optionValue, stepById, stepCommand, substitute, triggerValues, type StepCommand } from './cloudbuild-config';
import { scratchWorkspace } from './scratch-workspace';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const config = loadBuildConfig(path.join(root, 'cloudbuild.yaml'));
const values = triggerValues(config);
const registry = `${values['_REGION']}-docker.pkg.dev/my-project/${values['_REPOSITORY']}`;
const step = (id: string) => stepCommand(stepById(config, id), values);
const compile = step('compile');
const output = optionValue(compile.argv, '--output')!;

/** The images of the container executors (importers have none). */
function containerImagesOf(spec: CompiledSpec): string[] {
  return Object.values(spec.deploymentSpec.executors).flatMap((executor) => (executor.container ? [executor.container.image] : []));
}

let workspace: string;
let bin: string;
let emulator: PipelineServiceEmulator;
/** The project images as kfp-ts computes them for the workspace, in the trigger's registry: name → reference. */
let expected: Record<string, string>;
const dockerLog = () => path.join(bin, 'docker-calls.jsonl');

/** Runs a step's command in the workspace with its env added, the stand-in docker first on PATH. */
async function runStep(command: StepCommand, extraArgs: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const [program, ...args] = command.argv;
  expect(['node', 'bash']).toContain(program);
  const env = { ...process.env, ...command.env, PATH: `${bin}${path.delimiter}${process.env['PATH']}`, FAKE_DOCKER_LOG: dockerLog() };
  return run(program === 'node' ? process.execPath : 'bash', [...args, ...extraArgs], { cwd: workspace, env, timeout: 90_000 });
}

/** `name reference` lines of the image-tags step's file. */
function printedReferences(): Record<string, string> {
  const text = fs.readFileSync(path.join(workspace, '.kfp-ts/image-tags.txt'), 'utf8');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
}

interface CompiledSpec {
  deploymentSpec: { executors: Record<string, { container?: { image: string; command?: string[] } }> };
  root: { dag: { tasks: Record<string, { cachingOptions?: { enableCache?: boolean } }> } };
}

beforeAll(async () => {
  workspace = scratchWorkspace(root);
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-fake-docker-'));
  // Records each call's arguments, one JSON array a line; builds and pushes nothing.
  fs.writeFileSync(
    path.join(bin, 'docker'),
    `#!${process.execPath}\nrequire('node:fs').appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
    { mode: 0o755 },
  );
  const loaded = loadConfigFor(path.join(workspace, 'pipelines/image-classifier.ts'));
  expected = Object.fromEntries(
    resolveProjectImages({ ...loaded, config: { ...loaded.config, registry } }).map((image) => [image.name, image.image]),
  );
  // Jobs stay PENDING: running the image classifier needs its images and minutes of training.
  emulator = await PipelineServiceEmulator.start({ execute: false });
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  for (const folder of [workspace, bin]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe("cloudbuild.yaml's steps, run in order", () => {
  test('image-tags prints the content-hash reference of each image of kfp-ts.config.ts in the registry', async () => {
    await runStep(step('image-tags'));
    expect(Object.keys(expected).sort()).toEqual(['components', 'serving', 'train-gpu']);
    for (const reference of Object.values(expected))
      expect(reference).toMatch(new RegExp(`^${registry.replace(/\./g, '\\.')}/kfp-ts-[a-z-]+:src-[0-9a-f]{20}$`));
    expect(printedReferences()).toEqual(expected);
  }, 120_000);

  test('the build and push steps build and push exactly those references, and the commit tags `images:` lists', async () => {
    const images = loadConfigFor(path.join(workspace, 'pipelines/image-classifier.ts')).config.images!;
    for (const name of Object.keys(expected)) {
      await runStep(step(`build-${name}`));
      await runStep(step(`push-${name}`));
    }
    const calls = fs
      .readFileSync(dockerLog(), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    const byCommit = (name: string) => `${registry}/${images[name]!.repository}:${values['COMMIT_SHA']}`;
    expect(calls).toEqual(
      Object.keys(expected).flatMap((name) => [
        ['build', `--file=${images[name]!.dockerfile}`, `--tag=${expected[name]}`, `--tag=${byCommit(name)}`, '.'],
        ['push', expected[name]],
        ['push', byCommit(name)],
      ]),
    );
    expect((config.images ?? []).map((listed) => substitute(listed, values)).sort()).toEqual(Object.keys(expected).map(byCommit).sort());
  }, 120_000);

  test('compile gives the containerized steps the images the build pushed: the components and train-gpu references', async () => {
    await runStep(compile);
    const spec = JSON.parse(fs.readFileSync(path.join(workspace, output), 'utf8')) as CompiledSpec;
    const steps = Object.fromEntries(
      Object.entries(spec.deploymentSpec.executors)
        .filter(([, executor]) => executor.container?.command?.[0] === 'kfp-ts')
        .map(([id, executor]) => [id, { image: executor.container!.image, command: executor.container!.command }]),
    );
    const containerized = (module: string, name: string, image: string) => ({
      image,
      command: ['kfp-ts', 'exec-component', `components/image-classifier/${module}/component.ts`, name],
    });
    expect(steps).toEqual({
      'exec-preprocess': containerized('preprocess', 'preprocess', expected['components']!),
      'exec-train': containerized('train', 'train', expected['train-gpu']!),
      'exec-evaluate': containerized('evaluate', 'evaluate', expected['components']!),
      'exec-package-classifier': containerized('serving-bundle', 'package-classifier', expected['components']!),
      'exec-export-quantized': containerized('export', 'export-quantized', expected['components']!),
    });
    // The compiled pipeline written into .kfp-ts/ leaves the tags as they were.
    await runStep(step('image-tags'));
    expect(printedReferences()).toEqual(expected);
  }, 120_000);

  test('submit sends it with caching on and the serving image the build pushed, to the trigger project, region, bucket and service account, over the emulator', async () => {
    const { stdout } = await runStep(step('submit'), ['--endpoint', emulator.endpoint]);
    const requests = emulator.requests('createPipelineJob');
    expect(requests).toHaveLength(1);
    const request = requests[0] as { parent: string; pipelineJob: Record<string, any> };
    expect(request.parent).toBe('projects/my-project/locations/us-central1');
    const job = request.pipelineJob;
    expect(job['serviceAccount']).toBe(values['_SERVICE_ACCOUNT']);
    expect(job['labels']).toEqual({ commit: values['SHORT_SHA'], source: 'cloud-build' });
    expect(job['runtimeConfig'].gcsOutputDirectory).toBe('gs://my-bucket/pipeline-root');
    expect(job['runtimeConfig'].parameterValues.manifest).toMatchObject({ stringValue: values['_MANIFEST'] });
    expect(job['runtimeConfig'].parameterValues.servingImage).toMatchObject({ stringValue: expected['serving'] });
    const spec = protobufStructToJson(job['pipelineSpec'] as ProtobufStruct) as unknown as CompiledSpec;
    const caching = Object.values(spec.root.dag.tasks).map((task) => task.cachingOptions);
    expect(caching.length).toBeGreaterThan(0);
    expect(caching.every((options) => options?.enableCache === true)).toBe(true);
    const compiled = JSON.parse(fs.readFileSync(path.join(workspace, output), 'utf8')) as CompiledSpec;
    expect(spec.deploymentSpec).toEqual(compiled.deploymentSpec);
    expect(containerImagesOf(spec)).toEqual(expect.arrayContaining([expected['components'], expected['train-gpu']]));
    expect(stdout).toContain('projects/my-project/locations/us-central1/pipelineJobs/');
  }, 120_000);
});
