/**
 * Writes one split as sharded TFRecords of tf.train.Example, in a Dataset folder:
 *
 *   <dir>/train-00000-of-00002.tfrecord, … , <dir>/label_map.json, <dir>/dataset.json
 *
 * The shard count is part of every file name, and with the default size-based count it depends
 * on the encoded sizes, so records go to one hidden staging file first and are then dealt
 * round-robin into the shards. The second pass is plain I/O, negligible next to image decoding,
 * and keeps memory flat however large the split is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bytesFeature, encodeExample, int64Feature } from '../lib/tfrecord/example';
import { IMAGE_FEATURE_KEYS, imageExample } from '../lib/tfrecord/image-example';
import { readTFRecords } from '../lib/tfrecord/tfrecord-reader';
import {
  ShardedTFRecordWriter,
  TFRecordWriter,
  shardCountFor,
  shardFileName,
  type TFRecordFileInfo,
} from '../lib/tfrecord/tfrecord-writer';
import { concurrencyLimit } from '../lib/storage/concurrency-limit';
import type { FileSource } from '../lib/storage/file-source';
import { isUnreadableFileError } from '../lib/storage/read-errors';
import { resizeAndEncode, type EncodeOptions } from './encode-image';
import { LABEL_MAP_FILE, labelMapJson } from './label-map';
import type { SplitName } from './manifest';
import { mapConcurrent } from './map-concurrent';
import { hashToSignedInt64 } from './perceptual-hash';
import type { KeptRow } from './select-rows';
import { itemAt } from '../../../compiler/util/checked-access';

export const DATASET_INFO_FILE = 'dataset.json';
/** Project features beside the conventional ones: the source file's sha256 and its pHash. */
export const EXTRA_FEATURE_KEYS = { sha256: 'image/key/sha256', phash: 'image/phash' } as const;
/** Images encoded, then written in order, per batch: bounds memory, keeps the file order fixed. */
const BATCH = 64;

export interface ShardInfo {
  readonly file: string;
  readonly records: number;
  readonly bytes: number;
  readonly classCounts: Record<string, number>;
}

export interface SplitInfo {
  readonly split: SplitName;
  readonly records: number;
  readonly classCounts: Record<string, number>;
  readonly shardCount: number;
  /** Glob for the shard files, relative to the Dataset folder. */
  readonly shardPattern: string;
  readonly shards: ShardInfo[];
}

export interface WriteSplitOptions extends EncodeOptions {
  readonly dir: string;
  readonly split: SplitName;
  /** Rows in the order to write them. */
  readonly rows: readonly KeptRow[];
  readonly classes: readonly string[];
  /** Fixed shard count; 0 picks one from the size (one shard per `targetShardBytes`). */
  readonly shards: number;
  readonly targetShardBytes: number;
  /** Images encoded at once. */
  readonly concurrency: number;
  /** Images read (downloaded) at once. */
  readonly readConcurrency: number;
  /** Reads the images again (they are not kept in memory between the check and the write). */
  readonly files: FileSource;
  /** The size cap the images were checked against; a file that grew past it since is refused. */
  readonly maxImageBytes?: number;
}

function countByClass(labels: readonly string[], classes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(classes.map((name) => [name, 0]));
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

export async function writeSplit(options: WriteSplitOptions): Promise<SplitInfo> {
  const { dir, split, rows, classes } = options;
  fs.mkdirSync(dir, { recursive: true });
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const encodeLimit = concurrencyLimit(options.concurrency);
  const staging = new TFRecordWriter(path.join(dir, `.${split}.staging.tfrecord`), { fsync: false });
  let stagingPath: string;
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const encoded = await mapConcurrent(batch, Math.max(options.readConcurrency, options.concurrency), async (kept) => {
        let bytes: Buffer;
        try {
          bytes = await options.files.read(kept.row.location, 'image file', options.maxImageBytes);
        } catch (error) {
          if (!isUnreadableFileError(error)) throw error;
          throw new Error(
            `manifest line ${kept.row.line} (${kept.row.image}) was readable when checked but no longer is: ${error.message}; something changed the data during the step: run it again.`,
          );
        }
        try {
          return await encodeLimit(() => resizeAndEncode(bytes, options));
        } catch (error) {
          throw new Error(
            `manifest line ${kept.row.line} (${kept.row.image}) decoded when checked but failed to re-encode: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      });
      batch.forEach((kept, i) => {
        const image = itemAt(encoded, i, 'encoded image');
        staging.write(
          encodeExample({
            ...imageExample({
              encoded: image.encoded,
              format: image.format,
              height: image.height,
              width: image.width,
              label: classIndex.get(kept.row.label)!,
              text: kept.row.label,
              filename: path.posix.basename(kept.row.image),
            }),
            [EXTRA_FEATURE_KEYS.sha256]: bytesFeature(kept.sha256),
            [EXTRA_FEATURE_KEYS.phash]: int64Feature(hashToSignedInt64(kept.phash)),
          }),
        );
      });
    }
    stagingPath = staging.close().path;
  } catch (error) {
    staging.abort();
    throw error;
  }

  const shardCount = options.shards > 0 ? options.shards : shardCountFor(staging.bytes, { targetShardBytes: options.targetShardBytes });
  const prefix = path.join(dir, split);
  // Clear shards of an earlier write with another count, so the folder holds exactly one set.
  for (const name of fs.readdirSync(dir)) if (name.startsWith(`${split}-`) && name.endsWith('.tfrecord')) fs.rmSync(path.join(dir, name));
  const writer = new ShardedTFRecordWriter({ prefix, shardCount, fsync: true });
  let written: TFRecordFileInfo[];
  try {
    for (const record of readTFRecords(stagingPath)) writer.write(record.data);
    written = writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    fs.rmSync(stagingPath, { force: true });
  }

  // The sharded writer deals record i to shard i mod n.
  const labels = rows.map((kept) => kept.row.label);
  const shards: ShardInfo[] = written.map((file, shard) => ({
    file: path.basename(file.path),
    records: file.records,
    bytes: file.bytes,
    classCounts: countByClass(
      labels.filter((_, i) => i % shardCount === shard),
      classes,
    ),
  }));
  const info: SplitInfo = {
    split,
    records: rows.length,
    classCounts: countByClass(labels, classes),
    shardCount,
    shardPattern: path.basename(shardFileName(prefix, 0, shardCount)).replace(/-\d{5}-of-/, '-*-of-'),
    shards,
  };
  fs.writeFileSync(path.join(dir, LABEL_MAP_FILE), labelMapJson(classes));
  const description = {
    ...info,
    labels: classes,
    labelBase: 0,
    image: { size: options.size, format: 'JPEG', channels: 3, jpegQuality: options.quality },
    featureKeys: { ...IMAGE_FEATURE_KEYS, ...EXTRA_FEATURE_KEYS },
  };
  fs.writeFileSync(path.join(dir, DATASET_INFO_FILE), `${JSON.stringify(description, null, 2)}\n`);
  return info;
}
