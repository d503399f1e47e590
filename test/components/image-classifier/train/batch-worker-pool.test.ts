// Batch worker threads: the same batches as the main thread, byte for byte; errors that name the
// image; threads that end on close, on a crash, and even when a pool is never closed.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_AUGMENTATION } from '../../../../components/image-classifier/train/augment';
import { BatchWorkerPool, defaultDecodeWorkers } from '../../../../components/image-classifier/train/batch-worker-pool';
import { imageBatches, makeBatch, type BatchOptions, type ImageBatch } from '../../../../components/image-classifier/train/image-batches';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { syntheticImages } from './synthetic-shards';

const SIZE = 12;
const REPO = path.resolve(__dirname, '../../../..');
let images: LabelledImage[];

beforeAll(async () => {
  images = await syntheticImages(22, SIZE, 9);
});

async function collect(generator: AsyncGenerator<ImageBatch>): Promise<ImageBatch[]> {
  const batches: ImageBatch[] = [];
  for await (const batch of generator) batches.push(batch);
  return batches;
}

/** A digest of a batch's pixel and label bytes: equal digests, byte-identical batches (and a short diff when not). */
const digest = (batch: ImageBatch) =>
  crypto
    .createHash('sha256')
    .update(new Uint8Array(batch.images.buffer, batch.images.byteOffset, batch.images.byteLength))
    .update(new Uint8Array(batch.labels.buffer, batch.labels.byteOffset, batch.labels.byteLength))
    .digest('hex');
const options = (overrides: Partial<BatchOptions> = {}): BatchOptions => ({
  batchSize: 5,
  imageSize: SIZE,
  shuffle: true,
  augment: DEFAULT_AUGMENTATION,
  seed: 21,
  epoch: 1,
  prefetch: 2,
  ...overrides,
});

