/**
 * Fashion-MNIST as the Debian package `dataset-fashion-mnist` installs it: the official split,
 * 60,000 training and 10,000 test images of 28 × 28 grey pixels in 10 balanced classes, as gzipped
 * IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-…).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIdxFile, type IdxArray } from './idx';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names in label order (the data set's documentation), spelled as folder-safe labels. */
export const FASHION_MNIST_CLASSES = [
  't-shirt-top',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle-boot',
] as const;

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export const INSTALL_HINT =
  'install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or pass --data DIR holding the four *-ubyte.gz files from github.com/zalandoresearch/fashion-mnist';

export class FashionMnistMissingError extends Error {
  override readonly name = 'FashionMnistMissingError';
}

export interface ImageSplit {
  /** Image side, pixels (28). */
  readonly size: number;
  readonly count: number;
  /** count × size × size grey values, row-major. */
  readonly pixels: Uint8Array;
  /** count class indices in [0, 10). */
  readonly labels: Uint8Array;
}

export interface FashionMnist {
  readonly dir: string;
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

function imageSplit(images: IdxArray, labels: IdxArray, imagesFile: string, labelsFile: string): ImageSplit {
  const [count, height, width] = images.shape;
  if (images.shape.length !== 3 || height !== width)
    throw new Error(`${imagesFile} has shape ${images.shape.join(' × ')}; expected N × 28 × 28 images.`);
  if (labels.shape.length !== 1 || labels.shape[0] !== count)
    throw new Error(
      `${labelsFile} has shape ${labels.shape.join(' × ')} but ${imagesFile} holds ${count} images; the files are from different releases.`,
    );
  const bad = labels.data.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0)
    throw new Error(`${labelsFile}: label ${labels.data[bad]} at index ${bad} is not one of the ${FASHION_MNIST_CLASSES.length} classes.`);
  return { size: height!, count: count!, pixels: images.data, labels: labels.data };
}

/** Which of the four files are missing from `dir` (empty when all are there). */
export function missingFashionMnistFiles(dir: string): string[] {
  return Object.values(FASHION_MNIST_FILES).filter((name) => !fs.existsSync(path.join(dir, name)));
}

export function loadFashionMnist(dir = FASHION_MNIST_DIR): FashionMnist {
  const missing = missingFashionMnistFiles(dir);
  if (missing.length > 0)
    throw new FashionMnistMissingError(`Fashion-MNIST is not in ${dir} (missing ${missing.join(', ')}); ${INSTALL_HINT}.`);
  const file = (name: string) => path.join(dir, name);
  const f = FASHION_MNIST_FILES;
  return {
    dir,
    train: imageSplit(readIdxFile(file(f.trainImages)), readIdxFile(file(f.trainLabels)), file(f.trainImages), file(f.trainLabels)),
    test: imageSplit(readIdxFile(file(f.testImages)), readIdxFile(file(f.testLabels)), file(f.testImages), file(f.testLabels)),
  };
}
