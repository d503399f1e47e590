import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { compilePipeline, pipeline, t } from '../../../../compiler';
import { makeDemoImageSet, type DemoImageSet } from '../../../../components/image-classifier/demo-data/make-demo-image-set';
import { preprocess } from '../../../../components/image-classifier/preprocess/component';
import { readLabelMap } from '../../../../components/image-classifier/preprocess/label-map';
import { preprocessImages } from '../../../../components/image-classifier/preprocess/preprocess-images';
import type { QualityReport } from '../../../../components/image-classifier/preprocess/quality-report';
import { FileSource } from '../../../../components/image-classifier/lib/storage/file-source';
import { readImageExample } from '../../../../components/image-classifier/lib/tfrecord/image-example';
import { findShards, readExamples } from '../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import { classifierCompileOptions, classifierImage } from '../../../support/classifier-compile-options';
import { defined } from '../../../support/defined';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-preprocess-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const artifact = (dir: string, name: string) => ({
  uri: path.join(dir, name),
  path: path.join(dir, name),
  metadata: {} as Record<string, unknown>,
});
const outputArtifacts = (dir: string) => ({
  train: artifact(dir, 'train'),
  val: artifact(dir, 'val'),
  test: artifact(dir, 'test'),
  labelMap: artifact(dir, 'label_map.json'),
  report: artifact(dir, 'report.md'),
  reportJson: artifact(dir, 'report.json'),
});
type Outputs = ReturnType<typeof outputArtifacts>;
/** The component's output artifacts as preprocessImages() takes them. */
const libraryOutputs = (o: Outputs) => ({
  train: o.train.path,
  val: o.val.path,
  test: o.test.path,
  labelMap: o.labelMap.path,
  reportMarkdown: o.report.path,
  reportJson: o.reportJson.path,
});
const inputs = (manifest: string, overrides: Partial<Parameters<typeof preprocess.implementation>[0]['inputs']> = {}) => ({
  manifest,
  imageSize: 24,
  jpegQuality: 90,
  valFraction: 0.2,
  testFraction: 0.2,
  seed: 3,
  dedupeThreshold: 12,
  dedupeMinSimilarity: 0.995,
  maxBadFraction: 0.2,
  trainShards: 2,
  shardSizeMb: 128,
  maxImageBytes: 50 * 1024 * 1024,
  ...overrides,
});

interface Record_ {
  split: string;
  label: number;
  text: string;
  filename: string;
  width: number;
  height: number;
  encoded: Uint8Array;
}
function readSplit(outputs: Outputs, split: 'train' | 'val' | 'test'): Record_[] {
  const shards = findShards(path.join(outputs[split].path, split));
  return [...readExamples(shards)].map((example) => ({ split, ...readImageExample(example) }));
}
const readReport = (outputs: Outputs): QualityReport => JSON.parse(fs.readFileSync(outputs.reportJson.path, 'utf8'));

let set: DemoImageSet;
let outputs: Outputs;
let result: Awaited<ReturnType<typeof preprocess.implementation>>;
let records: Record_[];
const lineOf = (image: string) => set.rows.findIndex((row) => row.image === image) + 2;

beforeAll(async () => {
  set = await makeDemoImageSet({ dir: path.join(root, 'data'), classes: 3, perClass: 12, size: 32, seed: 1 });
  outputs = outputArtifacts(path.join(root, 'run'));
  result = await preprocess.implementation({ inputs: inputs(set.manifestPath), outputs });
  records = (['train', 'val', 'test'] as const).flatMap((split) => readSplit(outputs, split));
});

