/**
 * The body of one batch worker thread: makes whole batches (decode, augmentation, float
 * conversion) with the same makeBatch as the main thread, so a seed gives byte-identical batches
 * either way, and hands the pixel buffers back by transfer. Started by BatchWorkerPool through
 * batch-worker-entry.js; one job at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sharedImageViews, wallClockMs, type BatchJob, type SharedImages, type WorkerReply } from './batch-worker-protocol';
import { makeBatch } from './image-batches';

if (!parentPort) throw new Error('batch-worker.ts runs inside a worker thread started by BatchWorkerPool, not on its own.');
const port = parentPort;
const images = sharedImageViews(workerData as SharedImages);

async function produce(job: BatchJob): Promise<void> {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const batch = await makeBatch(images, job.indices, job.batchNumber, job.recipe);
    reply = { type: 'batch', id: job.id, images: batch.images, labels: batch.labels, count: batch.count, finishedAt: wallClockMs() };
    transfer = [batch.images.buffer as ArrayBuffer, batch.labels.buffer as ArrayBuffer];
  } catch (error) {
    // makeBatch's messages already name the image (index and file name).
    reply = { type: 'failed', id: job.id, message: (error as Error).message };
  }
  port.postMessage(reply, transfer);
}

port.on('message', (job: BatchJob) => void produce(job));
port.postMessage({ type: 'ready' } satisfies WorkerReply);
