/**
 * Training throughput of the train component's default CNN (cnn.ts DEFAULT_CNN: conv16 → pool →
 * conv32 → pool → conv64 → global average pool → dropout → dense64 → dropout → softmax, Adam,
 * categorical cross-entropy) on 64×64×3 images, 10 classes, in one run:
 *   - `cpu` (stock tfjs), the baseline: one warm-up and `--cpu-steps` timed steps (default 1) at
 *     batch 4, because a step takes tens of seconds; `--cpu-steps=0` skips it;
 *   - `wasm` with the gradient kernels: `--wasm-steps` timed steps (default 10) at batch 32 on
 *     tensors already in memory;
 *   - `wasm` through the component's whole input pipeline (`--images` JPEGs, default 256: sharp
 *     decode, augmentation, batching) for one epoch: on the main thread without and with
 *     prefetching, then with `--workers` decode worker threads (default: the training loop's
 *     default, one fewer than the cores, at least 1), with the share of the epoch the training
 *     step spent waiting for its next batch;
 *   - the input pipeline alone (decode + augment, no training) on the main thread and in the
 *     workers: its ceiling.
 *
 *   node -r ./project/register-ts.js bench/train.ts [--cpu-steps=N] [--wasm-steps=N] [--images=N] [--workers=N]
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { deriveSeed, seededRandom } from '../components/image-classifier/preprocess/seeded-random';
import { DEFAULT_AUGMENTATION } from '../components/image-classifier/train/augment';
import { chooseTrainingBackend } from '../components/image-classifier/train/backend-choice';
import { BatchWorkerPool, defaultDecodeWorkers } from '../components/image-classifier/train/batch-worker-pool';
import { DEFAULT_CNN, buildCnn } from '../components/image-classifier/train/cnn';
import { imageBatches } from '../components/image-classifier/train/image-batches';
import type { LabelledImage } from '../components/image-classifier/train/image-dataset';
import { trainClassifier } from '../components/image-classifier/train/training-loop';
import { numericOption } from './options';

const IMAGE = 64;
const CLASSES = 10;
const BATCH = 32;
const CPU_BATCH = 4;

const model = () => buildCnn({ imageSize: IMAGE, numClasses: CLASSES, ...DEFAULT_CNN, seed: 1 });

/** Noisy images whose brightness depends on the class, JPEG-encoded as preprocess stores them. */
async function jpegImages(count: number): Promise<LabelledImage[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const random = seededRandom(deriveSeed(7, `image-${i}`));
      const label = i % CLASSES;
      const rgb = new Uint8Array(IMAGE * IMAGE * 3).map(() => Math.round(255 * Math.min(1, (label / CLASSES) * 0.8 + random() * 0.2)));
      const encoded = await sharp(rgb, { raw: { width: IMAGE, height: IMAGE, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer();
      return { encoded, label, filename: `bench-${i}.jpg` };
    }),
  );
}

interface Row {
  backend: string;
  what: string;
  batch: number;
  images: number;
  seconds: number;
  /** Share of the training phase spent waiting for the next batch; absent where nothing trains. */
  dataWait?: number;
}

/** Steps of trainOnBatch on one fixed in-memory batch, after one untimed warm-up step. */
async function stepThroughput(backend: 'cpu' | 'wasm', batch: number, steps: number): Promise<Row> {
  await chooseTrainingBackend(backend);
  const net = model();
  net.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const random = seededRandom(3);
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * IMAGE * IMAGE * 3 }, () => random()),
    [batch, IMAGE, IMAGE, 3],
  );
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % CLASSES),
      'int32',
    ),
    CLASSES,
  );
  await net.trainOnBatch(x, y);
  const started = performance.now();
  for (let step = 0; step < steps; step++) await net.trainOnBatch(x, y);
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([x, y]);
  net.dispose();
  return { backend, what: 'trainOnBatch, tensors in memory', batch, images: batch * steps, seconds };
}

const where = (workers: number) => (workers > 0 ? `${workers} worker thread(s)` : 'main thread');

