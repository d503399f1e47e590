// The input pipeline overlaps the training step: the next batches are made while a step runs, so
// a slow step hardly waits for data and an epoch takes about max(produce, step) per batch, not the
// sum; a slow producer shows up as a high data-wait share. The assertions rest on ordering and
// counts with wide margins (CI may run this on two busy cores), not on tight timings.
import { DEFAULT_AUGMENTATION } from '../../../../components/image-classifier/train/augment';
import { BatchWorkerPool, type WorkerBatch } from '../../../../components/image-classifier/train/batch-worker-pool';
import { wallClockMs } from '../../../../components/image-classifier/train/batch-worker-protocol';
import { consumeTimingWaits } from '../../../../components/image-classifier/train/data-wait';
import { imageBatches } from '../../../../components/image-classifier/train/image-batches';
import { prefetched } from '../../../../components/image-classifier/train/prefetch';
import { syntheticImages } from './synthetic-shards';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the thread like a wasm training step does: nothing else runs on it meanwhile. */
function busyStep(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('data wait with a fake producer and step', () => {
  const BATCHES = 8;

  it('with a slow step: each batch is ready before the step asks, the wait is a small share, the epoch ≈ max·N', async () => {
    const PRODUCE_MS = 40;
    const STEP_MS = 50;
    const finished: number[] = [];
    const asked: number[] = [];
    const produce = async (i: number) => {
      await sleep(PRODUCE_MS);
      finished[i] = performance.now();
      return i;
    };
    let previousEnd = performance.now();
    const wait = await consumeTimingWaits(prefetched(BATCHES, produce, 2), async (i) => {
      asked[i] = previousEnd;
      await sleep(STEP_MS);
      previousEnd = performance.now();
    });
    expect(wait.items).toBe(BATCHES);
    // Every batch after the first was finished by the time the step before it ended.
    const readyInTime = asked.slice(1).filter((when, k) => finished[k + 1]! <= when).length;
    expect(readyInTime).toBeGreaterThanOrEqual(BATCHES - 2);
    // Sequential would be N·(produce + step) = 720 ms; overlapped about produce + N·step = 440 ms.
    expect(wait.totalSeconds * 1000).toBeLessThan(0.85 * BATCHES * (PRODUCE_MS + STEP_MS));
    expect(wait.share).toBeLessThan(0.3); // only the first batch is waited for: about 40 of 440 ms
  });

  it('with a fast step and a slow producer: the step mostly waits', async () => {
    const wait = await consumeTimingWaits(
      prefetched(BATCHES, (i) => sleep(30).then(() => i), 2),
      () => undefined,
    );
    expect(wait.items).toBe(BATCHES);
    expect(wait.share).toBeGreaterThan(0.7); // about 1: the step takes no time
    expect(wait.waitSeconds).toBeGreaterThan(0.5 * wait.totalSeconds);
  });

  it('closes the producer when a step throws', async () => {
    let closed = false;
    async function* items() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    await expect(
      consumeTimingWaits(items(), (i) => {
        if (i === 2) throw new Error('step 2 failed');
      }),
    ).rejects.toThrow('step 2 failed');
    expect(closed).toBe(true);
  });

  it('reports no wait for no input', async () => {
    const wait = await consumeTimingWaits(
      prefetched(0, async () => 0),
      () => undefined,
    );
    expect(wait).toMatchObject({ items: 0, share: 0 });
  });
});

describe('data wait with real batches from worker threads and a blocking step', () => {
  it('makes batch i + 1 while step i blocks the main thread', async () => {
    const images = await syntheticImages(96, 32, 4);
    const pool = await BatchWorkerPool.start(images, 2);
    const STEP_MS = 60;
    const stepEnds: number[] = [];
    const made: WorkerBatch[] = [];
    try {
      const batches = imageBatches(
        images,
        { batchSize: 8, imageSize: 32, shuffle: true, augment: DEFAULT_AUGMENTATION, seed: 3, epoch: 1, prefetch: 2 },
        pool,
      );
      const wait = await consumeTimingWaits(batches, (batch) => {
        made.push(batch as WorkerBatch);
        busyStep(STEP_MS); // the main thread cannot make batches meanwhile; only the workers can
        stepEnds.push(wallClockMs());
      });
      expect(wait.items).toBe(12);
      // Batch i + 1 was finished (stamped in its worker) before step i ended: it was made during
      // the step. A pipeline that made batches only between steps would score 0 here.
      const madeDuringStep = made.slice(1).filter((batch, i) => batch.finishedAt < stepEnds[i]!).length;
      expect(madeDuringStep).toBeGreaterThanOrEqual(Math.ceil((made.length - 1) / 2));
      expect(wait.share).toBeLessThan(0.5);
    } finally {
      await pool.close();
    }
  });
});
