// The CNN and its training loop on the wasm backend: a tiny two-class set of dark and bright
// 16×16 images is learnt in three epochs, reproducibly from the seed; early stopping restores
// the best epoch's weights; nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_AUGMENTATION } from '../../../../components/image-classifier/train/augment';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { buildCnn, DEFAULT_CNN, type CnnOptions } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { evaluateClassifier, lossAndAccuracy } from '../../../../components/image-classifier/train/predict';
import { trainClassifier, type EpochMetrics, type TrainOptions } from '../../../../components/image-classifier/train/training-loop';
import { syntheticImages } from './synthetic-shards';

const SIZE = 16;
const TINY_CNN: CnnOptions = {
  imageSize: SIZE,
  numClasses: 2,
  filters: 8,
  blocks: 2,
  kernelSize: 3,
  denseUnits: 16,
  dropout: 0.1,
  batchNorm: false,
  seed: 13,
};
const TRAINING: TrainOptions = {
  epochs: 3,
  batchSize: 8,
  learningRate: 0.01,
  patience: 0,
  imageSize: SIZE,
  numClasses: 2,
  augment: DEFAULT_AUGMENTATION,
  seed: 5,
};

let trainImages: LabelledImage[];
let valImages: LabelledImage[];

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  trainImages = await syntheticImages(64, SIZE, 1);
  valImages = await syntheticImages(16, SIZE, 2);
});

async function weightValues(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => [...(await w.data())]));
}

describe('buildCnn', () => {
  it('stacks conv blocks with doubling filters, global pooling, dropout, a hidden dense layer and a softmax', () => {
    const model = buildCnn({ ...TINY_CNN, imageSize: 64, numClasses: 5, ...DEFAULT_CNN });
    expect(model.layers.map((layer) => `${layer.name}:${layer.getClassName()}:${JSON.stringify(layer.outputShape)}`)).toEqual([
      'conv1:Conv2D:[null,64,64,16]',
      'pool1:MaxPooling2D:[null,32,32,16]',
      'conv2:Conv2D:[null,32,32,32]',
      'pool2:MaxPooling2D:[null,16,16,32]',
      'conv3:Conv2D:[null,16,16,64]',
      'global_pool:GlobalAveragePooling2D:[null,64]',
      'dropout_hidden:Dropout:[null,64]',
      'hidden:Dense:[null,64]',
      'dropout_output:Dropout:[null,64]',
      'probabilities:Dense:[null,5]',
    ]);
    // 3·3·(3·16 + 16·32 + 32·64) + 16 + 32 + 64 biases, dense 64·64 + 64, output 64·5 + 5.
    expect(model.countParams()).toBe(9 * (48 + 512 + 2048) + 112 + 4160 + 325);
    model.dispose();
  });

  it('puts batch normalisation between each convolution and its ReLU when asked', () => {
    const model = buildCnn({ ...TINY_CNN, batchNorm: true, denseUnits: 0, dropout: 0 });
    expect(model.layers.map((layer) => `${layer.name}:${layer.getClassName()}`)).toEqual([
      'conv1:Conv2D',
      'norm1:BatchNormalization',
      'relu1:Activation',
      'pool1:MaxPooling2D',
      'conv2:Conv2D',
      'norm2:BatchNormalization',
      'relu2:Activation',
      'global_pool:GlobalAveragePooling2D',
      'probabilities:Dense',
    ]);
    // No conv biases (batch norm's beta replaces them); gamma, beta and the two moving statistics per channel.
    expect(model.countParams()).toBe(9 * (3 * 8 + 8 * 16) + 4 * (8 + 16) + 16 * 2 + 2);
    model.dispose();
  });

  it('gives the same initial weights for the same seed', async () => {
    const [a, b, c] = [buildCnn(TINY_CNN), buildCnn(TINY_CNN), buildCnn({ ...TINY_CNN, seed: 14 })];
    expect(await weightValues(b)).toEqual(await weightValues(a));
    expect((await weightValues(c))[0]).not.toEqual((await weightValues(a))[0]);
    [a, b, c].forEach((model) => model.dispose());
  });

  it('rejects sizes it cannot build, saying which and why', () => {
    expect(() => buildCnn({ ...TINY_CNN, numClasses: 1 })).toThrow('numClasses must be a whole number in [2, 100000], got 1');
    expect(() => buildCnn({ ...TINY_CNN, imageSize: 8, blocks: 5 })).toThrow(
      'imageSize must be a whole number in [16, 4096], got 8; 5 blocks pool the input 4 times',
    );
    expect(() => buildCnn({ ...TINY_CNN, dropout: 1 })).toThrow('dropout must be in [0, 1), got 1');
  });
});

