// A tiny CNN and a dark-vs-bright image set it learns in a few epochs on wasm: what the training
// loop's tests train. (train-classifier.test.ts still spells the same setup out; it can import this.)
import { DEFAULT_AUGMENTATION } from '../../../../components/image-classifier/train/augment';
import type { CnnOptions } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import type { TrainOptions } from '../../../../components/image-classifier/train/training-loop';
import { syntheticImages } from './synthetic-shards';

export const TINY_SIZE = 16;
export const TINY_CNN: CnnOptions = {
  imageSize: TINY_SIZE,
  numClasses: 2,
  filters: 8,
  blocks: 2,
  kernelSize: 3,
  denseUnits: 16,
  dropout: 0.1,
  batchNorm: false,
  seed: 13,
};
export const TINY_TRAINING: TrainOptions = {
  epochs: 3,
  batchSize: 8,
  learningRate: 0.01,
  patience: 0,
  imageSize: TINY_SIZE,
  numClasses: 2,
  augment: DEFAULT_AUGMENTATION,
  seed: 5,
};

/** `trainCount` train and `valCount` val images, alternating classes, from fixed seeds. */
export async function tinySplits(trainCount = 64, valCount = 16): Promise<{ train: LabelledImage[]; val: LabelledImage[] }> {
  return { train: await syntheticImages(trainCount, TINY_SIZE, 1), val: await syntheticImages(valCount, TINY_SIZE, 2) };
}
