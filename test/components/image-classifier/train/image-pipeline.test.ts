// The train input pipeline: reading preprocess-style shards (CRC verified), decoding, seeded
// shuffling and augmentation, batching and prefetching. No tfjs here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  augmentToFloat,
  drawTransform,
  DEFAULT_AUGMENTATION,
  validateAugmentOptions,
} from '../../../../components/image-classifier/train/augment';
import {
  batchIndices,
  imageBatches,
  makeBatch,
  type BatchOptions,
  type ImageBatch,
} from '../../../../components/image-classifier/train/image-batches';
import { readImageDataset, requireSameLabels, type LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { prefetched } from '../../../../components/image-classifier/train/prefetch';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';
import { TFRecordCorruptionError } from '../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import { CLASSES, encodePng, syntheticImages, syntheticRgb, writeDatasetFolder } from './synthetic-shards';
import { defined } from '../../../support/defined';

const SIZE = 8;
let workspace: string;
let images: LabelledImage[];

beforeAll(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-train-pipeline-'));
  images = await syntheticImages(10, SIZE, 7);
});
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

async function collect(generator: AsyncGenerator<ImageBatch>): Promise<ImageBatch[]> {
  const batches: ImageBatch[] = [];
  for await (const batch of generator) batches.push(batch);
  return batches;
}

const options = (overrides: Partial<BatchOptions> = {}): BatchOptions => ({
  batchSize: 4,
  imageSize: SIZE,
  shuffle: false,
  seed: 1,
  epoch: 1,
  ...overrides,
});

