/**
 * The preprocess step as a library function: manifest.csv and images in; sharded TFRecord Dataset
 * folders for train/val/test, label_map.json and a data-quality report out.
 *
 *   1. read the manifest and its images from local paths or gs:// URIs (lib/storage/file-source.ts:
 *      through the /gcs FUSE mount where it exists, as on Vertex AI, else the Cloud Storage client);
 *   2. decode and hash every image; set bad rows aside;
 *   3. remove exact copies and near-duplicates of kept rows (never rows the manifest fixes to a split);
 *   4. seeded stratified split (rows the manifest pins keep their split);
 *   5. write the report, and fail if the share of bad rows passes maxBadFraction;
 *   6. resize, re-encode and write each split's shards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateEncodeOptions } from './encode-image';
import { DEFAULT_DOWNLOAD_CONCURRENCY } from '../lib/storage/gcs-reader';
import { FileSource } from '../lib/storage/file-source';
import { labelMapJson, sortedClasses } from './label-map';
import { SPLITS, loadManifest, type SplitName } from './manifest';
import {
  buildQualityReport,
  enforceBadRowLimit,
  qualityReportJson,
  renderQualityReportMarkdown,
  type QualityReport,
} from './quality-report';
import { deriveSeed, seededRandom, shuffled } from './seeded-random';
import { DedupeOptionsError, validateDedupeOptions } from './near-duplicates';
import { selectRows, type KeptRow } from './select-rows';
import { stratifiedSplit, validateFractions } from './stratified-split';
import { writeSplit, type SplitInfo } from './write-split';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { itemAt } from '../../../compiler/util/checked-access';

export interface PreprocessOutputs {
  /** Dataset folders, one per split. */
  readonly train: string;
  readonly val: string;
  readonly test: string;
  /** File paths. */
  readonly labelMap: string;
  readonly reportMarkdown: string;
  readonly reportJson: string;
}

export interface PreprocessOptions {
  /** Path or gs:// URI of manifest.csv. */
  readonly manifest: string;
  readonly outputs: PreprocessOutputs;
  /** Side of the square stored images, pixels. @default 64 */
  readonly imageSize?: number;
  /** @default 90 */
  readonly jpegQuality?: number;
  /** @default 0.15 */
  readonly valFraction?: number;
  /** @default 0.15 */
  readonly testFraction?: number;
  /** @default 42 */
  readonly seed?: number;
  /** pHash bits (of 64) within which a pair gets the pixel check for near-duplicates; -1 removes exact copies only. @default 12 */
  readonly dedupeThreshold?: number;
  /** Thumbnail similarity (NCC of 16×16 greys, best over 5 % crops) at or above which a candidate is a near-duplicate. @default 0.995 */
  readonly dedupeMinSimilarity?: number;
  /** Largest share of bad rows tolerated before the step fails. @default 0.05 */
  readonly maxBadFraction?: number;
  /** Train shards; 0 sizes them from shardSizeMb. Val and test are always sized. @default 0 */
  readonly trainShards?: number;
  /** Target shard size for sized shard counts. @default 128 */
  readonly shardSizeMb?: number;
  /** Images decoded at once. @default 4 */
  readonly concurrency?: number;
  /** Images read at once (downloads from Cloud Storage take latency, not CPU). @default 16 */
  readonly downloadConcurrency?: number;
  /** Where files are read from; by default the gs:// rule of FileSource with the usual credentials. */
  readonly files?: FileSource;
  /** Local image files larger than this are bad rows, refused before a byte is read. @default 52428800 (50 MiB) */
  readonly maxImageBytes?: number;
}

/**
 * pHash candidate radius: catches 5 % crops of photo-sized images (up to 12 bits, measured on
 * synthetic 640×480 JPEGs); the pixel check, not this radius, keeps look-alikes apart (bench/dedupe.ts).
 */
export const DEFAULT_DEDUPE_THRESHOLD = 12;
/**
 * Measured (bench/dedupe.ts, planted-near-duplicates.test.ts): at ≥ 0.995, 39 of 10,000
 * Fashion-MNIST images (1,000 per class) have a kept image that close (0.39 %; 0 of 2,000 at 200
 * per class); the test's planted copies of scenes all reach 0.9974 or more, its look-alikes (one
 * small shape added) at most 0.9943, so 0.995 sits in that gap. Lower removes distinct images;
 * higher misses JPEG q60 copies (0.9933 at worst on Fashion-MNIST, 0.9948 on the bench's scenes).
 */
export const DEFAULT_DEDUPE_MIN_SIMILARITY = 0.995;

/** 50 MiB: far above any photo a classifier trains on, far below what would exhaust the step's memory. */
export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;

export interface PreprocessResult {
  readonly classes: string[];
  readonly splits: Record<SplitName, SplitInfo>;
  readonly report: QualityReport;
}

export class PreprocessError extends KfpTsError {
  override readonly name = 'PreprocessError';
}

