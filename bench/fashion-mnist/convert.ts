/**
 * Fashion-MNIST → a folder the image-classifier pipeline reads: one grey PNG per image and a
 * `manifest.csv` (image,label,split) whose split column fixes every row: the sampled training
 * images `train`, the sampled validation images `val`, and all 10,000 official test images `test`.
 *
 *   <out>/images/<class>/train-NNNNN.png   index NNNNN of the official training set
 *   <out>/images/<class>/test-NNNNN.png    index NNNNN of the official test set
 *   <out>/manifest.csv
 *   <out>/selection.json                   the settings and the indices (the PyTorch baseline reads them)
 *
 * selection.json is written last, so a folder whose selection.json matches the settings is a
 * complete conversion and is reused as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { mapConcurrent } from '../../components/image-classifier/preprocess/map-concurrent';
import { FASHION_MNIST_CLASSES, type FashionMnist, type ImageSplit } from './dataset';
import { sampleTrainingImages, type SampleOptions } from './sample';

export const SELECTION_FILE = 'selection.json';

export interface Selection {
  readonly source: string;
  readonly perClass: number | 'all';
  readonly valPerClass: number;
  readonly seed: number;
  readonly classes: readonly string[];
  /** Indices into the official training set. */
  readonly train: readonly number[];
  readonly val: readonly number[];
  /** Size of the official test set; every test image is used. */
  readonly testCount: number;
}

/** The official set and index an image file name stands for (`train-00012.png` → train, 12). */
export function officialIndexOf(filename: string): { set: 'train' | 'test'; index: number } | undefined {
  const match = /^(train|test)-(\d+)\.png$/.exec(path.posix.basename(filename));
  return match ? { set: match[1] as 'train' | 'test', index: Number(match[2]) } : undefined;
}

const imagePath = (set: 'train' | 'test', index: number, label: number) =>
  `images/${FASHION_MNIST_CLASSES[label]}/${set}-${String(index).padStart(5, '0')}.png`;

/** The selection.json of a finished conversion in `outDir` with these settings, if there is one. */
export function existingSelection(outDir: string, source: string, options: SampleOptions): Selection | undefined {
  try {
    const found = JSON.parse(fs.readFileSync(path.join(outDir, SELECTION_FILE), 'utf8')) as Selection;
    const same =
      found.source === source &&
      found.perClass === options.perClass &&
      found.valPerClass === options.valPerClass &&
      found.seed === options.seed;
    return same && fs.existsSync(path.join(outDir, 'manifest.csv')) ? found : undefined;
  } catch {
    return undefined;
  }
}

async function writePng(file: string, split: ImageSplit, index: number): Promise<void> {
  const { size } = split;
  const pixels = split.pixels.subarray(index * size * size, (index + 1) * size * size);
  await sharp(pixels, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
}

/** Writes the images, manifest.csv and selection.json into `outDir` (which it empties first). */
export async function convertFashionMnist(data: FashionMnist, outDir: string, options: SampleOptions): Promise<Selection> {
  const sample = sampleTrainingImages(data.train.labels, FASHION_MNIST_CLASSES.length, options);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const name of FASHION_MNIST_CLASSES) fs.mkdirSync(path.join(outDir, 'images', name), { recursive: true });
  const rows: { image: string; label: number; split: 'train' | 'val' | 'test'; from: ImageSplit; index: number }[] = [
    ...sample.train.map((index) => ({
      image: imagePath('train', index, data.train.labels[index]!),
      label: data.train.labels[index]!,
      split: 'train' as const,
      from: data.train,
      index,
    })),
    ...sample.val.map((index) => ({
      image: imagePath('train', index, data.train.labels[index]!),
      label: data.train.labels[index]!,
      split: 'val' as const,
      from: data.train,
      index,
    })),
    ...Array.from({ length: data.test.count }, (_, index) => ({
      image: imagePath('test', index, data.test.labels[index]!),
      label: data.test.labels[index]!,
      split: 'test' as const,
      from: data.test,
      index,
    })),
  ];
  await mapConcurrent(rows, 8, (row) => writePng(path.join(outDir, row.image), row.from, row.index));
  const manifest = ['image,label,split', ...rows.map((row) => `${row.image},${FASHION_MNIST_CLASSES[row.label]},${row.split}`)].join('\n');
  fs.writeFileSync(path.join(outDir, 'manifest.csv'), `${manifest}\n`);
  const selection: Selection = {
    source: data.dir,
    perClass: options.perClass,
    valPerClass: options.valPerClass,
    seed: options.seed,
    classes: [...FASHION_MNIST_CLASSES],
    train: sample.train,
    val: sample.val,
    testCount: data.test.count,
  };
  fs.writeFileSync(path.join(outDir, SELECTION_FILE), `${JSON.stringify(selection)}\n`);
  return selection;
}
