// The train component's implementation, run in-process end to end on tiny preprocess-style shards.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { train } from '../../../../components/image-classifier/train/component';
import { readImageDataset } from '../../../../components/image-classifier/train/image-dataset';
import { evaluateClassifier } from '../../../../components/image-classifier/train/predict';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { syntheticImages, writeDatasetFolder } from './synthetic-shards';

const SIZE = 16;
let workspace: string;

const artifact = (name: string) => {
  const where = path.join(workspace, name);
  return { uri: where, path: where, metadata: {} as Record<string, unknown> };
};

/** Small but complete inputs; kernelSize, batchNorm and backend at their defaults (the executor always passes a value). */
const inputs = (overrides: Record<string, unknown> = {}) => ({
  train: artifact('train'),
  val: artifact('val'),
  epochs: 3,
  batchSize: 8,
  learningRate: 0.01,
  imageSize: SIZE,
  filters: 8,
  blocks: 2,
  kernelSize: 3,
  denseUnits: 16,
  dropout: 0.1,
  batchNorm: false,
  augment: true,
  patience: 2,
  backend: 'auto',
  seed: 13,
  ...overrides,
});

beforeAll(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-train-component-'));
  writeDatasetFolder(path.join(workspace, 'train'), 'train', await syntheticImages(64, SIZE, 1), SIZE, 2);
  writeDatasetFolder(path.join(workspace, 'val'), 'val', await syntheticImages(16, SIZE, 2), SIZE, 1);
});
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

it('trains on the shards and writes the Model folder, the Metrics artifact and the output parameters', async () => {
  const outputs = { model: artifact('model'), metrics: artifact('metrics') };
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  let result;
  let lines: string[];
  try {
    result = await train.implementation({ inputs: inputs(), outputs });
  } finally {
    lines = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
  }
  expect(lines[0]).toBe('[train] train: 64 images in 2 shard(s); val: 16; classes: dark, bright');
  const backendLine = lines.find((line) => line.startsWith('[train] tfjs backend: '));
  expect(backendLine).toMatch(/^\[train\] tfjs backend: wasm on .+ \(one core\) \(auto: wasm initialised \(one core, SIMD where Node supports it\); skipped tensorflow: .*; skipped webgpu: .*\)$/);
  expect(result!).toMatchObject({ trainingBackend: 'wasm', trainingDevice: expect.stringMatching(/\(one core\)$/) });
  expect(lines.filter((line) => line.startsWith('[train] epoch '))).toHaveLength(3);

  expect(result!.epochsRun).toBe(3);
  expect(result!.valAccuracy).toBeGreaterThanOrEqual(0.9);
  expect(fs.readdirSync(outputs.model.path).sort()).toEqual(['label_map.json', 'model.json', 'preprocessing.json', 'weights.bin']);
  expect(outputs.model.metadata).toMatchObject({
    framework: 'tensorflow.js',
    format: 'layers-model',
    backend: 'wasm',
    device: result!.trainingDevice,
    labels: ['dark', 'bright'],
    numClasses: 2,
    imageSize: SIZE,
    valAccuracy: result!.valAccuracy,
    hyperparameters: { epochs: 3, kernelSize: 3, batchNorm: false, backend: 'auto', seed: 13 },
  });

  const metrics = outputs.metrics.metadata as Record<string, unknown> & { curves: Record<string, number[]> };
  expect(metrics).toMatchObject({ valAccuracy: result!.valAccuracy, epochsRun: 3, stoppedEarly: false, backend: 'wasm' });
  expect(Object.keys(metrics.curves)).toEqual(['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds']);
  expect(metrics.curves['epoch']).toEqual([1, 2, 3]);
  expect(metrics.curves['valAccuracy']![(metrics['bestEpoch'] as number) - 1]).toBe(result!.valAccuracy);
  const metricsFile = JSON.parse(fs.readFileSync(outputs.metrics.path, 'utf8'));
  expect(metricsFile.history).toHaveLength(3);
  expect(metricsFile.valLoss).toBe(metrics['valLoss']);

  // What the evaluate step will do: load the folder and score the val split again.
  const trained = await loadTrainedModel(outputs.model.path);
  const val = readImageDataset(path.join(workspace, 'val'));
  const scored = await evaluateClassifier(trained.model, val.images, { imageSize: trained.preprocessing.imageSize, batchSize: 8 });
  expect(scored.accuracy).toBe(result!.valAccuracy);
  expect(scored.loss).toBeCloseTo(metrics['valLoss'] as number, 6);
  trained.model.dispose();
}, 30_000);

it('rejects an unknown backend before reading any data', async () => {
  const outputs = { model: artifact('model-x'), metrics: artifact('metrics-x') };
  await expect(train.implementation({ inputs: inputs({ backend: 'cuda', train: artifact('no-such-folder') }), outputs })).rejects.toThrow(
    "backend must be one of auto, tensorflow, webgpu, wasm, cpu, got 'cuda'",
  );
});

it('rejects train and val splits with different label maps', async () => {
  const other = path.join(workspace, 'other-val');
  writeDatasetFolder(other, 'val', await syntheticImages(2, SIZE, 4), SIZE, 1);
  fs.writeFileSync(path.join(other, 'label_map.json'), '{"0": "bright", "1": "dark"}\n');
  const outputs = { model: artifact('model-y'), metrics: artifact('metrics-y') };
  await expect(train.implementation({ inputs: inputs({ val: artifact('other-val') }), outputs })).rejects.toThrow('the train and val Datasets have different label maps');
});
