/**
 * preprocess on a manifest in Cloud Storage (a fake GCS server on loopback) gives the same
 * shards, counts and report as on the same data read from local files; missing and forbidden
 * objects become bad rows like missing files; a Cloud Storage that cannot be used stops the step.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDemoImageSet, type DemoImageSet } from '../../../../components/image-classifier/demo-data/make-demo-image-set';
import {
  preprocessImages,
  type PreprocessOutputs,
  type PreprocessResult,
} from '../../../../components/image-classifier/preprocess/preprocess-images';
import type { QualityReport } from '../../../../components/image-classifier/preprocess/quality-report';
import { FileSource } from '../../../../components/image-classifier/lib/storage/file-source';
import { StorageAccessError } from '../../../../components/image-classifier/lib/storage/read-errors';
import { startFakeGcs, type FakeGcs } from '../../../support/fake-gcs-server';
import { defined } from '../../../support/defined';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-preprocess-gcs-'));
const noMount = path.join(root, 'no-gcs-mount');
const DOWNLOADS = 4;

const outputsIn = (dir: string): PreprocessOutputs => ({
  train: path.join(dir, 'train'),
  val: path.join(dir, 'val'),
  test: path.join(dir, 'test'),
  labelMap: path.join(dir, 'label_map.json'),
  reportMarkdown: path.join(dir, 'report.md'),
  reportJson: path.join(dir, 'report.json'),
});
const settings = { imageSize: 24, valFraction: 0.2, testFraction: 0.2, seed: 3, maxBadFraction: 0.25, trainShards: 2 };
const readReport = (outputs: PreprocessOutputs): QualityReport => JSON.parse(fs.readFileSync(outputs.reportJson, 'utf8'));
/** Every file under `dir`, relative to it, sorted. */
const listFiles = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(dir, name)).isFile()).sort();

let set: DemoImageSet;
let server: FakeGcs;
let forbiddenImage: string;
let local: { outputs: PreprocessOutputs; result: PreprocessResult };
let remote: { outputs: PreprocessOutputs; result: PreprocessResult };

