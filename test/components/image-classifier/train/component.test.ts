// The train component's implementation, run in-process end to end on tiny preprocess-style shards.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { train } from '../../../../components/image-classifier/train/component';
import { readImageDataset } from '../../../../components/image-classifier/train/image-dataset';
import { evaluateClassifier } from '../../../../components/image-classifier/train/predict';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { readEventFile } from '../lib/tensorboard/tfevents-reader';
import { syntheticImages, writeDatasetFolder } from './synthetic-shards';
import { RECIPE_DEFAULTS } from '../../../../components/image-classifier/train/recipe';

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
  baseModel: undefined,
  headEpochs: 5,
  fineTuneLearningRateFactor: 0.1,
  ...RECIPE_DEFAULTS,
  architecture: 'small-cnn',
  ...overrides,
});

beforeAll(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-train-component-'));
  writeDatasetFolder(path.join(workspace, 'train'), 'train', await syntheticImages(64, SIZE, 1), SIZE, 2);
  writeDatasetFolder(path.join(workspace, 'val'), 'val', await syntheticImages(16, SIZE, 2), SIZE, 1);
});
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

/** Runs `body` with AIP_TENSORBOARD_LOG_DIR set (or unset, for undefined), restoring it after. */
async function withTensorBoardLogDir<T>(value: string | undefined, body: () => T | Promise<T>): Promise<T> {
  const saved = process.env['AIP_TENSORBOARD_LOG_DIR'];
  if (value === undefined) delete process.env['AIP_TENSORBOARD_LOG_DIR'];
  else process.env['AIP_TENSORBOARD_LOG_DIR'] = value;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env['AIP_TENSORBOARD_LOG_DIR'];
    else process.env['AIP_TENSORBOARD_LOG_DIR'] = saved;
  }
}

/** The one event file of each TensorBoard run folder under `logDir`. */
function eventFiles(logDir: string): Record<string, Buffer> {
  expect(fs.readdirSync(logDir).sort()).toEqual(['train', 'validation']);
  return Object.fromEntries(
    ['train', 'validation'].map((run) => {
      const names = fs.readdirSync(path.join(logDir, run));
      expect(names).toEqual([expect.stringMatching(/^events\.out\.tfevents\.\d{10}\..+$/)]);
      return [run, fs.readFileSync(path.join(logDir, run, names[0]!))];
    }),
  );
}

