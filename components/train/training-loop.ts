/**
 * The training loop: Adam on categorical cross-entropy, one `trainOnBatch` per prefetched batch,
 * validation loss and accuracy after every epoch, and early stopping on the validation loss with
 * `patience`, after which the weights of the best epoch are restored.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentOptions } from './augment';
import { imageBatches } from './image-batches';
import type { LabelledImage } from './image-dataset';
import { evaluateClassifier } from './predict';

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs without a lower validation loss before stopping; 0 never stops early. */
  readonly patience: number;
  readonly imageSize: number;
  readonly numClasses: number;
  /** Applied to training batches only; omit to train on the stored pixels. */
  readonly augment?: AugmentOptions;
  readonly seed: number;
  /** Batches decoded ahead of the training step. Default 1. */
  readonly prefetch?: number;
  readonly log?: (line: string) => void;
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  /** Means over the epoch's batches, with dropout and augmentation on (as Keras reports them). */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  /** Wall time of the epoch, validation included. */
  readonly seconds: number;
  /** Training images per second of the epoch's training phase (decode, augmentation and steps). */
  readonly trainImagesPerSecond: number;
}

export interface TrainingResult {
  readonly history: readonly EpochMetrics[];
  /** The epoch whose weights the model holds now. */
  readonly best: EpochMetrics;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
}

export function validateTrainOptions(options: TrainOptions): void {
  const { epochs, batchSize, learningRate, patience } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a whole number ≥ 1, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a whole number ≥ 1, got ${batchSize}; 32 is usual.`);
  if (!(learningRate > 0 && learningRate < 1)) throw new Error(`learningRate must be in (0, 1), got ${learningRate}; Adam's usual value is 0.001.`);
  if (!Number.isInteger(patience) || patience < 0) throw new Error(`patience must be a whole number ≥ 0 (0 never stops early), got ${patience}.`);
}

const format = (value: number) => value.toFixed(4);

export async function trainClassifier(
  model: tf.LayersModel,
  train: readonly LabelledImage[],
  val: readonly LabelledImage[],
  options: TrainOptions,
): Promise<TrainingResult> {
  validateTrainOptions(options);
  if (train.length === 0) throw new Error('the train split has no images; check the preprocess step\'s split fractions and its data-quality report.');
  if (val.length === 0) throw new Error('the val split has no images, and early stopping needs a validation loss; give preprocess a val fraction > 0.');
  const { imageSize, numClasses, batchSize, log = () => undefined } = options;
  // Owned here and freed at the end (a model does not dispose an optimizer it was handed): compile
  // the model again to train it further.
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const history: EpochMetrics[] = [];
  let best: EpochMetrics | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      let lossSum = 0;
      let accuracySum = 0;
      const batches = imageBatches(train, { batchSize, imageSize, shuffle: true, augment: options.augment, seed: options.seed, epoch, prefetch: options.prefetch });
      for await (const batch of batches) {
        const x = tf.tensor4d(batch.images, [batch.count, imageSize, imageSize, 3]);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses));
        try {
          const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
          lossSum += loss! * batch.count;
          accuracySum += accuracy! * batch.count;
        } finally {
          tf.dispose([x, y]);
        }
      }
      const trainSeconds = (performance.now() - started) / 1000;
      const validation = await evaluateClassifier(model, val, { imageSize, batchSize });
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / train.length,
        trainAccuracy: accuracySum / train.length,
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: (performance.now() - started) / 1000,
        trainImagesPerSecond: train.length / trainSeconds,
      };
      history.push(metrics);
      const improved = best === undefined || metrics.valLoss < best.valLoss;
      if (improved) {
        best = metrics;
        tf.dispose(bestWeights);
        // Clones keep this epoch's values: the optimizer replaces the variables' data on each step.
        bestWeights = model.getWeights().map((weight) => weight.clone());
      }
      log(
        `epoch ${epoch}/${options.epochs}: loss ${format(metrics.trainLoss)} acc ${format(metrics.trainAccuracy)} | ` +
          `val loss ${format(metrics.valLoss)} acc ${format(metrics.valAccuracy)} | ${metrics.seconds.toFixed(1)} s, ` +
          `${metrics.trainImagesPerSecond.toFixed(1)} img/s${improved ? ' | best so far' : ''}`,
      );
      if (options.patience > 0 && epoch - best!.epoch >= options.patience && epoch < options.epochs) {
        stoppedEarly = true;
        log(`early stopping: val loss has not improved for ${options.patience} epoch(s) since epoch ${best!.epoch}`);
        break;
      }
    }
    if (best!.epoch !== history.length) log(`restoring the weights of epoch ${best!.epoch} (val loss ${format(best!.valLoss)})`);
    model.setWeights(bestWeights!);
  } finally {
    tf.dispose(bestWeights);
    optimizer.dispose();
  }
  return { history, best: best!, epochsRun: history.length, stoppedEarly };
}