beforeAll(async () => {
  set = await makeDemoImageSet({ dir: path.join(root, 'set'), classes: 3, perClass: 12, size: 32, seed: 1 });
  forbiddenImage = set.rows.find((row) => row.kind === 'image' && row.split === undefined)!.image;

  // The bucket holds the set as it is (the missing row's object is absent too), with one object forbidden.
  server = await startFakeGcs({ latencyMs: 5 });
  for (const name of listFiles(set.dir)) server.put(`gs://bucket/data/${name}`, fs.readFileSync(path.join(set.dir, name)));
  server.forbid(`gs://bucket/data/${forbiddenImage}`);

  // The local copy lacks the forbidden image: the same data, as far as this step can read it.
  const copy = path.join(root, 'local-copy');
  fs.cpSync(set.dir, copy, { recursive: true });
  fs.rmSync(path.join(copy, forbiddenImage));

  const localOutputs = outputsIn(path.join(root, 'out-local'));
  const remoteOutputs = outputsIn(path.join(root, 'out-gcs'));
  local = {
    outputs: localOutputs,
    result: await preprocessImages({ ...settings, manifest: path.join(copy, 'manifest.csv'), outputs: localOutputs }),
  };
  const files = new FileSource({ fuseRoot: noMount, downloadConcurrency: DOWNLOADS, storageOptions: { apiEndpoint: server.endpoint } });
  remote = {
    outputs: remoteOutputs,
    result: await preprocessImages({ ...settings, manifest: 'gs://bucket/data/manifest.csv', outputs: remoteOutputs, files }),
  };
}, 60_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('preprocess reading gs:// through the Cloud Storage client', () => {
  it('downloads the manifest and every listed object, relative paths against the manifest folder, at most 4 at once', () => {
    const downloads = server.requests.map((request) =>
      decodeURIComponent(request.replace(/^GET \/storage\/v1\/b\/bucket\/o\/([^?]+)\?alt=media$/, '$1')),
    );
    expect(downloads[0]).toBe('data/manifest.csv');
    for (const row of set.rows) expect(downloads).toContain(`data/${row.image}`);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(DOWNLOADS);
  });

  it('writes byte-identical shards, label maps and counts to the local run', () => {
    expect(remote.result.splits).toEqual(local.result.splits);
    expect(remote.result.classes).toEqual(local.result.classes);
    expect(remote.result.splits.train.records).toBeGreaterThan(0);
    for (const split of ['train', 'val', 'test'] as const) {
      const names = listFiles(local.outputs[split]);
      expect(names.filter((name) => name.endsWith('.tfrecord')).length).toBeGreaterThan(0);
      expect(listFiles(remote.outputs[split])).toEqual(names);
      for (const name of names)
        expect(fs.readFileSync(path.join(remote.outputs[split], name)).equals(fs.readFileSync(path.join(local.outputs[split], name)))).toBe(
          true,
        );
    }
    expect(fs.readFileSync(remote.outputs.labelMap, 'utf8')).toBe(fs.readFileSync(local.outputs.labelMap, 'utf8'));
  });

  it('reports the missing and the forbidden object as missing images, like missing local files', () => {
    const localReport = readReport(local.outputs);
    const remoteReport = readReport(remote.outputs);
    const withoutMessages = (report: QualityReport) => ({
      ...report,
      manifest: '',
      badRows: report.badRows.map(({ message: _, ...row }) => row),
    });
    expect(withoutMessages(remoteReport)).toEqual(withoutMessages(localReport));
    expect(remoteReport.manifest).toBe('gs://bucket/data/manifest.csv');

    const messageOf = (image: string) => remoteReport.badRows.find((row) => row.image === image)!.message;
    expect(remoteReport.badRows.find((row) => row.image === forbiddenImage)!.reasons).toEqual(['missing-image']);
    expect(messageOf(forbiddenImage)).toMatch(
      new RegExp(
        `^gs://bucket/data/${forbiddenImage} cannot be read: permission denied \\(Cloud Storage: .*\\); give the account running the step roles/storage.objectViewer`,
      ),
    );
    expect(messageOf(defined(set.missing[0], 'a missing image'))).toBe(
      `gs://bucket/data/${set.missing[0]} does not exist (Cloud Storage: No such object: bucket/data/${set.missing[0]}); check the bucket and object name, they are case-sensitive; paths in the manifest are relative to the manifest's folder, absolute, or gs:// URIs`,
    );
    expect(messageOf(defined(set.corrupt[0], 'a corrupt image'))).toMatch(
      new RegExp(`^gs://bucket/data/${set.corrupt[0]} is not a readable image \\(\\d+ bytes\\)`),
    );
    expect(remoteReport.badRows).toHaveLength(set.missing.length + set.corrupt.length + set.emptyLabel.length + 1);
  });

  it('stops before writing anything when Cloud Storage cannot be reached, saying what to check', async () => {
    const dir = path.join(root, 'unreachable');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'manifest.csv'), `image,label\ngs://bucket/data/${forbiddenImage},circle\n`);
    const files = new FileSource({
      fuseRoot: noMount,
      storageOptions: { apiEndpoint: 'http://127.0.0.1:1', retryOptions: { autoRetry: false } },
    });
    const outputs = outputsIn(path.join(dir, 'out'));
    const run = preprocessImages({ ...settings, manifest: path.join(dir, 'manifest.csv'), outputs, files });
    await expect(run).rejects.toThrow(StorageAccessError);
    await expect(run).rejects.toThrow(
      /^Cannot reach Cloud Storage at http:\/\/127\.0\.0\.1:1 to read gs:\/\/bucket\/data\/.*; check the network, and STORAGE_EMULATOR_HOST/,
    );
    expect(fs.existsSync(outputs.reportJson)).toBe(false);
  });

  it('stops on rejected credentials instead of reporting every row as bad', async () => {
    const strict = await startFakeGcs({ requiredToken: 'token' });
    try {
      strict.put('gs://bucket/data/manifest.csv', 'image,label\na.png,circle\n');
      const files = new FileSource({ fuseRoot: noMount, storageOptions: { apiEndpoint: strict.endpoint } });
      const outputs = outputsIn(path.join(root, 'rejected'));
      await expect(preprocessImages({ ...settings, manifest: 'gs://bucket/data/manifest.csv', outputs, files })).rejects.toThrow(
        /rejected the credentials while reading gs:\/\/bucket\/data\/manifest\.csv \(401: .*\); set GOOGLE_APPLICATION_CREDENTIALS/,
      );
      expect(fs.existsSync(outputs.reportJson)).toBe(false);
    } finally {
      await strict.close();
    }
  });
});
