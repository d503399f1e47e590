/**
 * The training loop: AdamW (adamw.ts) on categorical cross-entropy against smoothed, class-weighted
 * targets (training-targets.ts), the learning rate set before every step from a warm-up + cosine
 * schedule (learning-rate-schedule.ts), one `trainOnBatch` per prefetched batch, validation loss
 * and accuracy after every epoch (plain cross-entropy: no smoothing, no weights), and early
 * stopping on the validation loss with `patience`, after which the weights of the best epoch are
 * restored. The network's input channels (1 or 3) are read from the model. Training batches are made by
 * decode worker threads (started once per run, ended however the run ends) while the step runs,
 * and each epoch records how long the step waited for them.
 */
import * as tf from '@tensorflow/tfjs';
import { AdamW } from './adamw';
import type { AugmentOptions } from './augment';
import { learningRateAt, parseSchedule, type Schedule } from './learning-rate-schedule';
import { classWeights, parseClassWeighting, trainingTargets, validateLabelSmoothing, type ClassWeighting } from './training-targets';
import { BatchWorkerPool, defaultDecodeWorkers, validateDecodeWorkers } from './batch-worker-pool';
import { consumeTimingWaits } from './data-wait';
import { imageBatches, type ImageBatch } from './image-batches';
import type { LabelledImage } from './image-dataset';
import { evaluateClassifier, inputChannels } from './predict';

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** The peak learning rate (reached after the warm-up). */
  readonly learningRate: number;
  /** AdamW's decoupled weight decay λ (kernels only); 0 makes it Adam. Default 0. */
  readonly weightDecay?: number;
  /** 'cosine' (the default) decays to 0 by the last epoch; 'constant' keeps the peak. */
  readonly schedule?: Schedule;
  /** Epochs of linear warm-up, may be fractional; 0 starts at the peak. Default 0. */
  readonly warmupEpochs?: number;
  /** ε of label smoothing, in [0, 0.5). Default 0. */
  readonly labelSmoothing?: number;
  /** 'balanced' weighs the loss of each class by images / (classes · images of the class). Default 'none'. */
  readonly classWeights?: ClassWeighting;
  /** Epochs without a lower validation loss before stopping; 0 never stops early. */
  readonly patience: number;
  readonly imageSize: number;
  readonly numClasses: number;
  /** Applied to training batches only; omit (or set undefined over a recipe's default) to train on the stored pixels. */
  readonly augment?: AugmentOptions | undefined;
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
  /** The learning rate of the epoch's last step (the schedule changes it every step). */
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
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a whole number ≥ 1, got ${batchSize}; 32 is usual.`);
  if (!(learningRate > 0 && learningRate < 1))
    throw new Error(`learningRate must be in (0, 1), got ${learningRate}; Adam's usual value is 0.001.`);
  const { weightDecay = 0, warmupEpochs = 0 } = options;
  if (!(weightDecay >= 0 && weightDecay < 1))
    throw new Error(`weightDecay must be in [0, 1), got ${weightDecay}; 0.0001–0.05 is usual for AdamW, 0 turns it off.`);
  if (!(warmupEpochs >= 0 && warmupEpochs <= 1000))
    throw new Error(`warmupEpochs must be in [0, 1000], got ${warmupEpochs}; 1 is usual, 0 starts at the peak learning rate.`);
  if (options.schedule !== undefined) parseSchedule(options.schedule);
  if (options.labelSmoothing !== undefined) validateLabelSmoothing(options.labelSmoothing);
  if (options.classWeights !== undefined) parseClassWeighting(options.classWeights);
  if (!Number.isInteger(patience) || patience < 0)
    throw new Error(`patience must be a whole number ≥ 0 (0 never stops early), got ${patience}.`);
  if (options.decodeWorkers !== undefined) validateDecodeWorkers(options.decodeWorkers);
  const { prefetch } = options;
  if (prefetch !== undefined && (!Number.isInteger(prefetch) || prefetch < 0))
    throw new Error(`prefetch must be a whole number ≥ 0 (batches made ahead of the step), got ${prefetch}.`);
}

/** The warm-up in steps, at most half the run: a short run (epochs ≤ 2·warmupEpochs) still gets its decay. */
function warmupSteps(warmupEpochs: number, stepsPerEpoch: number, epochs: number): number {
  return Math.min(Math.round(warmupEpochs * stepsPerEpoch), Math.floor((stepsPerEpoch * epochs) / 2));
}

