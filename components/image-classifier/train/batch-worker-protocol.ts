/**
 * What the batch worker pool and its worker threads say to each other, and how the image set is
 * shared with them: every encoded image is copied once into one SharedArrayBuffer that all workers
 * read, so neither a batch nor an epoch sends image bytes again.
 */
import type { BatchOptions } from './image-batches';
import type { LabelledImage } from './image-dataset';

/** The image set as handed to each worker thread in its workerData. */
export interface SharedImages {
  readonly bytes: SharedArrayBuffer;
  /** Image i is bytes[offsets[i], offsets[i + 1]). */
  readonly offsets: readonly number[];
  readonly labels: readonly number[];
  readonly filenames: readonly string[];
}

/** What a worker needs to make one batch exactly as makeBatch does on the main thread. */
export type BatchRecipe = Pick<BatchOptions, 'batchSize' | 'imageSize' | 'channels' | 'shuffle' | 'augment' | 'seed' | 'epoch'>;

export interface BatchJob {
  readonly id: number;
  readonly indices: readonly number[];
  readonly batchNumber: number;
  readonly recipe: BatchRecipe;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  /** The pixel and label buffers arrive transferred, not copied. */
  | {
      readonly type: 'batch';
      readonly id: number;
      readonly images: Float32Array;
      readonly labels: Int32Array;
      readonly count: number;
      readonly finishedAt: number;
    }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

export function shareImages(images: readonly LabelledImage[]): SharedImages {
  const offsets = [0];
  for (const image of images) offsets.push(offsets.at(-1)! + image.encoded.length);
  const bytes = new SharedArrayBuffer(offsets.at(-1)!);
  const view = new Uint8Array(bytes);
  images.forEach((image, i) => view.set(image.encoded, offsets[i]));
  return { bytes, offsets, labels: images.map((image) => image.label), filenames: images.map((image) => image.filename) };
}

/** The worker's view of the shared images: no copy, sharp reads the shared memory directly. */
export function sharedImageViews(shared: SharedImages): LabelledImage[] {
  return shared.labels.map((label, i) => ({
    encoded: Buffer.from(shared.bytes, shared.offsets[i]!, shared.offsets[i + 1]! - shared.offsets[i]!),
    label,
    filename: shared.filenames[i]!,
  }));
}

/** Wall-clock milliseconds that compare across threads (each thread's performance.now() has its own origin). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();
