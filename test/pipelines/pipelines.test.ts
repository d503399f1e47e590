import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { compileToYaml } from '../../compiler';
import { isComponent } from '../../compiler/dsl/component';
import { validatePipelineSpec } from '../../compiler/ir/validate-pipeline-spec';
import { goldenCompileOptions } from '../support/classifier-compile-options';

/**
 * Golden tests for the pipelines we ship: each pipelines/<name>.ts compiles to
 * test/pipelines/goldens/<name>.yaml. After an intended change, regenerate with
 * `REGENERATE_GOLDENS=1 npx jest test/pipelines` and review the diff; CI never sets it.
 *
 * The image classifier's steps run in the project's images (projectImage('components' |
 * 'train-gpu')), which the CLI names from kfp-ts.config.ts with a content-hash tag; a golden takes
 * them under fixed references (kfp-ts-components:golden, …), so that it changes with the pipeline,
 * not with every file of the images' build context.
 */
const pipelinesDir = path.resolve(__dirname, '../../pipelines');
const goldensDir = path.join(__dirname, 'goldens');
const regenerate = process.env['REGENERATE_GOLDENS'] === '1' && process.env['CI'] !== 'true';
/**
 * Files of pipelines/ that are scripts, not pipelines: demo.ts is `npm run demo` (it compiles and
 * runs image-classifier.ts on this machine) and exports no pipeline. Named here rather than
 * skipping every file without a pipeline export, so a pipeline file that loses its export fails.
 */
const SCRIPTS = new Set(['demo.ts']);
const files = fs.readdirSync(pipelinesDir).filter((f) => f.endsWith('.ts') && !SCRIPTS.has(f));

test('pipelines/ holds the scripts this test skips', () => {
  for (const script of SCRIPTS) expect(fs.existsSync(path.join(pipelinesDir, script))).toBe(true);
});

describe.each(files)('pipelines/%s', (file) => {
  const module = require(path.join(pipelinesDir, file)) as { default?: unknown };
  const target = module.default;
  const golden = path.join(goldensDir, file.replace(/\.ts$/, '.yaml'));

  it('exports a pipeline that compiles to schema-valid IR equal to its golden', () => {
    if (!isComponent(target)) throw new Error(`pipelines/${file} has no default export of a pipeline`);
    const text = compileToYaml(target, { sdkVersion: 'kfp-ts-golden', ...goldenCompileOptions() });
    expect(validatePipelineSpec(yaml.load(text))).toEqual([]);
    if (regenerate) fs.writeFileSync(golden, text);
    expect(text).toBe(fs.readFileSync(golden, 'utf8'));
  });
});

describe('pipelines/quickstart.ts sharp properties', () => {
  it('asks for one L4 GPU, retries twice and wires the trained model to evaluation', () => {
    const spec = yaml.load(fs.readFileSync(path.join(goldensDir, 'quickstart.yaml'), 'utf8')) as any;
    expect(spec.deploymentSpec.executors['exec-train-model'].container.resources.accelerator).toEqual({
      count: '1',
      resourceCount: '1',
      resourceType: 'NVIDIA_L4',
      type: 'NVIDIA_L4',
    });
    expect(spec.root.dag.tasks['train-model'].retryPolicy.maxRetryCount).toBe(2);
    expect(spec.root.dag.tasks['evaluate-model'].inputs.artifacts.model.taskOutputArtifact).toEqual({
      outputArtifactKey: 'model',
      producerTask: 'train-model',
    });
  });
});

describe('pipelines/image-classifier.ts sharp properties', () => {
  const spec = yaml.load(fs.readFileSync(path.join(goldensDir, 'image-classifier.yaml'), 'utf8')) as any;
  const container = (step: string) => spec.deploymentSpec.executors[`exec-${step}`].container;

  it('runs its containerized steps as `kfp-ts exec-component <module> <name>` in the project images, by module path in the build context', () => {
    const containerized = (module: string, name: string, image: string) => ({
      image,
      command: ['kfp-ts', 'exec-component', `components/image-classifier/${module}/component.ts`, name],
      args: ['--executor-input', '{{$}}'],
    });
    expect(container('preprocess')).toEqual(containerized('preprocess', 'preprocess', 'kfp-ts-components:golden'));
    expect(container('evaluate')).toEqual(containerized('evaluate', 'evaluate', 'kfp-ts-components:golden'));
    expect(container('package-classifier')).toEqual(containerized('serving-bundle', 'package-classifier', 'kfp-ts-components:golden'));
    const { resources, ...train } = container('train');
    expect(train).toEqual(containerized('train', 'train', 'kfp-ts-train-gpu:golden'));
    expect(resources.accelerator.count).toBe('1');
  });

  it('runs its gate (which names no image) as a lightweight bundle on the Node image', () => {
    const gate = container('approve-model');
    expect(gate.image).toBe('node:20-slim');
    expect(gate.command.slice(0, 2)).toEqual(['sh', '-ec']);
    expect(gate.command[3]).toBe('kfp-ts-step');
    expect(gate.command[4].split('\n')[0]).toBe('// kfp-ts step "approve-model" from "gate/component.ts"');
  });

  it("takes the serving image as the servingImage parameter, which the imported model's containerSpec names", () => {
    expect(spec.root.inputDefinitions.parameters.servingImage).toMatchObject({
      defaultValue: 'kfp-ts-serving:local',
      parameterType: 'STRING',
    });
    const importerTask = Object.values(spec.components as Record<string, any>)
      .flatMap((component) => Object.values((component.dag?.tasks ?? {}) as Record<string, any>))
      .find((task) => task.componentRef.name === 'comp-importer');
    expect(importerTask.inputs.parameters.metadata).toEqual({ componentInputParameter: 'pipelinechannel--servingImage' });
    expect(spec.deploymentSpec.executors['exec-importer'].importer.metadata.containerSpec).toMatchObject({
      imageUri: "{{$.inputs.parameters['metadata']}}",
      command: ['kfp-ts-classifier-server'],
    });
    expect(JSON.stringify(spec)).not.toMatch(/kfp-ts-serving:(?!local)/);
  });
});
