// The evaluate component's implementation, run in-process on tiny TFRecord shards and a small CNN
// trained for a few epochs with the train component's code.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compilePipeline } from '../../../../compiler';
import { evaluate } from '../../../../components/image-classifier/evaluate/component';
import { classificationMetricsProblems } from '../../../../compiler';
import { labelsSha256 } from '../../../../components/image-classifier/evaluate/model-files';
import { DEFAULT_MARGINS } from '../../../../components/image-classifier/evaluate/thresholds';
import {
  classifierCompileOptions,
  classifierImage,
  putClassifierCommandsOnPath,
  repoRoot,
} from '../../../support/classifier-compile-options';
import { CLASSES, tintedImages, trainTinyModel, writeDatasetFolder } from './tiny-image-classifier';

let workspace: string;
const artifact = (name: string) => {
  const where = path.join(workspace, name);
  return { uri: where, path: where, metadata: {} as Record<string, unknown> };
};
const outputArtifacts = (run: string) => ({
  metrics: artifact(`${run}/metrics`),
  classification: artifact(`${run}/classification`),
  reliability: artifact(`${run}/reliability.html`),
  modelCard: artifact(`${run}/model-card`),
});
const inputs = (overrides: { val?: string; test?: string; targetPrecision?: number; backend?: string } = {}) => ({
  model: artifact('model'),
  val: artifact(overrides.val ?? 'val'),
  test: artifact(overrides.test ?? 'test'),
  targetPrecision: overrides.targetPrecision ?? 0.9,
  bins: 15,
  // wasm, not auto: on a machine with a GPU, auto probes it and the probe may print native warnings.
  backend: overrides.backend ?? 'wasm',
});

/** Runs the implementation with console output captured. */
async function run(runName: string, overrides: Parameters<typeof inputs>[0] = {}) {
  const outputs = outputArtifacts(runName);
  const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const warns = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const result = await evaluate.implementation({ inputs: inputs(overrides), outputs });
    return { result, outputs, logLines: logs.mock.calls.map((c) => String(c[0])), warnLines: warns.mock.calls.map((c) => String(c[0])) };
  } finally {
    logs.mockRestore();
    warns.mockRestore();
  }
}

const VAL_IMAGES = 48;
const TEST_IMAGES = 48;

beforeAll(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-evaluate-component-'));
  const val = await tintedImages(VAL_IMAGES, 2);
  const test = await tintedImages(TEST_IMAGES, 3);
  writeDatasetFolder(artifact('val').path, 'val', val);
  writeDatasetFolder(artifact('test').path, 'test', test, CLASSES, 1);
  await trainTinyModel(artifact('model').path, await tintedImages(96, 1), val);
  // Every val image twice, with its own label and the next class's: any cut accepts both copies
  // (same confidence), so no cut's selective accuracy can exceed 0.5.
  writeDatasetFolder(artifact('val-conflicting').path, 'val', [
    ...val,
    ...val.map((image) => ({ ...image, label: (image.label + 1) % CLASSES.length })),
  ]);
  // The same test shards under a label map with two classes swapped.
  writeDatasetFolder(artifact('test-swapped').path, 'test', test, ['blue', 'gray', 'red', 'green'], 1);
}, 20_000);
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

