/**
 * Does fine-tuning pay? The issue's test, on Fashion-MNIST (the Debian package
 * dataset-fashion-mnist; the script says how to install it when missing):
 *   1. pretrain the train step's default network (recipe.ts RECIPE_DEFAULTS.architecture, on
 *      grayscale input, with the step's default recipe) on classes 0–4 (t-shirt-top, trouser,
 *      pullover, dress, coat), `--pretrain-per-class` images each (default 1,000) for
 *      `--pretrain-epochs` (default 5), and save it as the train step does. The saved base is
 *      cached under node_modules/.cache/kfp-ts/bench-finetune/, keyed by every setting that
 *      shapes it, so a rerun costs only the two arms (`--fresh-base` trains it again);
 *   2. for each of `--seeds` seeds (default 3): take `--per-class` (default 50) training images of
 *      each of classes 5–9 (sandal, shirt, sneaker, bag, ankle-boot), 250 in all, and train
 *      - from scratch: the same network, random weights, `--epochs` epochs (default: the step's);
 *      - fine-tuned: the pretrained model with a new 5-class head (every layer after its flatten
 *        layer starts again), `--head-epochs` (default: the step's headEpochs) of them on the head
 *        alone, the rest on every layer at `--lr-percent` % of the learning rate (default: the
 *        step's fineTuneLearningRateFactor);
 *      both with the same images, epochs, batch size, learning rate, schedule, augmentation and the
 *      same 10 validation images per class (which pick the epoch whose weights are kept);
 *   3. score both on every official test image of classes 5–9 (5,000).
 * It prints top-1 per seed, the medians and the difference, measured in this one run, and exits
 * with status 1 when the fine-tuned median is not above the from-scratch one. Training runs on
 * tfjs' wasm backend (one core) with the project's gradient kernels, as the step does.
 *
 *   npm run bench:finetune -- [--seeds=3] [--per-class=50] [--epochs=20] [--head-epochs=5] [--lr-percent=50]
 *                             [--pretrain-per-class=1000] [--pretrain-epochs=5] [--fresh-base] [--data=DIR]
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { deriveSeed, seededRandom } from '../components/image-classifier/preprocess/seeded-random';
import { buildClassifier, type ArchitectureOptions } from '../components/image-classifier/train/architectures/architecture';
import { chooseTrainingBackend } from '../components/image-classifier/train/backend-choice';
import { networkInputOf } from '../components/image-classifier/train/base-model';
import { TRAIN_DEFAULTS } from '../components/image-classifier/train/component';
import { startFromBaseModel } from '../components/image-classifier/train/fine-tune';
import { fineTuneClassifier } from '../components/image-classifier/train/fine-tune-training';
import type { LabelledImage } from '../components/image-classifier/train/image-dataset';
import { evaluateClassifier } from '../components/image-classifier/train/predict';
import { augmentationFor, parseRecipe } from '../components/image-classifier/train/recipe';
import { preprocessingFor, saveTrainedModel } from '../components/image-classifier/train/trained-model';
import { trainClassifier, type TrainOptions } from '../components/image-classifier/train/training-loop';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DIR,
  FashionMnistMissingError,
  loadFashionMnist,
  type ImageSplit,
} from './fashion-mnist/dataset';
import { numericOption, stringOption } from './options';

const SIZE = 28;
/** Fashion-MNIST is grayscale: the step's inputChannels 0 decides 1 for it. */
const CHANNELS = 1;
const PRETRAIN_CLASSES = [0, 1, 2, 3, 4];
const TARGET_CLASSES = [5, 6, 7, 8, 9];
const VAL_PER_CLASS = 10;
const PRETRAIN_VAL_PER_CLASS = 100;
const PRETRAIN_SEED = 1;

