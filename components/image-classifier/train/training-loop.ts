/**
 * The training loop: Adam on categorical cross-entropy, one `trainOnBatch` per prefetched batch,
 * validation loss and accuracy after every epoch, and early stopping on the validation loss with
 * `patience`, after which the weights of the best epoch are restored. Training batches are made by
 * decode worker threads (started once per run, ended however the run ends) while the step runs,
 * and each epoch records how long the step waited for them.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentOptions } from './augment';
import { BatchWorkerPool, defaultDecodeWorkers, validateDecodeWorkers } from './batch-worker-pool';
import { consumeTimingWaits } from './data-wait';
import { imageBatches, type ImageBatch } from './image-batches';
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
  /**
   * Worker threads making training batches (decode, augmentation, float conversion) off the main
   * thread; 0 makes them on the main thread. Default: one fewer than the cores, at most 4 (0 on one core).
   */
  readonly decodeWorkers?: number;
  /** Batches in production ahead of the training step. Default: the number of decode workers, at least 1. */
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
  /** When the epoch ended (validation included), in seconds since the Unix epoch: TensorBoard's wall_time. */
  readonly endedAt: number;
  /** Adam's learning rate during the epoch (constant: the loop has no schedule). */
  readonly learningRate: number;
  /** Training images per second of the epoch's training phase (decode, augmentation and steps). */
  readonly trainImagesPerSecond: number;
  /** Time the training phase spent awaiting its next batch, the step idle. */
  readonly dataWaitSeconds: number;
  /** dataWaitSeconds as a share of the training phase, in [0, 1]: near 0 the input keeps up. */
  readonly dataWaitShare: number;
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
  if (options.decodeWorkers !== undefined) validateDecodeWorkers(options.decodeWorkers);
  const { prefetch } = options;
  if (prefetch !== undefined && (!Number.isInteger(prefetch) || prefetch < 0)) throw new Error(`prefetch must be a whole number ≥ 0 (batches made ahead of the step), got ${prefetch}.`);
}

const format = (value: number) => value.toFixed(4);
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** One epoch's training phase: every batch through trainOnBatch, with the mean loss and accuracy. */
async function trainOneEpoch(model: tf.LayersModel, batches: AsyncIterable<ImageBatch>, imageCount: number, options: TrainOptions) {
  const { imageSize, numClasses } = options;
  let lossSum = 0;
  let accuracySum = 0;
  const wait = await consumeTimingWaits(batches, async (batch) => {
    const x = tf.tensor4d(batch.images, [batch.count, imageSize, imageSize, 3]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses));
    try {
      const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
      lossSum += loss! * batch.count;
      accuracySum += accuracy! * batch.count;
    } finally {
      tf.dispose([x, y]);
    }
  });
  return { loss: lossSum / imageCount, accuracy: accuracySum / imageCount, wait };
}

export async function trainClassifier(
  model: tf.LayersModel,
  train: readonly LabelledImage[],
  val: readonly LabelledImage[],
  options: TrainOptions,
): Promise<TrainingResult> {
  validateTrainOptions(options);
  if (train.length === 0) throw new Error('the train split has no images; check the preprocess step\'s split fractions and its data-quality report.');
  if (val.length === 0) throw new Error('the val split has no images, and early stopping needs a validation loss; give preprocess a val fraction > 0.');
  const { imageSize, batchSize, log = () => undefined } = options;
  const decodeWorkers = options.decodeWorkers ?? defaultDecodeWorkers();
  const prefetch = options.prefetch ?? Math.max(1, decodeWorkers);
  // Owned here and freed at the end (a model does not dispose an optimizer it was handed): compile
  // the model again to train it further.
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const history: EpochMetrics[] = [];
  let best: EpochMetrics | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  let workers: BatchWorkerPool | undefined;
  try {
    workers = decodeWorkers > 0 ? await BatchWorkerPool.start(train, decodeWorkers) : undefined;
    log(`input pipeline: ${decodeWorkers > 0 ? `${decodeWorkers} decode worker thread(s)` : 'batches made on the main thread'}, prefetch ${prefetch}`);
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const batches = imageBatches(train, { batchSize, imageSize, shuffle: true, augment: options.augment, seed: options.seed, epoch, prefetch }, workers);
      const trained = await trainOneEpoch(model, batches, train.length, options);
      const trainSeconds = (performance.now() - started) / 1000;
      const validation = await evaluateClassifier(model, val, { imageSize, batchSize });
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: trained.loss,
        trainAccuracy: trained.accuracy,
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: (performance.now() - started) / 1000,
        endedAt: Date.now() / 1000,
        learningRate: options.learningRate,
        trainImagesPerSecond: train.length / trainSeconds,
        dataWaitSeconds: trained.wait.waitSeconds,
        dataWaitShare: trained.wait.share,
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
          `${metrics.trainImagesPerSecond.toFixed(1)} img/s, data wait ${percent(metrics.dataWaitShare)}${improved ? ' | best so far' : ''}`,
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
    await workers?.close();
    tf.dispose(bestWeights);
    optimizer.dispose();
  }
  return { history, best: best!, epochsRun: history.length, stoppedEarly };
}
