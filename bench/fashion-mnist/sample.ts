/**
 * Which official training images the benchmark uses: per class, the class's indices shuffled with
 * a seed of their own (so the choice in one class does not depend on the others), the first
 * `valPerClass` for validation, the next `perClass` (or all the rest) for training. The test split
 * is always the whole official test set.
 */
import { deriveSeed, seededRandom, shuffled } from '../../components/image-classifier/preprocess/seeded-random';

/** Sizes the data set cannot give; the message says what to lower. */
export class SampleSizeError extends Error {
  override readonly name = 'SampleSizeError';
}

export interface SampleOptions {
  /** Training images per class, or 'all' for every image not taken for validation. */
  readonly perClass: number | 'all';
  readonly valPerClass: number;
  readonly seed: number;
}

export interface TrainingSample {
  /** Indices into the official training set, ascending. */
  readonly train: number[];
  readonly val: number[];
}

export function sampleTrainingImages(labels: Uint8Array, classCount: number, options: SampleOptions): TrainingSample {
  const { perClass, valPerClass, seed } = options;
  if (perClass !== 'all' && !(Number.isInteger(perClass) && perClass >= 1))
    throw new SampleSizeError(`--per-class must be a whole number ≥ 1, got ${perClass}.`);
  if (!(Number.isInteger(valPerClass) && valPerClass >= 1))
    throw new SampleSizeError(`--val-per-class must be a whole number ≥ 1, got ${valPerClass}; the train step needs validation images.`);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  labels.forEach((label, index) => byClass[label]!.push(index));
  const train: number[] = [];
  const val: number[] = [];
  byClass.forEach((members, label) => {
    const need = valPerClass + (perClass === 'all' ? 1 : perClass);
    if (members.length < need) {
      throw new SampleSizeError(
        `class ${label} has ${members.length} training images, fewer than the ${need} asked for (${valPerClass} val + ${perClass === 'all' ? 'at least 1' : perClass} train); lower --per-class or --val-per-class.`,
      );
    }
    const order = shuffled(members, seededRandom(deriveSeed(seed, `fashion-mnist/class-${label}`)));
    val.push(...order.slice(0, valPerClass));
    train.push(...order.slice(valPerClass, perClass === 'all' ? undefined : valPerClass + perClass));
  });
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}
