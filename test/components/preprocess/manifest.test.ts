import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gcsUriToLocalPath, missingFileMessage, resolveImagePath } from '../../../components/preprocess/image-location';
import { ManifestError, parseManifest, readManifest } from '../../../components/preprocess/manifest';

describe('image locations', () => {
  it('resolves relative paths against the manifest folder, keeps absolute ones, reads gs:// through /gcs', () => {
    expect(resolveImagePath('images/a.png', '/data/set')).toBe('/data/set/images/a.png');
    expect(resolveImagePath('../b.jpg', '/data/set')).toBe('/data/b.jpg');
    expect(resolveImagePath('/abs/c.png', '/data/set')).toBe('/abs/c.png');
    expect(resolveImagePath('gs://bucket/dir/d.png', '/data/set')).toBe('/gcs/bucket/dir/d.png');
    expect(gcsUriToLocalPath('gs://bucket')).toBe('/gcs/bucket');
  });

  it('explains the /gcs mount when a gs:// image is missing', () => {
    expect(missingFileMessage('gs://b/k.png', '/gcs/b/k.png')).toBe(
      'image file gs://b/k.png was read as /gcs/b/k.png (the Cloud Storage FUSE mount Vertex AI provides) and is not there; ' +
        'check the URI, or outside Vertex mount the bucket at /gcs (gcsfuse) or copy the images locally and use relative paths',
    );
  });
});

describe('parseManifest', () => {
  it('reads columns in any order and case, trims values, and resolves image paths', () => {
    const rows = parseManifest('Label, Split ,IMAGE\ncat,,a.png\n dog ,validation,gs://b/x.jpg\n', '/m');
    expect(rows).toEqual([
      { line: 2, image: 'a.png', path: '/m/a.png', label: 'cat' },
      { line: 3, image: 'gs://b/x.jpg', path: '/gcs/b/x.jpg', label: 'dog', split: 'val' },
    ]);
  });

  it('works without a split column and keeps quoted paths with commas', () => {
    expect(parseManifest('image,label\n"my, photo.png",cat\n', '/m')).toEqual([{ line: 2, image: 'my, photo.png', path: '/m/my, photo.png', label: 'cat' }]);
  });

  it('marks rows it cannot use instead of failing the whole manifest', () => {
    const rows = parseManifest('image,label,split\n,cat,\nb.png,dog,holdout\nc.png\n', '/m');
    expect(rows.map((row) => row.problem)).toEqual(['no image path in the image column', "unknown split 'holdout'; use train, val, test or leave it empty", undefined]);
    expect(rows[2].label).toBe('');
  });

  it('rejects a header without image and label columns, listing what it found', () => {
    expect(() => parseManifest('path,class\na.png,cat\n', '/m', 'm.csv')).toThrow(
      new ManifestError("m.csv line 1: the header must name the columns 'image' and 'label' (and optionally 'split'), found: 'path', 'class'."),
    );
    expect(() => parseManifest('', '/m', 'm.csv')).toThrow(/m\.csv is empty/);
  });
});

describe('readManifest', () => {
  it('reads a local file and resolves images against its folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-manifest-'));
    try {
      fs.writeFileSync(path.join(dir, 'manifest.csv'), 'image,label\nimages/a.png,cat\n');
      const manifest = readManifest(path.join(dir, 'manifest.csv'));
      expect(manifest.dir).toBe(dir);
      expect(manifest.rows[0].path).toBe(path.join(dir, 'images/a.png'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where a missing gs:// manifest was looked for', () => {
    expect(() => readManifest('gs://no-such-bucket-kfp-ts/set/manifest.csv')).toThrow(
      /^manifest gs:\/\/no-such-bucket-kfp-ts\/set\/manifest\.csv was read as \/gcs\/no-such-bucket-kfp-ts\/set\/manifest\.csv \(the Cloud Storage FUSE mount/,
    );
  });
});
