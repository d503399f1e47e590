// The training loop with decode worker threads: the same training as on the main thread, the
// data-wait share in every epoch's metrics and log line, and no thread left running however the
// run ends (all epochs, early stopping, a decode error).
import * as tf from '@tensorflow/tfjs';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { BatchWorkerPool } from '../../../../components/image-classifier/train/batch-worker-pool';
import { buildCnn } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { trainClassifier, type EpochMetrics, type TrainOptions } from '../../../../components/image-classifier/train/training-loop';
import { TINY_CNN, TINY_TRAINING, tinySplits } from './tiny-classifier';

const TRAINING: TrainOptions = { ...TINY_TRAINING, epochs: 2 };

let trainImages: LabelledImage[];
let valImages: LabelledImage[];

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  ({ train: trainImages, val: valImages } = await tinySplits(48, 16));
});

/** Trains a fresh model, returning what it learnt, its log, and the worker pool it started (if any). */
async function train(options: Partial<TrainOptions>, images = trainImages, val = valImages) {
  const start = jest.spyOn(BatchWorkerPool, 'start');
  const model = buildCnn(TINY_CNN);
  const lines: string[] = [];
  try {
    const result = await trainClassifier(model, images, val, { ...TRAINING, ...options, log: (line) => lines.push(line) });
    const weights = await Promise.all(model.getWeights().map(async (w) => [...(await w.data())]));
    return { result, weights, lines, pools: await Promise.all(start.mock.results.map((r) => r.value as Promise<BatchWorkerPool>)) };
  } finally {
    start.mockRestore();
    model.dispose();
  }
}

const untimed = ({ seconds, endedAt, trainImagesPerSecond, dataWaitSeconds, dataWaitShare, ...m }: EpochMetrics) => m;

it('trains exactly as on the main thread, and records the data wait of each epoch', async () => {
  const inWorkers = await train({ decodeWorkers: 2 });
  const onMainThread = await train({ decodeWorkers: 0 });
  expect(inWorkers.result.history.map(untimed)).toEqual(onMainThread.result.history.map(untimed));
  expect(inWorkers.weights).toEqual(onMainThread.weights);

  expect(inWorkers.pools).toHaveLength(1);
  expect(inWorkers.pools[0]!.size).toBe(2);
  expect(inWorkers.pools[0]!.runningThreads).toBe(0);
  expect(onMainThread.pools).toHaveLength(0);
  expect(inWorkers.lines[0]).toBe('input pipeline: 2 decode worker thread(s), prefetch 2');
  expect(onMainThread.lines[0]).toBe('input pipeline: batches made on the main thread, prefetch 1');
  for (const metrics of [...inWorkers.result.history, ...onMainThread.result.history]) {
    expect(metrics.dataWaitSeconds).toBeGreaterThanOrEqual(0);
    expect(metrics.dataWaitShare).toBeGreaterThanOrEqual(0);
    expect(metrics.dataWaitShare).toBeLessThanOrEqual(1);
    expect(metrics.dataWaitSeconds).toBeLessThanOrEqual(metrics.seconds);
  }
  const epochLines = inWorkers.lines.filter((line) => line.startsWith('epoch '));
  expect(epochLines).toHaveLength(2);
  for (const line of epochLines) expect(line).toMatch(/ s, \d+\.\d img\/s, data wait \d+%( \| best so far)?$/);
}, 30_000);

it('ends the worker threads when training stops early', async () => {
  const swapped = valImages.map((image) => ({ ...image, label: 1 - image.label })); // val loss rises as the model learns
  const { result, pools } = await train({ decodeWorkers: 2, epochs: 6, patience: 1, augment: undefined }, trainImages, swapped);
  expect(result.stoppedEarly).toBe(true);
  expect(pools[0]!.runningThreads).toBe(0);
});

it('fails with the undecodable image named, ends the worker threads and leaks no tensors', async () => {
  const broken = [...trainImages.slice(0, 20), { encoded: Buffer.from('truncated'), label: 0, filename: 'broken.png' }];
  const start = jest.spyOn(BatchWorkerPool, 'start');
  const model = buildCnn(TINY_CNN);
  const tensorsBefore = tf.memory().numTensors;
  try {
    await expect(trainClassifier(model, broken, valImages, { ...TRAINING, decodeWorkers: 2 })).rejects.toThrow(
      /^cannot decode image 20 \(broken\.png\): /,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect((await (start.mock.results[0]!.value as Promise<BatchWorkerPool>)).runningThreads).toBe(0);
  } finally {
    start.mockRestore();
    model.dispose();
  }
}, 30_000);

it('checks the input pipeline options before starting any thread', async () => {
  const model = buildCnn(TINY_CNN);
  try {
    await expect(trainClassifier(model, trainImages, valImages, { ...TRAINING, decodeWorkers: -1 })).rejects.toThrow(
      'decodeWorkers must be a whole number in [0, 64] (0 decodes on the main thread), got -1.',
    );
    await expect(trainClassifier(model, trainImages, valImages, { ...TRAINING, prefetch: 1.5 })).rejects.toThrow(
      'prefetch must be a whole number ≥ 0 (batches made ahead of the step), got 1.5.',
    );
  } finally {
    model.dispose();
  }
});
