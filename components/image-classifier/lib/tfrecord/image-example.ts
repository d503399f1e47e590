/**
 * The `tf.train.Example` feature keys conventionally used for image classification (Inception's
 * and TF-slim's build_image_data.py), so records written here are read by stock TensorFlow input
 * pipelines:
 *
 *   tf.io.parse_single_example(record, {
 *     'image/encoded': tf.io.FixedLenFeature([], tf.string),
 *     'image/class/label': tf.io.FixedLenFeature([], tf.int64) })
 *
 * Labels are 0-based class indices into a K-way softmax (what Keras, tfjs and our trainer want).
 * Inception's script starts at 1 and keeps 0 for "background"; this module does not.
 */
import { bytesFeature, int64Feature, type Example, type Feature } from './example';

export const IMAGE_FEATURE_KEYS = {
  encoded: 'image/encoded',
  format: 'image/format',
  height: 'image/height',
  width: 'image/width',
  label: 'image/class/label',
  text: 'image/class/text',
  filename: 'image/filename',
} as const;

export interface ImageRecord {
  /** The encoded image (JPEG or PNG bytes), stored as is. */
  encoded: Uint8Array;
  /** `JPEG` or `PNG` (as build_image_data.py writes it; readers usually don't care about case). */
  format: string;
  /** Pixel size of the stored (encoded) image, not of the original. */
  height: number;
  width: number;
  /** 0-based class index. */
  label: number;
  /** Class name, UTF-8. */
  text: string;
  /** Basename of the source file, for tracing a record back to its image. */
  filename: string;
}

function requireCount(name: keyof ImageRecord, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new Error(
      `Image record '${name}' must be an integer ≥ ${minimum}, got ${value}.${name === 'label' ? ' Labels are 0-based class indices: map class names to 0..K-1.' : ''}`,
    );
  }
}

/**
 * The Example for one image, with the conventional keys. Add project-specific features by
 * spreading: `{ ...imageExample(record), 'image/key/sha256': bytesFeature(hash) }`.
 */
export function imageExample(record: ImageRecord): Example {
  requireCount('height', record.height, 1);
  requireCount('width', record.width, 1);
  requireCount('label', record.label, 0);
  const keys = IMAGE_FEATURE_KEYS;
  return {
    [keys.encoded]: bytesFeature(record.encoded),
    [keys.format]: bytesFeature(record.format),
    [keys.height]: int64Feature(record.height),
    [keys.width]: int64Feature(record.width),
    [keys.label]: int64Feature(record.label),
    [keys.text]: bytesFeature(record.text),
    [keys.filename]: bytesFeature(record.filename),
  };
}

const article = (kind: Feature['kind']) => (kind === 'int64' ? 'an' : 'a');

interface FeatureValue {
  bytes: Uint8Array;
  float: number;
  int64: number | bigint;
}

function single<K extends Feature['kind']>(example: Example, key: string, kind: K): FeatureValue[K] {
  const feature = Object.hasOwn(example, key) ? example[key] : undefined;
  const fix = "Write image records with imageExample(), or map this file's keys to the conventional ones (IMAGE_FEATURE_KEYS).";
  if (feature === undefined)
    throw new Error(`tf.train.Example has no '${key}' feature (features present: ${Object.keys(example).join(', ') || 'none'}). ${fix}`);
  if (feature.kind !== kind)
    throw new Error(
      `tf.train.Example feature '${key}' is ${article(feature.kind)} ${feature.kind} list, expected ${article(kind)} ${kind} list. ${fix}`,
    );
  if (feature.values.length !== 1)
    throw new Error(`tf.train.Example feature '${key}' holds ${feature.values.length} values, expected exactly 1. ${fix}`);
  return feature.values[0] as FeatureValue[K];
}

function int64Number(example: Example, key: string): number {
  const value = single(example, key, 'int64');
  if (typeof value === 'bigint')
    throw new Error(
      `tf.train.Example feature '${key}' is ${value}, beyond the range of a JS number; this is not an image size or class index.`,
    );
  return value;
}

/** Reads the conventional image-classification features back; errors name the missing or mistyped key. */
export function readImageExample(example: Example): ImageRecord {
  const keys = IMAGE_FEATURE_KEYS;
  const text = (key: string): string => {
    const bytes = single(example, key, 'bytes');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  };
  return {
    encoded: single(example, keys.encoded, 'bytes'),
    format: text(keys.format),
    height: int64Number(example, keys.height),
    width: int64Number(example, keys.width),
    label: int64Number(example, keys.label),
    text: text(keys.text),
    filename: text(keys.filename),
  };
}
