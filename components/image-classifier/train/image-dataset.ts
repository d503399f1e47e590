/**
 * Reads a Dataset folder written by the preprocess step:
 *
 *   <dir>/<split>-00000-of-0000N.tfrecord, …   tf.train.Examples (image bytes, class index, …)
 *   <dir>/label_map.json                      {"0": "circle", "1": "square", …}
 *
 * Every record's CRCs are verified. The encoded images (small JPEGs, a few KB each) are kept in
 * memory and decoded per batch while training, so each epoch can shuffle and augment them afresh;
 * at 64–128 px that is a few tens of MB per 10,000 images.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LABEL_MAP_FILE, readLabelMap } from '../preprocess/label-map';
import { readImageExample } from '../lib/tfrecord/image-example';
import { findShards, readExamples } from '../lib/tfrecord/tfrecord-reader';

export interface LabelledImage {
  /** The encoded image (JPEG or PNG bytes) as stored in the record. */
  readonly encoded: Uint8Array;
  /** 0-based class index into the label map. */
  readonly label: number;
  /** Source file name, to trace an image back. */
  readonly filename: string;
}

export interface ImageDataset {
  readonly dir: string;
  readonly shards: readonly string[];
  /** Class names in class-index order. */
  readonly labels: readonly string[];
  readonly images: readonly LabelledImage[];
}

const SHARD_NAME = /^(.+)-\d{5,}-of-\d{5,}\.tfrecord$/;

/** The one complete shard set in `dir` (e.g. train-00000-of-00002.tfrecord, …), in shard order. */
export function findDatasetShards(dir: string, role = 'dataset'): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    throw new Error(
      `${role}: cannot list the Dataset folder ${dir}: ${(error as Error).message}; pass the Dataset artifact written by the preprocess step.`,
    );
  }
  const prefixes = [...new Set(names.map((name) => SHARD_NAME.exec(name)?.[1]).filter((prefix): prefix is string => prefix !== undefined))];
  if (prefixes.length === 0) {
    throw new Error(
      `${role}: ${dir} holds no TFRecord shards (<split>-NNNNN-of-MMMMM.tfrecord); pass a Dataset artifact written by the preprocess step.`,
    );
  }
  if (prefixes.length > 1) {
    throw new Error(
      `${role}: ${dir} holds shards of several splits (${prefixes.sort().join(', ')}); a Dataset folder must hold exactly one split.`,
    );
  }
  return findShards(path.join(dir, prefixes[0]!));
}

/** Reads every image record of a Dataset folder, CRC verified, with its label map. */
export function readImageDataset(dir: string, role = 'dataset'): ImageDataset {
  const shards = findDatasetShards(dir, role);
  const labelMapFile = path.join(dir, LABEL_MAP_FILE);
  if (!fs.existsSync(labelMapFile))
    throw new Error(`${role}: ${dir} has no ${LABEL_MAP_FILE}; the preprocess step writes it beside the shards.`);
  const labels = readLabelMap(labelMapFile);
  const images: LabelledImage[] = [];
  for (const example of readExamples(shards, { verifyCrc: true })) {
    const record = readImageExample(example);
    if (record.label >= labels.length) {
      throw new Error(
        `${role}: record ${images.length} (${record.filename}) has class index ${record.label}, but ${LABEL_MAP_FILE} names only ${labels.length} classes; the shards and the label map come from different preprocess runs, re-run preprocess.`,
      );
    }
    images.push({ encoded: record.encoded, label: record.label, filename: record.filename });
  }
  return { dir, shards, labels, images };
}

/** Throws unless both splits use the same classes in the same order (they must share one label map). */
export function requireSameLabels(train: ImageDataset, val: ImageDataset): void {
  const same = train.labels.length === val.labels.length && train.labels.every((name, i) => val.labels[i] === name);
  if (!same) {
    throw new Error(
      `the train and val Datasets have different label maps (train: ${JSON.stringify(train.labels)}, val: ${JSON.stringify(val.labels)}); pass splits written by the same preprocess run.`,
    );
  }
}
