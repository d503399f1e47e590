import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLocalFile } from '../../../../../components/image-classifier/lib/storage/local-reader';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-local-reader-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readLocalFile', () => {
  it('reads a regular file, also through a symbolic link', async () => {
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.from([1, 2, 3]));
    fs.symlinkSync(path.join(dir, 'a.bin'), path.join(dir, 'link.bin'));
    expect([...(await readLocalFile(path.join(dir, 'a.bin'), 'image file'))]).toEqual([1, 2, 3]);
    expect([...(await readLocalFile(path.join(dir, 'link.bin'), 'image file', { maxBytes: 3 }))]).toEqual([1, 2, 3]);
  });

  it('refuses a file over the size cap before reading it', async () => {
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(1000));
    await expect(readLocalFile(path.join(dir, 'big.bin'), 'image file', { maxBytes: 999 })).rejects.toMatchObject({
      name: 'UnreadableFileError',
      reason: 'too-large',
      message: expect.stringContaining('is larger than the limit of 999 bytes (1000 bytes)'),
    });
  });

  it('refuses /dev/zero at once instead of reading it until memory runs out', async () => {
    await expect(readLocalFile('/dev/zero', 'image file', { maxBytes: 1024 })).rejects.toMatchObject({
      reason: 'not-a-file',
      message: '/dev/zero is a character device, not a regular file; the image file must be a plain file: copy the data into one',
    });
  });

  it('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(readLocalFile(fifo, 'image file')).rejects.toMatchObject({
      reason: 'not-a-file',
      message: expect.stringContaining('is a FIFO (named pipe)'),
    });
  });

  it('reports a symbolic link loop as a bad file, not an I/O failure', async () => {
    fs.symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    fs.symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    await expect(readLocalFile(path.join(dir, 'loop-a'), 'image file')).rejects.toMatchObject({
      reason: 'not-a-file',
      message: expect.stringContaining('loops (ELOOP)'),
    });
  });

  it('keeps the existing reasons for a missing file and a folder', async () => {
    await expect(readLocalFile(path.join(dir, 'nope.png'), 'image file')).rejects.toMatchObject({
      reason: 'missing',
      message: `image file not found: ${path.join(dir, 'nope.png')}`,
    });
    await expect(readLocalFile(dir, 'image file')).rejects.toMatchObject({ reason: 'missing', message: `${dir} is a folder, not a file` });
  });
});