const format = (value: number) => value.toFixed(4);
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** What one epoch's steps need beyond the batches: the optimizer, the schedule, the target rows' settings. */
interface StepContext {
  readonly optimizer: AdamW;
  /** Steps already taken before this epoch. */
  readonly firstStep: number;
  readonly learningRateAt: (step: number) => number;
  readonly channels: number;
  readonly smoothing: number;
  readonly weights: Float32Array | undefined;
}

/** One epoch's training phase: every batch through trainOnBatch, with the mean loss and accuracy. */
async function trainOneEpoch(
  model: tf.LayersModel,
  batches: AsyncIterable<ImageBatch>,
  imageCount: number,
  options: TrainOptions,
  context: StepContext,
) {
  const { imageSize, numClasses } = options;
  let lossSum = 0;
  let accuracySum = 0;
  let step = context.firstStep;
  const wait = await consumeTimingWaits(batches, async (batch) => {
    context.optimizer.learningRate = context.learningRateAt(step++);
    const x = tf.tensor4d(batch.images, [batch.count, imageSize, imageSize, context.channels]);
    const y = tf.tensor2d(trainingTargets(batch.labels, numClasses, context.smoothing, context.weights), [batch.count, numClasses]);
    try {
      const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
      lossSum += loss! * batch.count;
      accuracySum += accuracy! * batch.count;
    } finally {
      tf.dispose([x, y]);
    }
  });
  return { loss: lossSum / imageCount, accuracy: accuracySum / imageCount, wait, steps: step - context.firstStep };
}

export async function trainClassifier(
  model: tf.LayersModel,
  train: readonly LabelledImage[],
  val: readonly LabelledImage[],
  options: TrainOptions,
): Promise<TrainingResult> {
  validateTrainOptions(options);
  if (train.length === 0)
    throw new Error("the train split has no images; check the preprocess step's split fractions and its data-quality report.");
  if (val.length === 0)
    throw new Error('the val split has no images, and early stopping needs a validation loss; give preprocess a val fraction > 0.');
  const { imageSize, batchSize, log = () => undefined } = options;
  const decodeWorkers = options.decodeWorkers ?? defaultDecodeWorkers();
  const prefetch = options.prefetch ?? Math.max(1, decodeWorkers);
  const channels = inputChannels(model);
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const schedule = {
    schedule: options.schedule ?? 'cosine',
    peak: options.learningRate,
    totalSteps: stepsPerEpoch * options.epochs,
    warmupSteps: warmupSteps(options.warmupEpochs ?? 0, stepsPerEpoch, options.epochs),
  } as const;
  const weighting = options.classWeights ?? 'none';
  const weights =
    weighting === 'none'
      ? undefined
      : classWeights(
          train.map((image) => image.label),
          options.numClasses,
          weighting,
        );
  if (weights) log(`class weights (${weighting}): ${Array.from(weights, (w) => w.toFixed(3)).join(', ')}`);
  // Owned here and freed at the end (a model does not dispose an optimizer it was handed): compile
  // the model again to train it further.
  const optimizer = new AdamW({ learningRate: learningRateAt(0, schedule), weightDecay: options.weightDecay ?? 0 });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let stepsTaken = 0;

  const history: EpochMetrics[] = [];
  let best: EpochMetrics | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  let workers: BatchWorkerPool | undefined;
  try {
    workers = decodeWorkers > 0 ? await BatchWorkerPool.start(train, decodeWorkers) : undefined;
    log(
      `input pipeline: ${decodeWorkers > 0 ? `${decodeWorkers} decode worker thread(s)` : 'batches made on the main thread'}, prefetch ${prefetch}`,
    );
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const batches = imageBatches(
        train,
        { batchSize, imageSize, channels, shuffle: true, augment: options.augment, seed: options.seed, epoch, prefetch },
        workers,
      );
      const context: StepContext = {
        optimizer,
        firstStep: stepsTaken,
        learningRateAt: (step) => learningRateAt(step, schedule),
        channels,
        smoothing: options.labelSmoothing ?? 0,
        weights,
      };
      const trained = await trainOneEpoch(model, batches, train.length, options, context);
      stepsTaken += trained.steps;
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
        learningRate: optimizer.learningRate,
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