it('trains on the shards and writes the Model folder, the Metrics artifact and the output parameters', async () => {
  const outputs = { model: artifact('model'), metrics: artifact('metrics') };
  const vertexLogDir = path.join(workspace, 'vertex-tensorboard');
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  let result: Awaited<ReturnType<typeof train.implementation>> | undefined;
  let lines: string[];
  try {
    result = await withTensorBoardLogDir(vertexLogDir, () => train.implementation({ inputs: inputs(), outputs }));
  } finally {
    lines = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
  }
  expect(lines[0]).toBe('[train] train: 64 images in 2 shard(s); val: 16; classes: dark, bright');
  const backendLine = lines.find((line) => line.startsWith('[train] tfjs backend: '));
  expect(backendLine).toMatch(
    /^\[train\] tfjs backend: wasm on .+ \(one core\) \(auto: wasm initialised \(one core, SIMD where Node supports it\); skipped tensorflow: .*; skipped webgpu: .*\)$/,
  );
  expect(result!).toMatchObject({ trainingBackend: 'wasm', trainingDevice: expect.stringMatching(/\(one core\)$/) });
  expect(lines.filter((line) => line.startsWith('[train] epoch '))).toHaveLength(3);

  expect(result!.epochsRun).toBe(3);
  expect(result!.valAccuracy).toBeGreaterThanOrEqual(0.9);
  expect(fs.readdirSync(outputs.model.path).sort()).toEqual(['label_map.json', 'logs', 'model.json', 'preprocessing.json', 'weights.bin']);
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
  expect(Object.keys(metrics.curves)).toEqual(['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds', 'learningRate']);
  expect(metrics.curves['epoch']).toEqual([1, 2, 3]);
  // One epoch of warm-up to learningRate, then the cosine decay reaches 0 at the last step.
  const rates = metrics.curves['learningRate'] as number[];
  expect(rates[0]).toBeCloseTo(0.01, 10);
  expect(rates[1]).toBeLessThan(0.01);
  expect(rates[1]).toBeGreaterThan(0);
  expect(rates[2]).toBeCloseTo(0, 10);
  for (const series of Object.values(metrics.curves)) expect(series).toHaveLength(3);
  expect(metrics.curves['valAccuracy']![(metrics['bestEpoch'] as number) - 1]).toBe(result!.valAccuracy);
  const metricsFile = JSON.parse(fs.readFileSync(outputs.metrics.path, 'utf8'));
  expect(metricsFile.history).toHaveLength(3);
  expect(metricsFile.valLoss).toBe(metrics['valLoss']);

  // TensorBoard: Keras' layout and tags, one event per epoch and series, values as float32.
  type Epoch = {
    epoch: number;
    endedAt: number;
    trainLoss: number;
    trainAccuracy: number;
    valLoss: number;
    valAccuracy: number;
    learningRate: number;
  };
  const history = metricsFile.history as Epoch[];
  const files = eventFiles(path.join(outputs.model.path, 'logs'));
  const expected = (series: (m: Epoch) => [string, number][]) =>
    history.flatMap((m) =>
      series(m).map(([tag, value]) => ({
        wallTime: m.endedAt,
        step: BigInt(m.epoch),
        summary: [{ tag, simpleValue: Math.fround(value) }],
      })),
    );
  const runs: [string, (m: Epoch) => [string, number][]][] = [
    [
      'train',
      (m) => [
        ['epoch_loss', m.trainLoss],
        ['epoch_accuracy', m.trainAccuracy],
        ['epoch_learning_rate', m.learningRate],
      ],
    ],
    [
      'validation',
      (m) => [
        ['epoch_loss', m.valLoss],
        ['epoch_accuracy', m.valAccuracy],
      ],
    ],
  ];
  for (const [run, series] of runs) {
    const [first, ...scalars] = readEventFile(files[run]!);
    expect(first!.fileVersion).toBe('brain.Event:2');
    expect(first!.wallTime).toBeLessThanOrEqual(history[0]!.endedAt);
    expect(scalars).toEqual(expected(series));
  }
  // The same files in the folder Vertex AI names for its TensorBoard.
  expect(eventFiles(vertexLogDir)).toEqual(files);
  expect(lines).toContain(`[train] TensorBoard curves also written to AIP_TENSORBOARD_LOG_DIR ${vertexLogDir}`);

  // What the evaluate step will do: load the folder and score the val split again.
  const trained = await loadTrainedModel(outputs.model.path);
  const val = readImageDataset(path.join(workspace, 'val'));
  const scored = await evaluateClassifier(trained.model, val.images, { imageSize: trained.preprocessing.imageSize, batchSize: 8 });
  expect(scored.accuracy).toBe(result!.valAccuracy);
  expect(scored.loss).toBeCloseTo(metrics['valLoss'] as number, 6);
  trained.model.dispose();
}, 30_000);

it('keeps the trained model when AIP_TENSORBOARD_LOG_DIR cannot be written, and says so', async () => {
  const outputs = { model: artifact('model-w'), metrics: artifact('metrics-w') };
  const blocker = path.join(workspace, 'not-a-folder');
  fs.writeFileSync(blocker, 'a file where the log folder should go');
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  let lines: string[];
  try {
    await withTensorBoardLogDir(path.join(blocker, 'logs'), () => train.implementation({ inputs: inputs({ epochs: 1 }), outputs }));
  } finally {
    lines = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
  }
  expect(fs.existsSync(path.join(outputs.model.path, 'model.json'))).toBe(true);
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^\[train\] warning: could not write the TensorBoard curves to AIP_TENSORBOARD_LOG_DIR .*not-a-folder\/logs \(they are in .*model-w\/logs\): /,
    ),
  );
}, 30_000);

it('rejects an AIP_TENSORBOARD_LOG_DIR that names no bucket before reading any data', async () => {
  const outputs = { model: artifact('model-z'), metrics: artifact('metrics-z') };
  await expect(
    withTensorBoardLogDir('gs:///logs', () => train.implementation({ inputs: inputs({ train: artifact('no-such-folder') }), outputs })),
  ).rejects.toThrow(
    "AIP_TENSORBOARD_LOG_DIR 'gs:///logs' names no bucket: expected gs://BUCKET/PATH; set it to a folder such as gs://my-bucket/tensorboard/run-1",
  );
  expect(fs.existsSync(outputs.model.path)).toBe(false);
});

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
  await expect(train.implementation({ inputs: inputs({ val: artifact('other-val') }), outputs })).rejects.toThrow(
    'the train and val Datasets have different label maps',
  );
});