describe('batch worker pool', () => {
  it('makes byte-identical batches to the main thread for every epoch, with and without augmentation', async () => {
    const pool = await BatchWorkerPool.start(images, 2);
    try {
      expect(pool.size).toBe(2);
      for (const variant of [options({ epoch: 1 }), options({ epoch: 2 }), options({ augment: undefined, shuffle: false, imageSize: 9 })]) {
        const inWorkers = await collect(imageBatches(images, variant, pool));
        const onMainThread = await collect(imageBatches(images, variant));
        expect(inWorkers.map((b) => b.count)).toEqual([5, 5, 5, 5, 2]);
        expect(inWorkers.map(digest)).toEqual(onMainThread.map(digest));
        // Both threads took part, and each batch owns its whole (transferred) buffer.
        expect(new Set(inWorkers.map((b) => (b as { worker?: number }).worker))).toEqual(new Set([1, 2]));
        for (const batch of inWorkers) expect(batch.images.buffer.byteLength).toBe(batch.images.byteLength);
      }
    } finally {
      await pool.close();
    }
    expect(pool.runningThreads).toBe(0);
  });

  it('rejects a batch with an undecodable image with the same message as the main thread, and keeps working', async () => {
    const withBroken = [...images.slice(0, 3), { encoded: Buffer.from('not an image'), label: 0, filename: 'broken.jpg' }];
    const pool = await BatchWorkerPool.start(withBroken, 1);
    try {
      const onMainThread = await makeBatch(withBroken, [2, 3], 0, options()).then(
        () => 'no error',
        (error: Error) => error.message,
      );
      expect(onMainThread).toMatch(/^cannot decode image 3 \(broken\.jpg\): /);
      await expect(pool.makeBatch([2, 3], 0, options())).rejects.toThrow(onMainThread);
      expect((await pool.makeBatch([0, 1], 1, options())).count).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails every batch in production, naming the images, when a worker thread dies, and ends the other threads', async () => {
    const pool = await BatchWorkerPool.start(images, 2);
    try {
      // The second thread takes batches but never answers (as if busy), so the first thread's death
      // is seen before any batch completes, however fast the machine.
      pool['slots'][1]!.worker.postMessage = () => undefined;
      const inProduction = pool.makeBatch([4, 7, 1], 3, options({ epoch: 2 }));
      const queued = [pool.makeBatch([0], 4, options()), pool.makeBatch([2], 5, options())];
      // What an out-of-memory abort or a native crash looks like from the pool: a thread exits unasked.
      await pool['slots'][0]!.worker.terminate();
      const message =
        /^batch worker 1 stopped unexpectedly \(exit code 1\) while making batch 3 of epoch 2 \(images image-4\.png, image-7\.png, image-1\.png\); set decodeWorkers to 0/;
      await expect(inProduction).rejects.toThrow(message);
      for (const batch of queued) await expect(batch).rejects.toThrow(/^batch worker 1 stopped unexpectedly/);
      await expect(pool.makeBatch([0], 6, options())).rejects.toThrow(/^batch worker 1 stopped unexpectedly/);
      await waitFor(() => pool.runningThreads === 0);
    } finally {
      await pool.close();
    }
  });

  it('ends its threads when an epoch is abandoned midway and the pool is closed', async () => {
    const pool = await BatchWorkerPool.start(images, 2);
    for await (const batch of imageBatches(images, options({ batchSize: 2, prefetch: 3 }), pool)) if (batch) break; // batches 1–3 still in production
    await pool.close();
    expect(pool.runningThreads).toBe(0);
    await expect(pool.makeBatch([0], 0, options())).rejects.toThrow('the batch worker pool is closed');
  });

  it('refuses a pool started over another image set, and a pool of no workers', async () => {
    const pool = await BatchWorkerPool.start(images, 1);
    try {
      expect(() => imageBatches([...images], options(), pool)).toThrow('the batch worker pool was started over another image set');
    } finally {
      await pool.close();
    }
    await expect(BatchWorkerPool.start(images, 0)).rejects.toThrow('a batch worker pool needs at least one worker');
    await expect(BatchWorkerPool.start(images, 1.5)).rejects.toThrow(
      'decodeWorkers must be a whole number in [0, 64] (0 decodes on the main thread), got 1.5.',
    );
  });

  it('leaves one core to the training step, up to four workers', () => {
    expect([1, 2, 3, 8, 64].map((cores) => defaultDecodeWorkers(cores))).toEqual([0, 1, 2, 4, 4]);
  });
});

describe('batch workers outside jest', () => {
  // Under `node -r ./project/register-ts.js` (as the CLI and the benchmarks run), the threads load the
  // TypeScript sources themselves, and a process never waits on them: not when a pool is left
  // open, not when a run throws with batches still in production.
  let workspace: string;
  beforeAll(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-batch-workers-'));
  });
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const runScript = (body: string) => {
    const script = path.join(workspace, `script-${Math.random().toString(36).slice(2)}.ts`);
    fs.writeFileSync(
      script,
      [
        `import { BatchWorkerPool } from ${JSON.stringify(path.join(REPO, 'components/image-classifier/train/batch-worker-pool'))};`,
        `import { imageBatches } from ${JSON.stringify(path.join(REPO, 'components/image-classifier/train/image-batches'))};`,
        `import { syntheticImages } from ${JSON.stringify(path.join(REPO, 'test/components/image-classifier/train/synthetic-shards'))};`,
        `(async () => { const images = await syntheticImages(12, 8, 1); const pool = await BatchWorkerPool.start(images, 2);`,
        `  const options = { batchSize: 2, imageSize: 8, shuffle: true, seed: 1, epoch: 1, prefetch: 4 };`,
        body,
        `})();`,
      ].join('\n'),
    );
    return spawnSync(process.execPath, ['-r', path.join(REPO, 'project/register-ts.js'), script], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 20_000,
    });
  };

  it('exits when the work is done though the pool was never closed', () => {
    const result = runScript(
      `let n = 0; for await (const batch of imageBatches(images, options, pool)) n += batch.count; console.log('made', n, 'images in', pool.size, 'threads');`,
    );
    expect(result.error).toBeUndefined(); // a hang would be ETIMEDOUT
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('made 12 images in 2 threads');
    expect(result.status).toBe(0);
  }, 30_000);

  it('exits with the error when a step throws while batches are still in production', () => {
    const result = runScript(
      `for await (const batch of imageBatches(images, options, pool)) throw new Error('step failed after ' + batch.count + ' images');`,
    );
    expect(result.error).toBeUndefined();
    expect(result.stderr).toContain('Error: step failed after 2 images');
    expect(result.status).toBe(1);
  }, 30_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within the timeout');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
