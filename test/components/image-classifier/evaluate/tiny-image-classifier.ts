// A tiny image set and classifier for the evaluate component's tests: four colour-tinted noise
// classes that overlap (so the model is good but not perfect, and calibration is measurable),
// written as preprocess-style Dataset folders with the TFRecord writer, and a small CNN trained on
// them for a few epochs with the train component's code, saved as a Model folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { labelMapJson } from '../../../../components/image-classifier/preprocess/label-map';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';
import { imageExample } from '../../../../components/image-classifier/lib/tfrecord/image-example';
import { ShardedTFRecordWriter } from '../../../../components/image-classifier/lib/tfrecord/tfrecord-writer';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { DEFAULT_CNN, buildCnn } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { trainClassifier } from '../../../../components/image-classifier/train/training-loop';
import { preprocessingFor, saveTrainedModel } from '../../../../components/image-classifier/train/trained-model';

/** Sorted, as preprocess orders classes. */
export const CLASSES = ['blue', 'gray', 'green', 'red'];
export const SIZE = 8;

const TINTS: Record<string, [number, number, number]> = {
  blue: [0.42, 0.42, 0.58],
  gray: [0.48, 0.48, 0.48],
  green: [0.42, 0.58, 0.42],
  red: [0.58, 0.42, 0.42],
};

/** One image of class `label`: its tint, a random brightness shift of ±0.12, and ±0.3 pixel noise. */
function tintedNoise(label: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const tint = TINTS[CLASSES[label]!]!;
  const shift = (random() - 0.5) * 0.24;
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(255 * Math.min(1, Math.max(0, tint[i % 3]! + shift + (random() - 0.5) * 0.6)));
  return rgb;
}

/** `count` images cycling through the classes; `relabel` can give an image another label than its tint's. */
export async function tintedImages(
  count: number,
  seed: number,
  relabel: (i: number, label: number) => number = (_i, label) => label,
): Promise<LabelledImage[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const drawn = i % CLASSES.length;
      const encoded = await sharp(tintedNoise(drawn, seed * 100_000 + i), { raw: { width: SIZE, height: SIZE, channels: 3 } })
        .png()
        .toBuffer();
      return { encoded, label: relabel(i, drawn), filename: `${CLASSES[drawn]}-${seed}-${i}.png` };
    }),
  );
}

/** `<dir>/<split>-0000k-of-0000n.tfrecord` shards and label_map.json (of `classes`), as preprocess writes them. */
export function writeDatasetFolder(
  dir: string,
  split: string,
  images: readonly LabelledImage[],
  classes: readonly string[] = CLASSES,
  shards = 2,
): void {
  fs.mkdirSync(dir, { recursive: true });
  const writer = new ShardedTFRecordWriter({ prefix: path.join(dir, split), shardCount: shards, fsync: false });
  for (const image of images) {
    writer.writeExample(
      imageExample({
        encoded: image.encoded,
        format: 'PNG',
        height: SIZE,
        width: SIZE,
        label: image.label,
        text: classes[image.label]!,
        filename: image.filename,
      }),
    );
  }
  writer.close();
  fs.writeFileSync(path.join(dir, 'label_map.json'), labelMapJson(classes));
}

/** Trains the small CNN for a few epochs and saves it as a Model folder (model.json, weights.bin, label_map.json, preprocessing.json). */
export async function trainTinyModel(dir: string, train: readonly LabelledImage[], val: readonly LabelledImage[]): Promise<void> {
  await chooseTrainingBackend('wasm');
  // The train component's defaults for anything not set here, so new CNN options need no change.
  const model = buildCnn({
    ...DEFAULT_CNN,
    imageSize: SIZE,
    numClasses: CLASSES.length,
    filters: 4,
    blocks: 1,
    denseUnits: 8,
    dropout: 0.1,
    seed: 5,
  });
  try {
    await trainClassifier(model, train, val, {
      epochs: 8,
      batchSize: 16,
      learningRate: 0.03,
      patience: 0,
      imageSize: SIZE,
      numClasses: CLASSES.length,
      seed: 5,
    });
    await saveTrainedModel(dir, { model, labels: CLASSES, preprocessing: preprocessingFor(SIZE) });
  } finally {
    model.dispose();
  }
}