const options = {
  seeds: numericOption('seeds', 3),
  perClass: numericOption('per-class', 50),
  epochs: numericOption('epochs', TRAIN_DEFAULTS.epochs),
  headEpochs: numericOption('head-epochs', TRAIN_DEFAULTS.headEpochs),
  /** Percent of the learning rate the unfrozen phase trains at (fineTuneLearningRateFactor × 100). */
  lrPercent: numericOption('lr-percent', Math.round(TRAIN_DEFAULTS.fineTuneLearningRateFactor * 100)),
  pretrainPerClass: numericOption('pretrain-per-class', 1000),
  pretrainEpochs: numericOption('pretrain-epochs', 5),
  freshBase: process.argv.includes('--fresh-base'),
  data: stringOption('data', FASHION_MNIST_DIR),
};

/** One grey PNG per image (what the manifest conversion writes too). */
async function encode(split: ImageSplit, index: number, label: number): Promise<LabelledImage> {
  const pixels = split.pixels.subarray(index * SIZE * SIZE, (index + 1) * SIZE * SIZE);
  const encoded = await sharp(Buffer.from(pixels), { raw: { width: SIZE, height: SIZE, channels: 1 } })
    .png()
    .toBuffer();
  return { encoded, label, filename: `${index}.png` };
}

/** Indices of `split` per class of `classes`, shuffled with `seed` (the same seed, the same order). */
function indicesByClass(split: ImageSplit, classes: readonly number[], seed: number): number[][] {
  const random = seededRandom(seed);
  return classes.map((c) => {
    const indices = [...split.labels.keys()].filter((i) => split.labels[i] === c);
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indices[i], indices[j]] = [indices[j]!, indices[i]!];
    }
    return indices;
  });
}

/** Images of `classes` relabelled 0..classes.length-1, `from` to `to` of each class's shuffled indices. */
async function take(split: ImageSplit, byClass: number[][], from: number, to: number): Promise<LabelledImage[]> {
  return Promise.all(byClass.flatMap((indices, label) => indices.slice(from, to).map((index) => encode(split, index, label))));
}

/** The train step's default network and recipe, as its component runs them. */
const recipe = parseRecipe(TRAIN_DEFAULTS);
const network = (numClasses: number, seed: number): ArchitectureOptions => ({
  architecture: recipe.architecture,
  imageSize: SIZE,
  channels: CHANNELS,
  numClasses,
  dropout: TRAIN_DEFAULTS.dropout,
  filters: TRAIN_DEFAULTS.filters,
  blocks: TRAIN_DEFAULTS.blocks,
  kernelSize: TRAIN_DEFAULTS.kernelSize,
  denseUnits: TRAIN_DEFAULTS.denseUnits,
  batchNorm: TRAIN_DEFAULTS.batchNorm,
  seed,
});
const training = (numClasses: number, epochs: number, seed: number): TrainOptions => ({
  epochs,
  batchSize: TRAIN_DEFAULTS.batchSize,
  learningRate: TRAIN_DEFAULTS.learningRate,
  weightDecay: TRAIN_DEFAULTS.weightDecay,
  schedule: recipe.schedule,
  // The step's warm-up, shortened for runs too short for it (it must end before the last epoch).
  warmupEpochs: Math.min(TRAIN_DEFAULTS.warmupEpochs, epochs / 2),
  labelSmoothing: TRAIN_DEFAULTS.labelSmoothing,
  classWeights: recipe.classWeights,
  // Every epoch runs in both arms (the best epoch's weights are still the ones kept).
  patience: 0,
  imageSize: SIZE,
  numClasses,
  augment: augmentationFor(recipe.flip, TRAIN_DEFAULTS.maxShift, TRAIN_DEFAULTS.brightness),
  seed,
});

/** What the cached base was trained with: any change trains a new one. */
function baseKey(dataDir: string): { key: string; settings: Record<string, unknown> } {
  const settings = {
    network: network(PRETRAIN_CLASSES.length, PRETRAIN_SEED),
    training: { ...training(PRETRAIN_CLASSES.length, options.pretrainEpochs, PRETRAIN_SEED) },
    classes: PRETRAIN_CLASSES,
    perClass: options.pretrainPerClass,
    valPerClass: PRETRAIN_VAL_PER_CLASS,
    data: path.resolve(dataDir),
    tfjs: tf.version.tfjs,
  };
  return { key: createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16), settings };
}

