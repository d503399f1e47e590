/**
 * The training input pipeline: a seeded shuffle per epoch, batches of decoded (and optionally
 * augmented) float32 NHWC images in [0, 1] with their class indices, and the next batches in
 * production while the current one is used: on the main thread (sharp decodes on libuv's pool,
 * augmentation waits for the main thread), or whole batches in a BatchWorkerPool's threads.
 *
 * Every random choice is derived from (seed, epoch, batch), never from timing or from the order
 * in which decodes finish, so the same seed gives the same batches on every run and machine.
 */
import { deriveSeed, seededRandom, shuffled } from '../preprocess/seeded-random';
import { augmentToFloat, drawTransform, type AugmentOptions } from './augment';
import type { BatchWorkerPool } from './batch-worker-pool';
import { decodePixels, rgbToFloat } from './decode-image';
import type { LabelledImage } from './image-dataset';
import { prefetched } from './prefetch';

export interface ImageBatch {
  /** float32 pixels in [0, 1], shape [count, imageSize, imageSize, channels]. */
  readonly images: Float32Array;
  /** Class indices, length `count`. */
  readonly labels: Int32Array;
  readonly count: number;
}

export interface BatchOptions {
  readonly batchSize: number;
  /** Side of the square network input; images of another size are resized (cover, centre crop). */
  readonly imageSize: number;
  /** 3 (RGB, the default) or 1 (grayscale luminance): what the network takes. */
  readonly channels?: number;
  /** Visit the images in a new seeded order each epoch (train), or in stored order (val, test). */
  readonly shuffle: boolean;
  /** Omit (or pass undefined, as training without augmentation does) for evaluation: pixels are then just value / 255. */
  readonly augment?: AugmentOptions | undefined;
  readonly seed: number;
  /** Selects the epoch's shuffle and augmentation draws. */
  readonly epoch: number;
  /** Batches in production ahead of the one in use. Default 1. */
  readonly prefetch?: number;
}

/** The image indices of each batch for one epoch; the last batch may be smaller. */
export function batchIndices(count: number, options: Pick<BatchOptions, 'batchSize' | 'shuffle' | 'seed' | 'epoch'>): number[][] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a whole number ≥ 1, got ${batchSize}.`);
  const order = Array.from({ length: count }, (_, i) => i);
  const visit = options.shuffle ? shuffled(order, seededRandom(deriveSeed(options.seed, `shuffle/epoch-${options.epoch}`))) : order;
  const batches: number[][] = [];
  for (let start = 0; start < count; start += batchSize) batches.push(visit.slice(start, start + batchSize));
  return batches;
}

/** Decodes (and augments) the images at `indices` into one batch. */
export async function makeBatch(
  images: readonly LabelledImage[],
  indices: readonly number[],
  batchNumber: number,
  options: BatchOptions,
): Promise<ImageBatch> {
  const { imageSize, augment } = options;
  const channels = options.channels ?? 3;
  const pixelsPerImage = imageSize * imageSize * channels;
  // All decodes of the batch are queued at once; sharp runs them on its thread pool.
  const decoded = await Promise.all(
    indices.map((i) => decodePixels(images[i]!.encoded, imageSize, channels, `image ${i} (${images[i]!.filename})`)),
  );
  const out = new Float32Array(indices.length * pixelsPerImage);
  const labels = new Int32Array(indices.length);
  const random = augment ? seededRandom(deriveSeed(options.seed, `augment/epoch-${options.epoch}/batch-${batchNumber}`)) : undefined;
  decoded.forEach((pixels, n) => {
    labels[n] = images[indices[n]!]!.label;
    if (augment && random) augmentToFloat(pixels, imageSize, drawTransform(augment, imageSize, random), out, n * pixelsPerImage, channels);
    else rgbToFloat(pixels, out, n * pixelsPerImage);
  });
  return { images: out, labels, count: indices.length };
}

/**
 * One epoch of batches, made `prefetch` batches ahead of the consumer: by `workers` when given (a
 * pool started over this same `images` array), else on the main thread. The batches are the same.
 */
export function imageBatches(
  images: readonly LabelledImage[],
  options: BatchOptions,
  workers?: BatchWorkerPool,
): AsyncGenerator<ImageBatch> {
  if (workers && workers.images !== images)
    throw new Error('the batch worker pool was started over another image set; start one over the images being batched.');
  const batches = batchIndices(images.length, options);
  const produce = workers
    ? (b: number) => workers.makeBatch(batches[b]!, b, options)
    : (b: number) => makeBatch(images, batches[b]!, b, options);
  return prefetched(batches.length, produce, options.prefetch ?? 1);
}
