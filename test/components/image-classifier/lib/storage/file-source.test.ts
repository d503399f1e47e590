import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSource } from '../../../../../components/image-classifier/lib/storage/file-source';
import { parseGcsUri, resolveGcsReference } from '../../../../../components/image-classifier/lib/storage/gcs-uri';
import { UnreadableFileError } from '../../../../../components/image-classifier/lib/storage/read-errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-file-source-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('gs:// URIs', () => {
  it('split into bucket and object, and resolve relative paths against the object folder inside the bucket', () => {
    expect(parseGcsUri('gs://b/set/manifest.csv')).toEqual({ bucket: 'b', object: 'set/manifest.csv' });
    expect(() => parseGcsUri('gs://b')).toThrow(
      "Cloud Storage URI 'gs://b' names no object: expected gs://BUCKET/OBJECT, e.g. gs://my-bucket/data/manifest.csv",
    );
    expect(resolveGcsReference('img/a.png', 'gs://b/set/manifest.csv')).toBe('gs://b/set/img/a.png');
    expect(resolveGcsReference('../other/a.png', 'gs://b/set/manifest.csv')).toBe('gs://b/other/a.png');
    expect(resolveGcsReference('../../../a.png', 'gs://b/set/manifest.csv')).toBe('gs://b/a.png');
    expect(resolveGcsReference('a.png', 'gs://b/manifest.csv')).toBe('gs://b/a.png');
  });
});

describe('FileSource', () => {
  const fuseRoot = path.join(root, 'gcs');
  fs.mkdirSync(path.join(fuseRoot, 'b', 'set'), { recursive: true });
  fs.writeFileSync(path.join(fuseRoot, 'b', 'set', 'a.png'), 'mounted bytes');

  it('reads gs:// through the FUSE mount when its folder exists, else through the client', () => {
    const mounted = new FileSource({ fuseRoot });
    expect(mounted.gcsAccess).toBe('fuse');
    expect(mounted.locate('gs://b/set/a.png')).toBe(path.join(fuseRoot, 'b/set/a.png'));
    expect(mounted.locate('img/x.png', mounted.locate('gs://b/set/manifest.csv'))).toBe(path.join(fuseRoot, 'b/set/img/x.png'));

    const client = new FileSource({ fuseRoot: path.join(root, 'no-mount') });
    expect(client.gcsAccess).toBe('client');
    expect(client.locate('gs://b/set/a.png')).toBe('gs://b/set/a.png');
    expect(client.locate('img/x.png', 'gs://b/set/manifest.csv')).toBe('gs://b/set/img/x.png');
    expect(client.locate('/abs/x.png', 'gs://b/set/manifest.csv')).toBe('/abs/x.png');
    expect(client.locate('x.png', '/data/set/manifest.csv')).toBe('/data/set/x.png');
    expect(client.gcs.clientCreated).toBe(false);
  });

  it('reads mounted objects as files and names a missing one by its URI', async () => {
    const mounted = new FileSource({ fuseRoot });
    expect((await mounted.read(mounted.locate('gs://b/set/a.png'))).toString()).toBe('mounted bytes');
    const missing = mounted.read(mounted.locate('gs://b/set/gone.png'), 'image file');
    await expect(missing).rejects.toThrow(UnreadableFileError);
    await expect(missing).rejects.toMatchObject({
      reason: 'missing',
      message: `image file not found: gs://b/set/gone.png (read as ${path.join(fuseRoot, 'b/set/gone.png')} through the Cloud Storage FUSE mount at ${fuseRoot})`,
    });
  });

  it('reports a missing local file, or a folder, as one unreadable file', async () => {
    const files = new FileSource({ fuseRoot: path.join(root, 'no-mount') });
    await expect(files.read(path.join(root, 'nope.png'), 'image file')).rejects.toMatchObject({
      reason: 'missing',
      message: `image file not found: ${path.join(root, 'nope.png')}`,
    });
    await expect(files.read(root, 'image file')).rejects.toMatchObject({ reason: 'missing', message: `${root} is a folder, not a file` });
  });
});
