// FileSink: where paths and gs:// URIs are written, whole-file replacement, and write errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSink, joinLocation } from '../../../../../components/image-classifier/lib/storage/file-sink';
import { startFakeGcs } from '../../../../support/fake-gcs-server';

let workspace: string;
beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-file-sink-'));
});
afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

it('joins folders of both kinds', () => {
  expect(joinLocation('gs://b/logs/', 'train', 'f')).toBe('gs://b/logs/train/f');
  expect(joinLocation('gs://b', 'train')).toBe('gs://b/train');
  expect(joinLocation('/tmp/x', 'train')).toBe(path.join('/tmp/x', 'train'));
});

it('maps gs:// to the FUSE mount when it exists, and keeps the URI for the client otherwise', () => {
  const fuseRoot = path.join(workspace, 'gcs');
  fs.mkdirSync(fuseRoot);
  expect(new FileSink({ fuseRoot }).gcsAccess).toBe('fuse');
  expect(new FileSink({ fuseRoot }).locate('gs://b/o/f')).toBe(path.join(fuseRoot, 'b/o/f'));
  const client = new FileSink({ fuseRoot: path.join(workspace, 'missing') });
  expect(client.gcsAccess).toBe('client');
  expect(client.locate('gs://b/o/f')).toBe('gs://b/o/f');
  expect(() => client.locate('gs://bucket-only')).toThrow("'gs://bucket-only' names no object");
});

it('replaces a local file whole and leaves no temporary file behind', async () => {
  const target = path.join(workspace, 'deep/er/file.bin');
  const sink = new FileSink({ fuseRoot: path.join(workspace, 'missing') });
  await sink.write(target, Buffer.from('first'));
  expect(await sink.write(target, Buffer.from('second'))).toBe(target);
  expect(fs.readFileSync(target, 'utf8')).toBe('second');
  expect(fs.readdirSync(path.dirname(target))).toEqual(['file.bin']);
});

it('names the file and the fix when a local write fails, and removes its temporary file', async () => {
  // A folder where the file should go: the rename fails after the temporary file was written.
  const target = path.join(workspace, 'taken');
  fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
  await expect(new FileSink().write(target, Buffer.from('x'), 'report')).rejects.toMatchObject({
    name: 'FileWriteError',
    message: expect.stringMatching(
      new RegExp(
        `^Cannot write the report ${target} \\((EISDIR|ENOTEMPTY|EEXIST): .*\\); check that the path names a folder you can write to\\.$`,
      ),
    ),
  });
  expect(fs.readdirSync(workspace)).toEqual(['taken']);
});

it('uploads through the client in one request, and says how to fix rejected credentials', async () => {
  const server = await startFakeGcs({ requiredToken: 'valid-token' });
  try {
    const sink = new FileSink({
      gcsAccess: 'client',
      storageOptions: { apiEndpoint: server.endpoint, retryOptions: { autoRetry: false } },
    });
    await expect(sink.write('gs://bucket/a/b.bin', Buffer.from('bytes'))).rejects.toThrow(
      /^Cannot write the file gs:\/\/bucket\/a\/b\.bin to Cloud Storage at http:\/\/127\.0\.0\.1:\d+ \(401: .*\); the credentials were rejected: run `gcloud auth application-default login`/,
    );
    expect(server.get('gs://bucket/a/b.bin')).toBeUndefined();
  } finally {
    await server.close();
  }
});
