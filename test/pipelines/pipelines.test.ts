import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { compileToYaml } from '../../compiler';
import { isComponent } from '../../compiler/dsl/component';
import { validatePipelineSpec } from '../../compiler/ir/validate-pipeline-spec';

/**
 * Golden tests for the pipelines we ship: each pipelines/<name>.ts compiles to
 * test/pipelines/goldens/<name>.yaml. After an intended change, regenerate with
 * `REGENERATE_GOLDENS=1 npx jest test/pipelines` and review the diff; CI never sets it.
 */
const pipelinesDir = path.resolve(__dirname, '../../pipelines');
const goldensDir = path.join(__dirname, 'goldens');
const regenerate = process.env['REGENERATE_GOLDENS'] === '1' && process.env['CI'] !== 'true';
const files = fs.readdirSync(pipelinesDir).filter((f) => f.endsWith('.ts'));

describe.each(files)('pipelines/%s', (file) => {
  const module = require(path.join(pipelinesDir, file)) as { default?: unknown };
  const target = module.default;
  const golden = path.join(goldensDir, file.replace(/\.ts$/, '.yaml'));

  it('exports a pipeline that compiles to schema-valid IR equal to its golden', () => {
    if (!isComponent(target)) throw new Error(`pipelines/${file} has no default export of a pipeline`);
    const text = compileToYaml(target, { sdkVersion: 'kfp-ts-golden' });
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
