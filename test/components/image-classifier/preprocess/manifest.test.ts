import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManifestError, loadManifest, parseManifest, readManifest } from '../../../../components/image-classifier/preprocess/manifest';
import { FileSource } from '../../../../components/image-classifier/lib/storage/file-source';

const locate = (image: string) => new FileSource({ gcsAccess: 'fuse' }).locate(image, '/m/manifest.csv');

describe('parseManifest', () => {
  it('reads columns in any order and case, trims values, and resolves image paths', () => {
    const rows = parseManifest('Label, Split ,IMAGE\ncat,,a.png\n dog ,validation,gs://b/x.jpg\n', locate);
    expect(rows).toEqual([
      { line: 2, image: 'a.png', location: '/m/a.png', label: 'cat' },
      { line: 3, image: 'gs://b/x.jpg', location: '/gcs/b/x.jpg', label: 'dog', split: 'val' },
    ]);
  });

  it('works without a split column and keeps quoted paths with commas', () => {
    expect(parseManifest('image,label\n"my, photo.png",cat\n', locate)).toEqual([
      { line: 2, image: 'my, photo.png', location: '/m/my, photo.png', label: 'cat' },
    ]);
  });

  it('marks rows it cannot use instead of failing the whole manifest', () => {
    const rows = parseManifest('image,label,split\n,cat,\nb.png,dog,holdout\nc.png\n', locate);
    expect(rows.map((row) => row.problem)).toEqual([
      'no image path in the image column',
      "unknown split 'holdout'; use train, val, test or leave it empty",
      undefined,
    ]);
    expect(rows[2]?.label).toBe('');
  });

  it('rejects a header without image and label columns, listing what it found', () => {
    expect(() => parseManifest('path,class\na.png,cat\n', locate, 'm.csv')).toThrow(
      new ManifestError(
        "m.csv line 1: the header must name the columns 'image' and 'label' (and optionally 'split'), found: 'path', 'class'.",
      ),
    );
    expect(() => parseManifest('', locate, 'm.csv')).toThrow(/m\.csv is empty/);
  });
});

describe('readManifest and loadManifest', () => {
  it('read a local file and resolve images against its folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-manifest-'));
    try {
      fs.writeFileSync(path.join(dir, 'manifest.csv'), 'image,label\nimages/a.png,cat\ngs://b/c.png,dog\n');
      const manifest = readManifest(path.join(dir, 'manifest.csv'));
      expect(manifest.location).toBe(path.join(dir, 'manifest.csv'));
      expect(manifest.rows.map((row) => row.location)).toEqual([path.join(dir, 'images/a.png'), 'gs://b/c.png']);
      expect(await loadManifest(path.join(dir, 'manifest.csv'), new FileSource({ gcsAccess: 'client' }))).toEqual(manifest);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('say where a missing manifest was looked for', async () => {
    await expect(loadManifest('gs://no-such-bucket-kfp-ts/set/manifest.csv', new FileSource({ fuseRoot: os.tmpdir() }))).rejects.toThrow(
      new ManifestError(
        `Cannot read the manifest gs://no-such-bucket-kfp-ts/set/manifest.csv: manifest not found: gs://no-such-bucket-kfp-ts/set/manifest.csv (read as ${path.join(os.tmpdir(), 'no-such-bucket-kfp-ts/set/manifest.csv')} through the Cloud Storage FUSE mount at ${os.tmpdir()}).`,
      ),
    );
    expect(() => readManifest('gs://b/manifest.csv')).toThrow(
      'readManifest reads local files; gs://b/manifest.csv is a Cloud Storage URI: use loadManifest(uri, new FileSource()).',
    );
  });
});