interface PretrainRecord {
  readonly valAccuracy: number;
  readonly seconds: number;
  readonly images: number;
}

/** The pretrained base's folder: from the cache, or trained now and cached (written aside, then renamed). */
async function pretrainedBase(
  data: ReturnType<typeof loadFashionMnist>,
  labels: readonly string[],
): Promise<{ dir: string; record: PretrainRecord; cached: boolean }> {
  const { key, settings } = baseKey(data.dir);
  const cacheRoot = path.resolve(__dirname, '..', 'node_modules', '.cache', 'kfp-ts', 'bench-finetune');
  const dir = path.join(cacheRoot, key);
  const recordFile = path.join(dir, 'pretrain.json');
  if (!options.freshBase && fs.existsSync(recordFile)) {
    return { dir, record: (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as { record: PretrainRecord }).record, cached: true };
  }
  const byClass = indicesByClass(data.train, PRETRAIN_CLASSES, PRETRAIN_SEED);
  const train = await take(data.train, byClass, 0, options.pretrainPerClass);
  const val = await take(data.train, byClass, options.pretrainPerClass, options.pretrainPerClass + PRETRAIN_VAL_PER_CLASS);
  const started = performance.now();
  const model = buildClassifier(network(PRETRAIN_CLASSES.length, PRETRAIN_SEED));
  const trained = await trainClassifier(model, train, val, {
    ...training(PRETRAIN_CLASSES.length, options.pretrainEpochs, PRETRAIN_SEED),
    log: (line) => console.log(`  pretrain ${line}`),
  });
  const record: PretrainRecord = {
    valAccuracy: trained.best.valAccuracy,
    seconds: (performance.now() - started) / 1000,
    images: train.length,
  };
  fs.mkdirSync(cacheRoot, { recursive: true });
  const partial = fs.mkdtempSync(path.join(cacheRoot, `${key}.partial-`));
  await saveTrainedModel(partial, { model, labels, preprocessing: preprocessingFor(SIZE, CHANNELS) });
  model.dispose();
  fs.writeFileSync(path.join(partial, 'pretrain.json'), `${JSON.stringify({ record, settings }, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  return { dir, record, cached: false };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const pct = (value: number) => (value * 100).toFixed(1).padStart(6);

async function main(): Promise<void> {
  let data: ReturnType<typeof loadFashionMnist>;
  try {
    data = loadFashionMnist(options.data);
  } catch (error) {
    if (error instanceof FashionMnistMissingError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const backend = await chooseTrainingBackend('wasm');
  const labelsOf = (classes: readonly number[]) => classes.map((c) => FASHION_MNIST_CLASSES[c]!);
  const pretrainLabels = labelsOf(PRETRAIN_CLASSES);
  const targetLabels = labelsOf(TARGET_CLASSES);
  console.log(
    `Fashion-MNIST from ${data.dir}; ${backend.backend} on ${backend.device}; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} (shared with other work: timings are indicative)`,
  );
  console.log(
    `network: ${recipe.architecture}, ${SIZE}×${SIZE}×${CHANNELS}; batch ${TRAIN_DEFAULTS.batchSize}, learning rate ${TRAIN_DEFAULTS.learningRate} (${recipe.schedule}, ${TRAIN_DEFAULTS.warmupEpochs} warm-up epoch), weight decay ${TRAIN_DEFAULTS.weightDecay}, label smoothing ${TRAIN_DEFAULTS.labelSmoothing}`,
  );

  // 1. Pretraining on the other five classes, once (cached across runs).
  const base = await pretrainedBase(data, pretrainLabels);
  const baseDir = base.dir;
  console.log(
    `base: pretrained on ${base.record.images} images of ${pretrainLabels.join(', ')}, ${options.pretrainEpochs} epochs: val top-1 ${base.record.valAccuracy.toFixed(3)}, ${base.record.seconds.toFixed(0)} s` +
      (base.cached ? ` (cached in ${baseDir}; --fresh-base trains it again)` : ` (cached in ${baseDir})`),
  );

  // 3's test set: every official test image of the five target classes.
  const testByClass = TARGET_CLASSES.map((c) => [...data.test.labels.keys()].filter((i) => data.test.labels[i] === c));
  const test = await take(data.test, testByClass, 0, Number.MAX_SAFE_INTEGER);
  const targetByClass = indicesByClass(data.train, TARGET_CLASSES, 2);
  const input = networkInputOf(preprocessingFor(SIZE, CHANNELS));

  const rows: { seed: number; scratch: number; tuned: number; scratchSeconds: number; tunedSeconds: number }[] = [];
  for (let s = 0; s < options.seeds; s++) {
    const seed = deriveSeed(7, `seed/${s}`);
    // A different 50 per class for each seed, and 10 per class for validation after them.
    const offset = s * (options.perClass + VAL_PER_CLASS);
    const train = await take(data.train, targetByClass, offset, offset + options.perClass);
    const val = await take(data.train, targetByClass, offset + options.perClass, offset + options.perClass + VAL_PER_CLASS);

    let started = performance.now();
    const scratch = buildClassifier(network(TARGET_CLASSES.length, seed));
    await trainClassifier(scratch, train, val, training(TARGET_CLASSES.length, options.epochs, seed));
    const scratchScore = await evaluateClassifier(scratch, test, { imageSize: SIZE, batchSize: 256 });
    scratch.dispose();
    const scratchSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const start = await startFromBaseModel(baseDir, baseDir, { labels: targetLabels, input, seed });
    await fineTuneClassifier(start, train, val, training(TARGET_CLASSES.length, options.epochs, seed), {
      headEpochs: options.headEpochs,
      learningRateFactor: options.lrPercent / 100,
    });
    const tunedScore = await evaluateClassifier(start.model, test, { imageSize: SIZE, batchSize: 256 });
    start.model.dispose();
    const tunedSeconds = (performance.now() - started) / 1000;
    rows.push({ seed, scratch: scratchScore.accuracy, tuned: tunedScore.accuracy, scratchSeconds, tunedSeconds });
    console.log(
      `seed ${s + 1}/${options.seeds}: scratch ${scratchScore.accuracy.toFixed(4)} (${scratchSeconds.toFixed(0)} s), fine-tuned ${tunedScore.accuracy.toFixed(4)} (${tunedSeconds.toFixed(0)} s)`,
    );
  }

  console.log(
    `\nTop-1 on the ${test.length} official test images of ${targetLabels.join(', ')}; ${options.perClass} training images per class, ${options.epochs} epochs (fine-tuned: ${options.headEpochs} head-only, then every layer at ${options.lrPercent} % of the learning rate)`,
  );
  console.log('| run | from scratch | fine-tuned | difference |');
  console.log('|---|---:|---:|---:|');
  for (const [i, row] of rows.entries())
    console.log(`| seed ${i + 1} | ${pct(row.scratch)} % | ${pct(row.tuned)} % | ${pct(row.tuned - row.scratch)} pt |`);
  const scratchMedian = median(rows.map((r) => r.scratch));
  const tunedMedian = median(rows.map((r) => r.tuned));
  console.log(`| median | ${pct(scratchMedian)} % | ${pct(tunedMedian)} % | ${pct(median(rows.map((r) => r.tuned - r.scratch)))} pt |`);
  console.log(
    `| median seconds | ${median(rows.map((r) => r.scratchSeconds)).toFixed(0)} | ${median(rows.map((r) => r.tunedSeconds)).toFixed(0)} | |`,
  );
  const wins = rows.filter((r) => r.tuned > r.scratch).length;
  console.log(`\nfine-tuning beat training from scratch in ${wins} of ${rows.length} seed(s)`);
  if (tunedMedian <= scratchMedian) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