describe('trainClassifier', () => {
  it('learns dark vs bright in three epochs, reproducibly from the seed, without leaking tensors', async () => {
    const run = async () => {
      const model = buildCnn(TINY_CNN);
      const tensorsBefore = tf.memory().numTensors;
      const result = await trainClassifier(model, trainImages, valImages, TRAINING);
      const leaked = tf.memory().numTensors - tensorsBefore;
      const weights = await weightValues(model);
      const validation = await evaluateClassifier(model, valImages, { imageSize: SIZE, batchSize: 8 });
      model.dispose();
      return { result, leaked, weights, validation };
    };
    const first = await run();
    const { history, best } = first.result;
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(first.result.epochsRun).toBe(3);
    expect(first.result.stoppedEarly).toBe(false);
    expect(history[2]!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(best.valAccuracy).toBeGreaterThanOrEqual(0.9); // chance is 0.5
    expect(first.validation.accuracy).toBe(best.valAccuracy); // the model holds the best epoch's weights
    expect(first.validation.loss).toBeCloseTo(best.valLoss, 6);
    expect(first.leaked).toBe(0);

    const second = await run();
    const untimed = ({ seconds, endedAt, trainImagesPerSecond, dataWaitSeconds, dataWaitShare, ...m }: EpochMetrics) => m;
    expect(second.result.history.map(untimed)).toEqual(history.map(untimed));
    expect(second.weights).toEqual(first.weights);
  }, 20_000);

  it('also learns with batch normalisation, whose moving statistics settle fast enough for validation', async () => {
    const model = buildCnn({ ...TINY_CNN, batchNorm: true });
    const result = await trainClassifier(model, trainImages, valImages, TRAINING);
    expect(result.best.valAccuracy).toBeGreaterThanOrEqual(0.9);
    model.dispose();
  }, 20_000);

  it('stops after `patience` epochs without a lower val loss and restores the best epoch', async () => {
    // Val labels swapped: the better the model learns the train set, the worse its val loss.
    const swapped = valImages.map((image) => ({ ...image, label: 1 - image.label }));
    const model = buildCnn(TINY_CNN);
    const lines: string[] = [];
    const result = await trainClassifier(model, trainImages, swapped, {
      ...TRAINING,
      epochs: 6,
      patience: 2,
      augment: undefined,
      log: (line) => lines.push(line),
    });
    expect(result.history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(result.stoppedEarly).toBe(true);
    expect(result.best.epoch).toBe(1);
    expect(lines).toContain('early stopping: val loss has not improved for 2 epoch(s) since epoch 1');
    expect(lines.at(-1)).toMatch(/^restoring the weights of epoch 1 \(val loss \d\.\d{4}\)$/);
    const restored = await evaluateClassifier(model, swapped, { imageSize: SIZE, batchSize: 16 });
    expect(restored.loss).toBeCloseTo(result.history[0]!.valLoss, 6);
    model.dispose();
  }, 20_000);

  it('checks its options and inputs before training', async () => {
    const model = buildCnn(TINY_CNN);
    await expect(trainClassifier(model, trainImages, valImages, { ...TRAINING, learningRate: 0 })).rejects.toThrow(
      "learningRate must be in (0, 1), got 0; Adam's usual value is 0.001.",
    );
    await expect(trainClassifier(model, trainImages, [], TRAINING)).rejects.toThrow('the val split has no images');
    model.dispose();
  });
});

describe('lossAndAccuracy', () => {
  it('is the mean clipped cross-entropy and the top-1 hit rate', () => {
    const probabilities = new Float32Array([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0, 1]);
    const { loss, accuracy } = lossAndAccuracy(probabilities, [0, 1, 1, 0], 2);
    expect(accuracy).toBe(0.5);
    const expected = -(Math.log(Math.fround(0.9)) + Math.log(Math.fround(0.8)) + Math.log(Math.fround(0.4)) + Math.log(1e-7)) / 4;
    expect(loss).toBeCloseTo(expected, 7);
  });
});
