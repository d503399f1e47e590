/**
 * Worker threads that make whole training batches (decode, augmentation, float conversion) off the
 * main thread, where the training step runs: a wasm step blocks the main thread, so augmentation
 * there cannot overlap it, and a GPU step needs the main thread free to keep the device fed.
 *
 * The image set is shared once (one SharedArrayBuffer for every worker and every epoch); each
 * batch comes back as transferred Float32Array/Int32Array buffers, not copies. Batches are made by
 * the same makeBatch as on the main thread, so they are byte-identical for the same seed.
 *
 * A failed decode rejects that batch with makeBatch's own message (image index and file name); a
 * worker that dies fails the pool, naming the images of the batch it was making. An idle pool does
 * not keep the process alive, and close() ends every thread.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
// sharp's native library must be loaded by the main thread before any worker loads it, or a
// worker's exit can unload it under the others (sharp's documented worker-thread requirement).
import 'sharp';
import { shareImages, type BatchJob, type BatchRecipe, type SharedImages, type WorkerReply } from './batch-worker-protocol';
import type { BatchOptions, ImageBatch } from './image-batches';
import type { LabelledImage } from './image-dataset';

/** A batch made by a worker, with which worker made it and when it was done (wall-clock ms). */
export interface WorkerBatch extends ImageBatch {
  readonly worker: number;
  readonly finishedAt: number;
}

/** The most batch workers a pool will start; beyond the cores, more threads only contend. */
export const MAX_DECODE_WORKERS = 64;

/** Leaves one core to the training step, up to 4 workers; 0 (decode on the main thread) on one core. */
export function defaultDecodeWorkers(cores = os.availableParallelism()): number {
  return cores > 1 ? Math.min(4, cores - 1) : 0;
}

export function validateDecodeWorkers(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_DECODE_WORKERS) {
    throw new Error(`decodeWorkers must be a whole number in [0, ${MAX_DECODE_WORKERS}] (0 decodes on the main thread), got ${count}.`);
  }
}

const ENTRY = path.join(__dirname, 'batch-worker-entry.js');
const NAMES_IN_ERRORS = 8;

interface Job {
  readonly message: BatchJob;
  readonly what: string;
  readonly resolve: (batch: WorkerBatch) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly number: number;
  readonly worker: Worker;
  /** The worker has loaded its modules and can take a job. */
  ready: boolean;
  /** Undefined between jobs (settle and rejectAll clear it). */
  job?: Job | undefined;
  /** The uncaught error the thread reported before it exited, if any. */
  error?: Error;
}

export class BatchWorkerPool {
  /** Starts `count` worker threads over `images`; resolves once every one has loaded. */
  static async start(images: readonly LabelledImage[], count: number): Promise<BatchWorkerPool> {
    validateDecodeWorkers(count);
    if (count === 0)
      throw new Error('a batch worker pool needs at least one worker; with decodeWorkers 0, batches are made on the main thread.');
    const pool = new BatchWorkerPool(images);
    const shared = shareImages(images);
    try {
      // The first worker alone: it fills the TypeScript transform cache the others then read.
      await pool.addWorker(shared);
      await Promise.all(Array.from({ length: count - 1 }, () => pool.addWorker(shared)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 0;
  private failure: Error | undefined;
  private closed = false;
  private running = 0;

  private constructor(readonly images: readonly LabelledImage[]) {}

  get size(): number {
    return this.slots.length;
  }

  /** Worker threads that have not exited yet: 0 once close() has resolved or the pool has failed and wound down. */
  get runningThreads(): number {
    return this.running;
  }

  /** Makes the batch of `images` at `indices` in a worker; the result equals makeBatch's. */
  makeBatch(indices: readonly number[], batchNumber: number, options: BatchOptions): Promise<WorkerBatch> {
    if (this.closed) return Promise.reject(new Error('the batch worker pool is closed; start a new one to make more batches.'));
    if (this.failure) return Promise.reject(this.failure);
    const recipe: BatchRecipe = {
      batchSize: options.batchSize,
      imageSize: options.imageSize,
      ...(options.channels !== undefined ? { channels: options.channels } : {}),
      shuffle: options.shuffle,
      augment: options.augment,
      seed: options.seed,
      epoch: options.epoch,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({
        message: { id: this.nextJobId++, indices, batchNumber, recipe },
        what: this.describe(indices, batchNumber, options.epoch),
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Ends every worker thread; batches still in production reject. Safe to call more than once. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.rejectAll(new Error('the batch worker pool was closed before this batch was made.'));
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private addWorker(shared: SharedImages): Promise<void> {
    const slot: Slot = { number: this.slots.length + 1, worker: new Worker(ENTRY, { workerData: shared }), ready: false };
    this.slots.push(slot);
    this.running++;
    return new Promise((resolve, reject) => {
      slot.worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          slot.ready = true;
          slot.worker.unref(); // idle: a pool someone forgot to close must not keep Node running
          resolve();
          this.dispatch();
        } else {
          this.settle(slot, reply);
        }
      });
      slot.worker.on('error', (error) => {
        slot.error = error;
      });
      slot.worker.on('exit', (code) => {
        this.running--;
        const why = slot.error ? slot.error.message : `exit code ${code}`;
        if (!slot.ready)
          reject(
            new Error(`batch worker ${slot.number} could not start (${why}); set decodeWorkers to 0 to make batches on the main thread.`),
          );
        else if (!this.closed && !this.failure) this.fail(slot, why); // not the threads fail() itself ends
      });
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || !slot.ready) continue;
      slot.job = this.queue.shift()!;
      slot.worker.ref(); // a batch is awaited: keep Node running until it arrives
      slot.worker.postMessage(slot.job.message);
    }
  }

  private settle(slot: Slot, reply: Exclude<WorkerReply, { type: 'ready' }>): void {
    const job = slot.job;
    if (!job || job.message.id !== reply.id) return; // a reply to a job the pool already gave up on
    slot.job = undefined;
    slot.worker.unref();
    if (reply.type === 'batch') {
      job.resolve({ images: reply.images, labels: reply.labels, count: reply.count, worker: slot.number, finishedAt: reply.finishedAt });
    } else {
      job.reject(new Error(reply.message));
    }
    this.dispatch();
  }

  /** A worker died: nothing it was making can be trusted to arrive, so the whole pool stops. */
  private fail(slot: Slot, why: string): void {
    const during = slot.job ? ` while making ${slot.job.what}` : '';
    this.failure = new Error(
      `batch worker ${slot.number} stopped unexpectedly (${why})${during}; set decodeWorkers to 0 to make batches on the main thread.`,
    );
    this.rejectAll(this.failure);
    for (const other of this.slots) if (other !== slot) void other.worker.terminate();
  }

  private rejectAll(error: Error): void {
    for (const slot of this.slots) {
      slot.job?.reject(error);
      slot.job = undefined;
      slot.worker.unref();
    }
    for (const job of this.queue.splice(0)) job.reject(error);
  }

  private describe(indices: readonly number[], batchNumber: number, epoch: number): string {
    const names = indices.slice(0, NAMES_IN_ERRORS).map((i) => this.images[i]?.filename ?? `#${i}`);
    const more = indices.length > NAMES_IN_ERRORS ? ` and ${indices.length - NAMES_IN_ERRORS} more` : '';
    return `batch ${batchNumber} of epoch ${epoch} (images ${names.join(', ')}${more})`;
  }
}