describe('evaluate on a small trained model', () => {
  let outcome: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    outcome = await run('reached');
  });

  it('returns the output parameters as numbers in range, equal to the Metrics scalars', () => {
    const { result, outputs } = outcome;
    const metrics = outputs.metrics.metadata;
    expect(result.top1).toBeGreaterThan(0.5); // 4 classes: chance is 0.25
    expect(result.top1).toBeLessThanOrEqual(1);
    expect(result.top3).toBeGreaterThanOrEqual(result.top1);
    expect(result.top3).toBeLessThanOrEqual(1);
    expect(result.ece).toBeGreaterThanOrEqual(0);
    expect(metrics['val_nll']).toBeLessThanOrEqual(metrics['val_nll_uncalibrated'] as number); // T minimises the val NLL; T = 1 is a candidate
    expect(result.temperature).toBeGreaterThan(0.05);
    expect(result.temperature).toBeLessThan(100);
    expect(result.tau).toBeGreaterThan(0.25);
    expect(result.tau).toBeLessThan(1);
    expect(DEFAULT_MARGINS).toContain(result.margin);
    expect(metrics).toMatchObject({
      ...result,
      samples: TEST_IMAGES,
      val_samples: VAL_IMAGES,
      target_precision: 0.9,
      target_precision_reached: 1,
      temperature_clamped: 0,
    });
    expect(metrics['val_selective_accuracy']).toBeGreaterThanOrEqual(0.9);
    expect(outcome.logLines.at(-1)).toMatch(/^\[evaluate\] test: top-1 0\.\d{4}, top-3 /);
    expect(outcome.warnLines).toEqual([]);
  });

  it('writes flat numeric Metrics metadata and a JSON report with per-class metrics', () => {
    const { metrics } = outcome.outputs;
    for (const [name, value] of Object.entries(metrics.metadata)) {
      expect([name, typeof value, Number.isFinite(value)]).toEqual([name, 'number', true]);
    }
    const report = JSON.parse(fs.readFileSync(metrics.path, 'utf8'));
    expect(report.scalars).toEqual(metrics.metadata);
    expect(report.logitsSource).toBe('pre-softmax');
    expect(report.perClass.map((c: { label: string }) => c.label)).toEqual(CLASSES);
    expect(report.perClass.reduce((sum: number, c: { support: number }) => sum + c.support, 0)).toBe(TEST_IMAGES);
    expect(report.reliability.calibrated).toHaveLength(15);
    expect(report.validationRiskCoverage.map((s: { margin: number }) => s.margin)).toEqual(DEFAULT_MARGINS);
    expect(report.thresholds).toMatchObject({
      targetPrecision: 0.9,
      targetReached: true,
      tau: outcome.result.tau,
      margin: outcome.result.margin,
    });
  });

  it('writes ClassificationMetrics metadata in the KFP shape: a 4 × 4 confusion matrix over the test split and ROC points', () => {
    const { metadata } = outcome.outputs.classification;
    expect(classificationMetricsProblems(metadata)).toEqual([]);
    const matrix = metadata['confusionMatrix'] as { annotationSpecs: { displayName: string }[]; rows: { row: number[] }[] };
    expect(matrix.annotationSpecs).toEqual(CLASSES.map((displayName) => ({ displayName })));
    expect(matrix.rows.map(({ row }) => row.reduce((a, b) => a + b, 0))).toEqual([12, 12, 12, 12]); // tintedImages cycles the classes
    const diagonal = matrix.rows.reduce((sum, { row }, i) => sum + row[i]!, 0);
    expect(diagonal / TEST_IMAGES).toBe(outcome.result.top1);
    const roc = metadata['confidenceMetrics'] as { confidenceThreshold: number; recall: number; falsePositiveRate: number }[];
    expect(roc).toHaveLength(21);
    expect(roc[0]!.confidenceThreshold).toBe(1);
    expect(roc.at(-1)).toEqual({ confidenceThreshold: 0, recall: 1, falsePositiveRate: 1 });
    expect(JSON.parse(fs.readFileSync(outcome.outputs.classification.path, 'utf8'))).toEqual(metadata);
  });

  it('writes the reliability diagram before and after scaling as one self-contained HTML page', () => {
    const html = fs.readFileSync(outcome.outputs.reliability.path, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('before temperature scaling');
    expect(html).toContain(`after temperature scaling (T = ${outcome.result.temperature.toFixed(4)})`);
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('writes the model card folder: model.json with the thresholds and label_map.json with the same labels hash', () => {
    const { modelCard } = outcome.outputs;
    expect(fs.readdirSync(modelCard.path).sort()).toEqual(['label_map.json', 'model.json']);
    const modelJson = JSON.parse(fs.readFileSync(path.join(modelCard.path, 'model.json'), 'utf8'));
    const { tau, margin, temperature, top1, top3, ece } = outcome.result;
    expect(modelJson).toEqual({ version: 1, tau, margin, temperature, top1, top3, ece, labelsSha256: labelsSha256(CLASSES) });
    const labelMap = JSON.parse(fs.readFileSync(path.join(modelCard.path, 'label_map.json'), 'utf8'));
    expect(labelMap).toEqual({ labels: CLASSES, labelsSha256: labelsSha256(CLASSES) });
    expect(modelCard.metadata).toMatchObject({
      labels: CLASSES,
      labelsSha256: labelsSha256(CLASSES),
      targetPrecisionReached: true,
      warnings: [],
      logitsSource: 'pre-softmax',
    });
  });

  it('gives the same results when its compiled command runs it as a process (kfp-ts exec-component)', () => {
    const container = compilePipeline(evaluate, classifierCompileOptions()).deploymentSpec!.executors['exec-evaluate']!.container!;
    const local = (name: string) => ({ uri: path.join(workspace, 'exec', name), metadata: {} });
    const executorInput = {
      inputs: {
        parameterValues: { targetPrecision: 0.9, bins: 15, backend: 'wasm' },
        artifacts: Object.fromEntries(
          ['model', 'val', 'test'].map((name) => [name, { artifacts: [{ uri: artifact(name).path, metadata: {} }] }]),
        ),
      },
      outputs: {
        parameters: {},
        artifacts: Object.fromEntries(
          ['metrics', 'classification', 'reliability', 'modelCard'].map((name) => [name, { artifacts: [local(name)] }]),
        ),
        outputFile: path.join(workspace, 'exec', 'executor_output.json'),
      },
    };
    // As in its image: `kfp-ts` on PATH, run from the build context (the repository root).
    putClassifierCommandsOnPath();
    const [program, ...args] = container.command!;
    expect(program).toBe('kfp-ts');
    const child = spawnSync(program!, [...args, '--executor-input', JSON.stringify(executorInput)], {
      encoding: 'utf8',
      cwd: repoRoot,
      env: process.env,
    });
    expect([child.status, child.stderr]).toEqual([0, '']);
    const output = JSON.parse(fs.readFileSync(executorInput.outputs.outputFile, 'utf8'));
    expect(output.parameterValues).toEqual(outcome.result);
    expect(output.artifacts.metrics.artifacts[0].metadata).toEqual(outcome.outputs.metrics.metadata);
    expect(output.artifacts.classification.artifacts[0].metadata).toEqual(outcome.outputs.classification.metadata);
    expect(fs.readFileSync(path.join(workspace, 'exec', 'modelCard', 'model.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(outcome.outputs.modelCard.path, 'model.json'), 'utf8'),
    );
  });
});

it('falls back to tau = 1, margin = 0 and warns when the target precision is out of reach on val', async () => {
  const { result, outputs, warnLines } = await run('unreachable', { val: 'val-conflicting' });
  expect(result.tau).toBe(1);
  expect(result.margin).toBe(0);
  expect(outputs.metrics.metadata).toMatchObject({ tau: 1, margin: 0, target_precision_reached: 0, val_samples: 2 * VAL_IMAGES });
  expect(outputs.metrics.metadata['val_selective_accuracy']).toBeLessThanOrEqual(0.5);
  const warnings = outputs.modelCard.metadata['warnings'] as string[];
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    /^no confidence threshold reaches the target precision 0\.9 on the validation split \(96 images, .*falling back to tau = 1, margin = 0.*Lower targetPrecision/,
  );
  expect(warnLines).toEqual([`[evaluate] warning: ${warnings[0]}`]);
  expect(JSON.parse(fs.readFileSync(path.join(outputs.modelCard.path, 'model.json'), 'utf8'))).toMatchObject({ tau: 1, margin: 0 });
});

it("fails, naming both label maps and where they differ, when a Dataset does not share the model's label map", async () => {
  const attempt = run('mismatch', { test: 'test-swapped' });
  await expect(attempt).rejects.toThrow(
    /^label maps disagree, so the model's output columns cannot be matched to the Datasets' class indices:/,
  );
  await expect(attempt).rejects.toThrow(`the test Dataset (${artifact('test-swapped').path}): 4 classes [blue, gray, red, green]`);
  await expect(attempt).rejects.toThrow('class 2 is "green" in one and "red" in the other');
  await expect(attempt).rejects.toThrow(/Evaluate the model with the val and test Datasets of the preprocess run it was trained on/);
  expect(fs.existsSync(path.join(workspace, 'mismatch'))).toBe(false); // nothing written
});

it('rejects a bad backend or target precision before reading any data', async () => {
  await expect(run('bad-backend', { backend: 'webgl', val: 'missing' })).rejects.toThrow(
    /^backend must be one of auto, tensorflow, webgpu, wasm, cpu, got 'webgl'/,
  );
  await expect(run('bad-target', { targetPrecision: 1.5, val: 'missing' })).rejects.toThrow('targetPrecision must be in (0, 1], got 1.5');
});

it('compiles to a component with the declared artifact types, numeric output parameters and the exec-component command in the components image', () => {
  const spec = compilePipeline(evaluate, classifierCompileOptions());
  const component = spec.components!['comp-evaluate']!;
  const schema = (name: string) => component.outputDefinitions!.artifacts![name]!.artifactType.schemaTitle;
  expect(['metrics', 'classification', 'reliability', 'modelCard'].map(schema)).toEqual([
    'system.Metrics',
    'system.ClassificationMetrics',
    'system.HTML',
    'system.Artifact',
  ]);
  expect(Object.entries(component.outputDefinitions!.parameters!).map(([name, p]) => [name, p.parameterType])).toEqual(
    ['top1', 'top3', 'ece', 'tau', 'margin', 'temperature'].map((name) => [name, 'NUMBER_DOUBLE']),
  );
  expect(component.inputDefinitions!.parameters).toMatchObject({
    targetPrecision: { defaultValue: 0.9, isOptional: true, parameterType: 'NUMBER_DOUBLE' },
    bins: { defaultValue: 15, isOptional: true, parameterType: 'NUMBER_INTEGER' },
    backend: { defaultValue: 'auto', isOptional: true, parameterType: 'STRING' },
  });
  expect(spec.deploymentSpec!.executors['exec-evaluate']!.container).toEqual({
    image: classifierImage('components'),
    command: ['kfp-ts', 'exec-component', 'components/image-classifier/evaluate/component.ts', 'evaluate'],
    args: ['--executor-input', '{{$}}'],
  });
});