function requireNumber(name: string, value: number, ok: boolean, hint: string): void {
  if (!ok) throw new PreprocessError(`${name} is ${value}; ${hint}`);
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export async function preprocessImages(options: PreprocessOptions): Promise<PreprocessResult> {
  const imageSize = options.imageSize ?? 64;
  const quality = options.jpegQuality ?? 90;
  const valFraction = options.valFraction ?? 0.15;
  const testFraction = options.testFraction ?? 0.15;
  const seed = options.seed ?? 42;
  const dedupeThreshold = options.dedupeThreshold ?? DEFAULT_DEDUPE_THRESHOLD;
  const dedupeMinSimilarity = options.dedupeMinSimilarity ?? DEFAULT_DEDUPE_MIN_SIMILARITY;
  const maxBadFraction = options.maxBadFraction ?? 0.05;
  const trainShards = options.trainShards ?? 0;
  const shardSizeMb = options.shardSizeMb ?? 128;
  const concurrency = options.concurrency ?? 4;
  const readConcurrency = options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY;
  const maxImageBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  validateEncodeOptions({ size: imageSize, quality });
  validateFractions(valFraction, testFraction);
  requireNumber('seed', seed, Number.isSafeInteger(seed), 'use a whole number.');
  try {
    validateDedupeOptions({ maxHashDistance: dedupeThreshold, minSimilarity: dedupeMinSimilarity });
  } catch (error) {
    throw error instanceof DedupeOptionsError ? new PreprocessError(error.message) : error;
  }
  requireNumber('maxBadFraction', maxBadFraction, maxBadFraction >= 0 && maxBadFraction <= 1, 'use a share in [0, 1], e.g. 0.05 for 5 %.');
  requireNumber(
    'trainShards',
    trainShards,
    Number.isInteger(trainShards) && trainShards >= 0,
    'use 0 (sized from shardSizeMb) or a positive count.',
  );
  requireNumber(
    'concurrency',
    concurrency,
    Number.isInteger(concurrency) && concurrency >= 1,
    'use a whole number ≥ 1 (about one per core).',
  );
  requireNumber(
    'downloadConcurrency',
    readConcurrency,
    Number.isInteger(readConcurrency) && readConcurrency >= 1,
    'use a whole number ≥ 1 (16 hides Cloud Storage latency).',
  );
  requireNumber('shardSizeMb', shardSizeMb, shardSizeMb > 0, 'use a positive size; ~100–200 MB per shard reads well.');
  requireNumber(
    'maxImageBytes',
    maxImageBytes,
    Number.isSafeInteger(maxImageBytes) && maxImageBytes >= 1,
    'use a size in bytes ≥ 1, e.g. 52428800 for 50 MiB.',
  );

  const files = options.files ?? new FileSource({ downloadConcurrency: readConcurrency });
  const manifest = await loadManifest(options.manifest, files);
  if (manifest.rows.length === 0)
    throw new PreprocessError(`${options.manifest} has a header but no rows; add one row per image (image,label[,split]).`);

  const selection = await selectRows(manifest.rows, {
    dedupeThreshold,
    dedupeMinSimilarity,
    concurrency,
    readConcurrency,
    files,
    maxImageBytes,
  });
  const classes = sortedClasses(selection.kept.map((kept) => kept.row.label));
  const assigned = stratifiedSplit(
    selection.kept.map((kept) => ({ key: kept.row.image, label: kept.row.label, ...(kept.split ? { split: kept.split } : {}) })),
    { valFraction, testFraction, seed },
  );
  const bySplit: Record<SplitName, KeptRow[]> = { train: [], val: [], test: [] };
  selection.kept.forEach((kept, index) => bySplit[itemAt(assigned, index, 'assigned split')].push(kept));

  const counts = Object.fromEntries(
    SPLITS.map((split) => [
      split,
      Object.fromEntries(classes.map((name) => [name, bySplit[split].filter((kept) => kept.row.label === name).length])),
    ]),
  ) as Record<SplitName, Record<string, number>>;
  const report = buildQualityReport({
    manifest: options.manifest,
    selection,
    maxBadFraction,
    dedupeThreshold,
    dedupeMinSimilarity,
    classes,
    splits: counts,
  });
  writeFile(options.outputs.reportJson, qualityReportJson(report));
  writeFile(options.outputs.reportMarkdown, renderQualityReportMarkdown(report));
  enforceBadRowLimit(report, options.outputs.reportMarkdown);
  if (selection.kept.length === 0)
    throw new PreprocessError(
      `no usable images in ${options.manifest}: every row is bad; see the report (${options.outputs.reportMarkdown}).`,
    );
  if (bySplit.train.length === 0)
    throw new PreprocessError(
      `the train split is empty: every usable row is pinned to val or test in ${options.manifest}; leave some split cells empty.`,
    );

  writeFile(options.outputs.labelMap, labelMapJson(classes));
  const splits = {} as Record<SplitName, SplitInfo>;
  for (const split of SPLITS) {
    // Sorted by image, then shuffled with the seed: shards mix the classes whatever the manifest order.
    const ordered = [...bySplit[split]].sort((a, b) =>
      a.row.image < b.row.image ? -1 : a.row.image > b.row.image ? 1 : a.row.line - b.row.line,
    );
    splits[split] = await writeSplit({
      dir: options.outputs[split],
      split,
      rows: shuffled(ordered, seededRandom(deriveSeed(seed, `order/${split}`))),
      classes,
      size: imageSize,
      quality,
      shards: split === 'train' ? trainShards : 0,
      targetShardBytes: shardSizeMb * 1024 * 1024,
      concurrency,
      readConcurrency,
      files,
      maxImageBytes,
    });
  }
  return { classes, splits, report };
}