describe('preprocess on a made-up image set', () => {
  it('returns the counts as output parameters', () => {
    expect(result).toEqual({ classes: 3, trainCount: 24, valCount: 6, testCount: 6, badRows: 4, duplicatesRemoved: 3 });
  });

  it('reports every bad row with its reason, and only those', () => {
    const reasons = { corrupt: 'undecodable-image', missing: 'missing-image', 'empty-label': 'empty-label' } as const;
    const expected = set.rows
      .filter((row) => row.kind in reasons)
      .map((row) => ({ line: lineOf(row.image), image: row.image, reasons: [reasons[row.kind as keyof typeof reasons]] }))
      .sort((a, b) => a.line - b.line);
    const report = readReport(outputs);
    expect(report.badRows.map(({ line, image, reasons: r }) => ({ line, image, reasons: r }))).toEqual(expected);
    expect(report.badRows.find((row) => row.image === set.missing[0])!.message).toBe(
      `image file not found: ${path.join(set.dir, defined(set.missing[0], 'a missing image'))}; paths in the manifest are relative to the manifest's folder, absolute, or gs:// URIs`,
    );
    const unreadable = '; the file is truncated, damaged or not an image: re-export it or remove the row';
    expect(report.badRows.find((row) => row.image === 'images/notes_001.png')!.message).toBe(
      `${path.join(set.dir, 'images/notes_001.png')} is not a readable image (30 bytes): Input buffer contains unsupported image format${unreadable}`,
    );
    const truncated = fs.statSync(path.join(set.dir, 'images/broken_000.jpg')).size;
    expect(report.badRows.find((row) => row.image === 'images/broken_000.jpg')!.message).toBe(
      `${path.join(set.dir, 'images/broken_000.jpg')} is not a readable image (${truncated} bytes): Input buffer has corrupt header${unreadable}`,
    );
    expect(report).toMatchObject({ totalRows: 43, goodRows: 39, badFraction: 4 / 43, maxBadFraction: 0.2 });
  });

  it('removes near-duplicates, keeps the first of each group and lists it with its twin', () => {
    const report = readReport(outputs);
    const expected = set.nearDuplicates
      .map(({ image, of }): [string, string] => (lineOf(image) <= lineOf(of) ? [image, of] : [of, image]))
      .map(([kept, removed]) => ({ kept, removed: [removed], labelConflict: false }))
      .sort((a, b) => lineOf(a.kept) - lineOf(b.kept));
    expect(
      report.duplicateGroups.map((group) => ({
        kept: group.kept.image,
        removed: group.removed.map((r) => r.image),
        labelConflict: group.labelConflict,
      })),
    ).toEqual(expected);
    for (const group of report.duplicateGroups) expect(group.removed[0]?.distance).toBeLessThanOrEqual(2);
    // One record per group, in exactly one split.
    const written = records.map((record) => record.filename);
    for (const group of expected) {
      expect(written.filter((name) => name === path.basename(group.kept))).toHaveLength(1);
      expect(written).not.toContain(path.basename(defined(group.removed[0], 'a removed copy')));
    }
    expect(new Set(written).size).toBe(written.length);
  });

  it('splits every class 8 / 2 / 2 and honours the splits the manifest names', () => {
    for (const split of ['train', 'val', 'test'] as const) {
      const expected = split === 'train' ? 8 : 2;
      expect(outputs[split].metadata['classCounts']).toEqual({ circle: expected, square: expected, triangle: expected });
    }
    for (const { image, split } of set.fixedSplits)
      expect(records.find((record) => record.filename === path.basename(image))!.split).toBe(split);
  });

  it('writes shards that read back to the right labels, sizes and JPEG images', async () => {
    const labels = readLabelMap(outputs.labelMap.path);
    expect(labels).toEqual(['circle', 'square', 'triangle']);
    expect(fs.readFileSync(path.join(outputs.train.path, 'label_map.json'), 'utf8')).toBe(fs.readFileSync(outputs.labelMap.path, 'utf8'));
    const manifestLabel = new Map(set.rows.map((row) => [path.basename(row.image), row.label]));
    for (const record of records) {
      expect(record.text).toBe(manifestLabel.get(record.filename));
      expect(record.label).toBe(labels.indexOf(record.text));
      expect([record.width, record.height]).toEqual([24, 24]);
    }
    const decoded = await sharp(Buffer.from(defined(records[0], 'a record').encoded))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: 24, height: 24, channels: 3, format: 'raw' });
    expect(records.every((record) => Buffer.from(record.encoded).subarray(0, 2).toString('hex') === 'ffd8')).toBe(true);
  });

  it('describes each Dataset in its metadata and dataset.json: counts per class and per shard', () => {
    expect(outputs.train.metadata).toMatchObject({
      split: 'train',
      records: 24,
      shardCount: 2,
      shardPattern: 'train-*-of-00002.tfrecord',
      labels: ['circle', 'square', 'triangle'],
      imageSize: 24,
    });
    expect(outputs.val.metadata).toMatchObject({ records: 6, shardCount: 1, shardPattern: 'val-*-of-00001.tfrecord' });
    const info = JSON.parse(fs.readFileSync(path.join(outputs.train.path, 'dataset.json'), 'utf8'));
    expect(info.shards.map((shard: { file: string; records: number }) => [shard.file, shard.records])).toEqual([
      ['train-00000-of-00002.tfrecord', 12],
      ['train-00001-of-00002.tfrecord', 12],
    ]);
    for (const [index, shard] of info.shards.entries()) {
      const inShard = [...readExamples(path.join(outputs.train.path, shard.file))].map((example) => readImageExample(example).text);
      expect(shard.classCounts).toEqual({
        circle: inShard.filter((x) => x === 'circle').length,
        square: inShard.filter((x) => x === 'square').length,
        triangle: inShard.filter((x) => x === 'triangle').length,
      });
      expect(index).toBeLessThan(2);
    }
    expect(fs.readdirSync(outputs.train.path).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('writes the report as Markdown too', () => {
    const markdown = fs.readFileSync(outputs.report.path, 'utf8');
    expect(markdown).toContain('| bad rows | 4 (9.3%; limit 20.0%) |');
    expect(markdown).toContain('| copies removed | 3 (exact copies, and pHash within 12 of 64 bits with thumbnail similarity ≥ 0.995) |');
    expect(markdown).toContain('| circle | 8 | 2 | 2 | 1 |');
    expect(markdown).toContain(
      `| ${lineOf(defined(set.missing[0], 'a missing image'))} | images/missing_000.jpg | circle | image file not found:`,
    );
    expect(outputs.report.metadata).toEqual({ totalRows: 43, badRows: 4, duplicatesRemoved: 3, labelConflicts: 0, leakage: 0 });
  });

  it('is deterministic: the same seed writes identical shards, another seed another split', async () => {
    const again = outputArtifacts(path.join(root, 'again'));
    await preprocess.implementation({ inputs: inputs(set.manifestPath), outputs: again });
    for (const split of ['train', 'val', 'test'] as const) {
      for (const file of findShards(path.join(outputs[split].path, split))) {
        expect(fs.readFileSync(path.join(again[split].path, path.basename(file))).equals(fs.readFileSync(file))).toBe(true);
      }
    }
    const other = outputArtifacts(path.join(root, 'other-seed'));
    await preprocess.implementation({ inputs: inputs(set.manifestPath, { seed: 4 }), outputs: other });
    const names = (o: Outputs) =>
      readSplit(o, 'val')
        .map((record) => record.filename)
        .sort();
    expect(names(other)).not.toEqual(names(outputs));
    expect(other.val.metadata['classCounts']).toEqual(outputs.val.metadata['classCounts']);
  });

  it('fails past maxBadFraction with the share, the limit and the first bad rows, after writing the report', async () => {
    const failing = outputArtifacts(path.join(root, 'failing'));
    const bad = readReport(outputs).badRows;
    const expected = [
      '4 of 43 manifest rows are bad (9.3%), more than maxBadFraction 5.0% allows. First bad rows:',
      ...bad.map((row) => `  line ${row.line} (${row.image}): ${row.message}`),
      `The full list is in the data-quality report (${failing.report.path}). Fix or remove these rows in ${set.manifestPath}, or raise maxBadFraction if they are expected.`,
    ].join('\n');
    await expect(
      preprocess.implementation({ inputs: inputs(set.manifestPath, { maxBadFraction: 0.05 }), outputs: failing }),
    ).rejects.toThrow(expected);
    expect(readReport(failing).badRows).toHaveLength(4);
    expect(fs.existsSync(failing.train.path)).toBe(false);
  });

  it('reports label conflicts inside a duplicate group, gs:// rows through a FUSE mount, and keeps duplicates at threshold -1', async () => {
    const dir = path.join(root, 'custom');
    fs.mkdirSync(dir, { recursive: true });
    const { image: copy, of: original } = defined(set.nearDuplicates[0], 'a near-duplicate');
    const absolute = (image: string) => path.join(set.dir, image);
    const others = set.rows.filter((row) => row.kind === 'image' && row.image !== original).slice(0, 6);
    const manifest = path.join(dir, 'manifest.csv');
    fs.writeFileSync(
      manifest,
      [
        'image,label',
        `${absolute(original)},circle`,
        `"${absolute(copy)}",square`,
        ...others.map((row) => `${absolute(row.image)},${row.label}`),
        'gs://kfp-ts-demo-bucket/images/a.png,circle',
      ].join('\n'),
    );
    // gs:// rows are read through the FUSE mount when there is one (as on Vertex AI): a folder here.
    const fuseRoot = path.join(dir, 'gcs');
    fs.mkdirSync(fuseRoot);
    const files = new FileSource({ fuseRoot });
    const custom = outputArtifacts(path.join(dir, 'out'));
    const run = (out: Outputs, dedupeThreshold: number) =>
      preprocessImages({
        ...inputs(manifest, { maxBadFraction: 0.5, trainShards: 0, dedupeThreshold }),
        outputs: libraryOutputs(out),
        files,
      });
    await run(custom, 6);
    const report = readReport(custom);
    expect(report.duplicateGroups).toHaveLength(1);
    expect(report.duplicateGroups[0]).toMatchObject({
      kept: { line: 2, label: 'circle' },
      removed: [{ line: 3, label: 'square' }],
      labelConflict: true,
    });
    expect(report.badRows).toEqual([
      {
        line: 10,
        image: 'gs://kfp-ts-demo-bucket/images/a.png',
        label: 'circle',
        reasons: ['missing-image'],
        message: `image file not found: gs://kfp-ts-demo-bucket/images/a.png (read as ${path.join(fuseRoot, 'kfp-ts-demo-bucket/images/a.png')} through the Cloud Storage FUSE mount at ${fuseRoot})`,
      },
    ]);
    expect(fs.readFileSync(custom.report.path, 'utf8')).toContain('**conflict**: kept circle, removed square');

    const keepAll = await run(outputArtifacts(path.join(dir, 'keep-all')), -1);
    expect(keepAll.report.duplicatesRemoved).toBe(0);
    expect(keepAll.splits.train.records + keepAll.splits.val.records + keepAll.splits.test.records).toBe(8);
  });

  it('rejects parameters it cannot honour before reading any image', async () => {
    const out = outputArtifacts(path.join(root, 'invalid'));
    await expect(
      preprocess.implementation({ inputs: inputs(set.manifestPath, { valFraction: 0.6, testFraction: 0.5 }), outputs: out }),
    ).rejects.toThrow(/valFraction \+ testFraction is 1\.1/);
    await expect(preprocess.implementation({ inputs: inputs(set.manifestPath, { imageSize: 4 }), outputs: out })).rejects.toThrow(
      'imageSize must be a whole number of pixels in [8, 4096], got 4; 64–256 is usual for classifiers.',
    );
    await expect(
      preprocessImages({
        manifest: set.manifestPath,
        outputs: { train: '', val: '', test: '', labelMap: '', reportJson: '', reportMarkdown: '' },
        dedupeThreshold: 65,
      }),
    ).rejects.toThrow('dedupeThreshold is 65; use 0–64 pHash bits (12 is the measured default), or -1 to keep near-duplicates.');
    expect(fs.existsSync(out.report.path)).toBe(false);
  });

  it('compiles to a function-component task with typed inputs and defaults', () => {
    const flow = pipeline({ name: 'prep', params: { manifest: t.string() } }, ({ manifest }) => {
      const prep = preprocess({ manifest, imageSize: 32 });
      return { train: prep.outputs.train, classes: prep.outputs.classes };
    });
    const spec = compilePipeline(flow, classifierCompileOptions());
    // Containerized in the components image: run from its working directory, the repository root.
    expect(spec.deploymentSpec!.executors['exec-preprocess']!.container).toEqual({
      image: classifierImage('components'),
      command: ['kfp-ts', 'exec-component', 'components/image-classifier/preprocess/component.ts', 'preprocess'],
      args: ['--executor-input', '{{$}}'],
    });
    const component = spec.components!['comp-preprocess']!;
    expect(component.inputDefinitions!.parameters!['dedupeThreshold']).toMatchObject({ parameterType: 'NUMBER_INTEGER', defaultValue: 12 });
    expect(component.inputDefinitions!.parameters!['dedupeMinSimilarity']).toMatchObject({
      parameterType: 'NUMBER_DOUBLE',
      defaultValue: 0.995,
    });
    expect(Object.keys(component.outputDefinitions!.artifacts!).sort()).toEqual([
      'labelMap',
      'report',
      'reportJson',
      'test',
      'train',
      'val',
    ]);
  });
});