async function pipelineThroughput(
  images: readonly LabelledImage[],
  val: readonly LabelledImage[],
  decodeWorkers: number,
  prefetch: number,
): Promise<Row> {
  await chooseTrainingBackend('wasm');
  const net = model();
  const common = {
    batchSize: BATCH,
    learningRate: 1e-3,
    patience: 0,
    imageSize: IMAGE,
    numClasses: CLASSES,
    seed: 1,
    decodeWorkers,
    prefetch,
  };
  // A warm-up epoch on a few images, so the timed epoch does not pay for first-call setup.
  await trainClassifier(net, images.slice(0, BATCH), val, { ...common, epochs: 1 });
  const result = await trainClassifier(net, images, val, { ...common, epochs: 1, augment: DEFAULT_AUGMENTATION });
  net.dispose();
  const epoch = result.history[0]!;
  const seconds = images.length / epoch.trainImagesPerSecond;
  return {
    backend: 'wasm',
    what: `JPEG decode + augment + train, ${where(decodeWorkers)}, prefetch ${prefetch}`,
    batch: BATCH,
    images: images.length,
    seconds,
    dataWait: epoch.dataWaitShare,
  };
}

async function decodeThroughput(images: readonly LabelledImage[], decodeWorkers: number): Promise<Row> {
  const workers = decodeWorkers > 0 ? await BatchWorkerPool.start(images, decodeWorkers) : undefined;
  try {
    const started = performance.now();
    const options = {
      batchSize: BATCH,
      imageSize: IMAGE,
      shuffle: true,
      augment: DEFAULT_AUGMENTATION,
      seed: 1,
      epoch: 1,
      prefetch: Math.max(1, decodeWorkers),
    };
    for await (const batch of imageBatches(images, options, workers)) void batch;
    return {
      backend: '-',
      what: `JPEG decode + augment only (no training), ${where(decodeWorkers)}`,
      batch: BATCH,
      images: images.length,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await workers?.close();
  }
}

async function main(): Promise<void> {
  const cpuSteps = numericOption('cpu-steps', 1);
  const wasmSteps = numericOption('wasm-steps', 10);
  const imageCount = numericOption('images', 256);
  const workers = Math.max(1, numericOption('workers', defaultDecodeWorkers()));
  await chooseTrainingBackend('wasm');
  const net = model();
  console.log(
    `train component default CNN at ${IMAGE}×${IMAGE}×3, ${CLASSES} classes, ${net.countParams()} parameters; ${os.cpus().length} CPU(s), Node ${process.version}, tfjs ${tf.version.tfjs}`,
  );
  net.dispose();

  const rows: Row[] = [];
  if (cpuSteps > 0) {
    console.log(`cpu: ${cpuSteps} timed step(s) at batch ${CPU_BATCH} (slow)…`);
    rows.push(await stepThroughput('cpu', CPU_BATCH, cpuSteps));
  }
  console.log(`wasm: ${wasmSteps} timed steps at batch ${BATCH}…`);
  rows.push(await stepThroughput('wasm', BATCH, wasmSteps));
  console.log(`input pipeline: ${imageCount} JPEGs…`);
  const images = await jpegImages(imageCount);
  const val = images.slice(0, BATCH);
  rows.push(await pipelineThroughput(images, val, 0, 0));
  rows.push(await pipelineThroughput(images, val, 0, 1));
  rows.push(await pipelineThroughput(images, val, workers, workers));
  rows.push(await decodeThroughput(images, 0));
  rows.push(await decodeThroughput(images, workers));

  const baseline = rows.find((row) => row.backend === 'cpu');
  const header = ['backend', 'what', 'batch', 'images', 'ms/step', 'img/s', 'data wait', 'vs cpu'];
  const table = rows.map((row) => {
    const perSecond = row.images / row.seconds;
    const steps = Math.ceil(row.images / row.batch);
    return [
      row.backend,
      row.what,
      String(row.batch),
      String(row.images),
      ((row.seconds * 1000) / steps).toFixed(0),
      perSecond.toFixed(perSecond < 10 ? 2 : 1),
      row.dataWait === undefined ? '-' : `${(row.dataWait * 100).toFixed(0)}%`,
      baseline && row.backend !== '-' ? `${(perSecond / (baseline.images / baseline.seconds)).toFixed(0)}×` : '-',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  console.log(
    [
      '',
      line(header),
      `|${widths.map((w, i) => (i === 1 ? ':' : '-') + '-'.repeat(w) + (i === 1 ? '-' : ':')).join('|')}|`,
      ...table.map(line),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
