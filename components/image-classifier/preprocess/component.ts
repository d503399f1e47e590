/**
 * The `preprocess` function component: manifest.csv and images in, TFRecord Datasets out.
 *
 * Outputs:
 * - `train`, `val`, `test` (Dataset): folders holding `<split>-NNNNN-of-MMMMM.tfrecord` shards of
 *   tf.train.Example (image/encoded JPEG, image/format, image/height, image/width,
 *   image/class/label as a 0-based index, image/class/text, image/filename, plus
 *   image/key/sha256 and image/phash), `label_map.json` and `dataset.json` (counts per class and
 *   per shard). Their metadata holds the same counts.
 * - `labelMap` (Artifact): `label_map.json`, `{ "0": "<first class>", … }`, classes sorted.
 * - `report` (Markdown) and `reportJson` (Artifact): the data-quality report.
 * - parameters: `classes`, `trainCount`, `valCount`, `testCount`, `badRows`, `duplicatesRemoved`.
 *
 * gs:// URIs (the manifest's and its images') are read as /gcs/<bucket>/<object> where that
 * Cloud Storage FUSE mount exists (Vertex AI provides it), elsewhere through the Cloud Storage
 * client with the usual credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud's application
 * default login; STORAGE_EMULATOR_HOST for an emulator). See lib/storage/file-source.ts.
 */
import { Artifact, Dataset, Markdown, functionComponent, t } from '../../../compiler';
import { STEPS_IMAGE } from '../images';
import { LABEL_MAP_FILE } from './label-map';
import { DEFAULT_DEDUPE_MIN_SIMILARITY, DEFAULT_DEDUPE_THRESHOLD, DEFAULT_MAX_IMAGE_BYTES, preprocessImages } from './preprocess-images';
import { SPLITS } from './manifest';

export const preprocess = functionComponent({
  name: 'preprocess',
  targetImage: STEPS_IMAGE,
  description:
    'Reads manifest.csv (image,label[,split]) and its images, reports bad rows, removes exact copies and near-duplicates of kept images (perceptual hash, then a pixel check), makes a seeded stratified split, and writes resized JPEGs as sharded TFRecords of tf.train.Example.',
  inputs: {
    manifest: t.string({
      description: 'Path or gs:// URI of manifest.csv; image paths in it are relative to its folder, absolute, or gs:// URIs.',
    }),
    imageSize: t.int({ default: 64, description: 'Stored images are centre-cropped and resized to imageSize × imageSize pixels.' }),
    jpegQuality: t.int({ default: 90, description: 'JPEG quality of the stored images (1–100).' }),
    valFraction: t.float({ default: 0.15, description: 'Share of each class for validation (rows with a split in the manifest keep it).' }),
    testFraction: t.float({ default: 0.15, description: 'Share of each class for the test split.' }),
    seed: t.int({ default: 42, description: 'Seed of the split and of the record order.' }),
    dedupeThreshold: t.int({
      default: DEFAULT_DEDUPE_THRESHOLD,
      description:
        'Pairs whose 64-bit pHashes differ in at most this many bits get the near-duplicate pixel check; a row is removed when it matches a kept row. Exact copies are always removed; -1 removes only those. Rows with a split in the manifest are never removed.',
    }),
    dedupeMinSimilarity: t.float({
      default: DEFAULT_DEDUPE_MIN_SIMILARITY,
      description:
        'Thumbnail similarity (correlation of 16×16 greys, best over 5 % crops) at or above which a candidate pair is a near-duplicate; higher removes fewer images.',
    }),
    maxBadFraction: t.float({
      default: 0.05,
      description: 'The step fails when more than this share of rows has a missing or undecodable image or an empty label.',
    }),
    trainShards: t.int({ default: 0, description: 'Number of train shards; 0 sizes them from shardSizeMb.' }),
    shardSizeMb: t.float({ default: 128, description: 'Target shard size when the count is sized automatically.' }),
    maxImageBytes: t.int({
      default: DEFAULT_MAX_IMAGE_BYTES,
      description: 'Image files larger than this many bytes, like FIFOs, devices and looping links, are bad rows, refused unread.',
    }),
  },
  outputs: {
    train: Dataset,
    val: Dataset,
    test: Dataset,
    labelMap: Artifact,
    report: Markdown,
    reportJson: Artifact,
    classes: t.int(),
    trainCount: t.int(),
    valCount: t.int(),
    testCount: t.int(),
    badRows: t.int(),
    duplicatesRemoved: t.int(),
  },
  implementation: async ({ inputs, outputs }) => {
    const result = await preprocessImages({
      manifest: inputs.manifest,
      outputs: {
        train: outputs.train.path,
        val: outputs.val.path,
        test: outputs.test.path,
        labelMap: outputs.labelMap.path,
        reportMarkdown: outputs.report.path,
        reportJson: outputs.reportJson.path,
      },
      imageSize: inputs.imageSize,
      jpegQuality: inputs.jpegQuality,
      valFraction: inputs.valFraction,
      testFraction: inputs.testFraction,
      seed: inputs.seed,
      dedupeThreshold: inputs.dedupeThreshold,
      dedupeMinSimilarity: inputs.dedupeMinSimilarity,
      maxBadFraction: inputs.maxBadFraction,
      trainShards: inputs.trainShards,
      shardSizeMb: inputs.shardSizeMb,
      maxImageBytes: inputs.maxImageBytes,
    });
    for (const split of SPLITS) {
      const info = result.splits[split];
      Object.assign(outputs[split].metadata, {
        split,
        records: info.records,
        classCounts: info.classCounts,
        shardCount: info.shardCount,
        shardPattern: info.shardPattern,
        shards: info.shards.map(({ file, records, bytes }) => ({ file, records, bytes })),
        labels: result.classes,
        labelMapFile: LABEL_MAP_FILE,
        imageSize: inputs.imageSize,
        format: 'JPEG',
      });
    }
    Object.assign(outputs.labelMap.metadata, { classes: result.classes.length, labels: result.classes });
    const { report } = result;
    const summary = {
      totalRows: report.totalRows,
      badRows: report.badRows.length,
      duplicatesRemoved: report.duplicatesRemoved,
      labelConflicts: report.labelConflicts,
      leakage: report.leakage.length,
    };
    Object.assign(outputs.report.metadata, summary);
    Object.assign(outputs.reportJson.metadata, summary);
    return {
      classes: result.classes.length,
      trainCount: result.splits.train.records,
      valCount: result.splits.val.records,
      testCount: result.splits.test.records,
      badRows: report.badRows.length,
      duplicatesRemoved: report.duplicatesRemoved,
    };
  },
});