describe('reading a Dataset folder', () => {
  it('reads every record of every shard in shard order, with the label map', () => {
    const dir = path.join(workspace, 'read');
    writeDatasetFolder(dir, 'train', images, SIZE, 3);
    const dataset = readImageDataset(dir);
    expect(dataset.shards.map((file) => path.basename(file))).toEqual([
      'train-00000-of-00003.tfrecord',
      'train-00001-of-00003.tfrecord',
      'train-00002-of-00003.tfrecord',
    ]);
    expect(dataset.labels).toEqual(CLASSES);
    // Round-robin sharding: shard 0 holds images 0, 3, 6, 9, shard 1 holds 1, 4, 7, shard 2 holds 2, 5, 8.
    expect(dataset.images.map((image) => image.filename)).toEqual([0, 3, 6, 9, 1, 4, 7, 2, 5, 8].map((i) => `image-${i}.png`));
    expect(dataset.images.map((image) => image.label)).toEqual([0, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
    expect(Buffer.compare(Buffer.from(dataset.images[1]!.encoded), Buffer.from(images[3]!.encoded))).toBe(0);
  });

  it('verifies record CRCs', () => {
    const dir = path.join(workspace, 'corrupt');
    writeDatasetFolder(dir, 'val', images, SIZE, 1);
    const shard = path.join(dir, 'val-00000-of-00001.tfrecord');
    const bytes = fs.readFileSync(shard);
    bytes[100] = defined(bytes[100], 'byte 100') ^ 0x01; // inside the first record's payload
    fs.writeFileSync(shard, bytes);
    expect(() => readImageDataset(dir)).toThrow(TFRecordCorruptionError);
    expect(() => readImageDataset(dir)).toThrow(/record #0 at byte 0: its \d+-byte payload fails its CRC/);
  });

  it('rejects a folder without shards, with two splits, or with labels beyond the label map', () => {
    const empty = path.join(workspace, 'empty');
    fs.mkdirSync(empty);
    expect(() => readImageDataset(empty, 'train Dataset')).toThrow(`train Dataset: ${empty} holds no TFRecord shards`);

    const mixed = path.join(workspace, 'mixed');
    writeDatasetFolder(mixed, 'train', images.slice(0, 2), SIZE, 1);
    writeDatasetFolder(mixed, 'val', images.slice(0, 2), SIZE, 1);
    expect(() => readImageDataset(mixed)).toThrow('holds shards of several splits (train, val)');

    const oneClass = path.join(workspace, 'one-class');
    writeDatasetFolder(oneClass, 'train', images.slice(0, 2), SIZE, 1);
    fs.writeFileSync(path.join(oneClass, 'label_map.json'), '{"0": "dark"}\n');
    expect(() => readImageDataset(oneClass)).toThrow('record 1 (image-1.png) has class index 1, but label_map.json names only 1 classes');
  });

  it('requires the train and val splits to share their label map', () => {
    const a = { dir: 'a', shards: [], images: [], labels: ['cat', 'dog'] };
    expect(() => requireSameLabels(a, { ...a, labels: ['cat', 'dog'] })).not.toThrow();
    expect(() => requireSameLabels(a, { ...a, labels: ['dog', 'cat'] })).toThrow('the train and val Datasets have different label maps');
  });
});

describe('batches', () => {
  it('are float32 NHWC in [0, 1] with their labels; without augmentation the pixels are value / 255', async () => {
    const batches = await collect(imageBatches(images, options()));
    expect(batches.map((b) => b.count)).toEqual([4, 4, 2]);
    expect(batches.map((b) => b.images.length)).toEqual([4, 4, 2].map((n) => n * SIZE * SIZE * 3));
    expect(batches.flatMap((b) => [...b.labels])).toEqual(images.map((image) => image.label));
    const first = batches[0]!.images.subarray(0, SIZE * SIZE * 3);
    expect([...first]).toEqual([...syntheticRgb(0, SIZE, 7000)].map((v) => Math.fround(v / 255)));
  });

  it('resize images stored at another size to the network input (cover, centre crop)', async () => {
    const wide = await encodePng(new Uint8Array(6 * 3 * 3).fill(200), 6, 3);
    const [batch] = await collect(imageBatches([{ encoded: wide, label: 1, filename: 'wide.png' }], options({ imageSize: 5 })));
    expect(batch!.images.length).toBe(5 * 5 * 3);
    expect(batch!.images.every((v) => v === Math.fround(200 / 255))).toBe(true);
  });

  it('visit every image once per epoch, in an order fixed by seed and epoch', () => {
    const order = (seed: number, epoch: number) => batchIndices(100, { batchSize: 32, shuffle: true, seed, epoch });
    const epoch1 = order(5, 1);
    expect(epoch1.map((b) => b.length)).toEqual([32, 32, 32, 4]);
    expect(epoch1.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(order(5, 1)).toEqual(epoch1);
    expect(order(5, 2).flat()).not.toEqual(epoch1.flat());
    expect(order(6, 1).flat()).not.toEqual(epoch1.flat());
    expect(batchIndices(5, { batchSize: 2, shuffle: false, seed: 5, epoch: 1 })).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => batchIndices(5, { batchSize: 0, shuffle: false, seed: 5, epoch: 1 })).toThrow(
      'batchSize must be a whole number ≥ 1, got 0.',
    );
  });

  it('are augmented identically for the same seed and epoch, and differently otherwise', async () => {
    const augmented = (seed: number, epoch: number) =>
      collect(imageBatches(images, options({ shuffle: true, augment: DEFAULT_AUGMENTATION, seed, epoch })));
    const a = await augmented(3, 1);
    const b = await augmented(3, 1);
    expect(b.map((batch) => [...batch.images])).toEqual(a.map((batch) => [...batch.images]));
    expect(b.map((batch) => [...batch.labels])).toEqual(a.map((batch) => [...batch.labels]));
    const other = await augmented(4, 1);
    expect([...other[0]!.images]).not.toEqual([...a[0]!.images]);
    const nextEpoch = await augmented(3, 2);
    expect([...nextEpoch[0]!.images]).not.toEqual([...a[0]!.images]);
    for (const batch of a) expect(batch.images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('report an undecodable image by index and file name', async () => {
    const broken = [{ encoded: Buffer.from('not an image'), label: 0, filename: 'broken.jpg' }];
    await expect(makeBatch(broken, [0], 0, options())).rejects.toThrow(/^cannot decode image 0 \(broken\.jpg\): .*re-run preprocess\.$/);
  });
});

describe('augmentation', () => {
  // A 3×3 single-channel-looking image: pixel (y, x) has value 10·(3y + x) in every channel.
  const size = 3;
  const rgb = new Uint8Array(size * size * 3).map((_, i) => 10 * Math.floor(i / 3));
  const grid = (transform: Parameters<typeof augmentToFloat>[2]) => {
    const out = new Float32Array(size * size * 3);
    augmentToFloat(rgb, size, transform, out, 0);
    return Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => Math.round(out[(y * size + x) * 3]! * 255)));
  };
  const none = { flip: false, shiftY: 0, shiftX: 0, brightness: 0 };

  it('flips horizontally', () => {
    expect(grid({ ...none, flip: true })).toEqual([
      [20, 10, 0],
      [50, 40, 30],
      [80, 70, 60],
    ]);
  });

  it('shifts, repeating the edge pixels into the uncovered border', () => {
    expect(grid({ ...none, shiftY: 1, shiftX: -1 })).toEqual([
      [10, 20, 20],
      [10, 20, 20],
      [40, 50, 50],
    ]);
  });

  it('adds one brightness offset to every channel, clamped to [0, 1]', () => {
    expect(grid({ ...none, brightness: 0.2 })).toEqual([
      [51, 61, 71],
      [81, 91, 101],
      [111, 121, 131],
    ]);
    const out = new Float32Array(size * size * 3);
    augmentToFloat(new Uint8Array(size * size * 3).fill(250), size, { ...none, brightness: 0.5 }, out, 0);
    expect(out.every((v) => v === 1)).toBe(true);
  });

  it('draws shifts within ±maxShift of the side and applies only the enabled transforms', () => {
    const random = seededRandom(9);
    const draws = Array.from({ length: 200 }, () => drawTransform({ flip: false, maxShift: 0.1, brightness: 0.1 }, 64, random));
    expect(Math.max(...draws.map((d) => Math.abs(d.shiftX)))).toBe(6);
    expect(Math.max(...draws.map((d) => Math.abs(d.brightness)))).toBeLessThanOrEqual(0.1);
    expect(draws.some((d) => d.flip)).toBe(false);
    expect(() => validateAugmentOptions({ flip: true, maxShift: 0.5, brightness: 0 })).toThrow(
      'augmentation maxShift must be a fraction of the image side in [0, 0.5), got 0.5',
    );
  });
});

describe('prefetching', () => {
  it('starts the next item before handing out the current one, and keeps the order', async () => {
    const started: number[] = [];
    const seen: [number, number[]][] = [];
    const produce = async (i: number) => {
      started.push(i);
      await new Promise((resolve) => setTimeout(resolve, (3 - i) * 5)); // later items finish first
      return i;
    };
    for await (const item of prefetched(4, produce, 1)) seen.push([item, [...started]]);
    expect(seen).toEqual([
      [0, [0, 1]],
      [1, [0, 1, 2]],
      [2, [0, 1, 2, 3]],
      [3, [0, 1, 2, 3]],
    ]);
  });

  it('rejects when a failed item is reached, and a consumer that stops early leaves no unhandled rejection', async () => {
    const failing = (i: number) => (i === 1 ? Promise.reject(new Error('decode failed')) : Promise.resolve(i));
    const items: number[] = [];
    await expect(
      (async () => {
        for await (const item of prefetched(3, failing)) items.push(item);
      })(),
    ).rejects.toThrow('decode failed');
    expect(items).toEqual([0]);
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      for await (const item of prefetched(3, failing)) if (item === 0) break; // item 1 is in flight and rejects unobserved
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(unhandled).toEqual([]);
  });
});
