import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDemoImageSet } from '../../../../components/image-classifier/demo-data/make-demo-image-set';
import { preprocessImages } from '../../../../components/image-classifier/preprocess/preprocess-images';
import type { QualityReport } from '../../../../components/image-classifier/preprocess/quality-report';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-preprocess-special-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A manifest naming /dev/zero took preprocess to 9 GB in 30 s, and one naming a FIFO blocked it forever.
it('makes FIFOs, devices, looping links and over-size files bad rows with a reason, not step failures', async () => {
  const set = await makeDemoImageSet({ dir: path.join(root, 'data'), classes: 2, perClass: 8, size: 24, seed: 5, nearDuplicates: 0 });
  const largest = Math.max(
    ...fs
      .readdirSync(set.dir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(set.dir, f))
      .filter((f) => fs.statSync(f).isFile() && !f.endsWith('.csv'))
      .map((f) => fs.statSync(f).size),
  );
  execFileSync('mkfifo', [path.join(set.dir, 'pipe.png')]);
  fs.symlinkSync(path.join(set.dir, 'loop-b.png'), path.join(set.dir, 'loop-a.png'));
  fs.symlinkSync(path.join(set.dir, 'loop-a.png'), path.join(set.dir, 'loop-b.png'));
  fs.writeFileSync(path.join(set.dir, 'huge.png'), Buffer.alloc(largest + 1));
  const label = set.classes[0];
  fs.appendFileSync(set.manifestPath, `/dev/zero,${label}\npipe.png,${label}\nloop-a.png,${label}\nhuge.png,${label}\n`);
  const lines = fs.readFileSync(set.manifestPath, 'utf8').trimEnd().split('\n').length;

  const out = path.join(root, 'out');
  const outputs = {
    train: `${out}/train`,
    val: `${out}/val`,
    test: `${out}/test`,
    labelMap: `${out}/label_map.json`,
    reportMarkdown: `${out}/report.md`,
    reportJson: `${out}/report.json`,
  };
  const started = Date.now();
  const result = await preprocessImages({
    manifest: set.manifestPath,
    outputs,
    imageSize: 16,
    maxBadFraction: 0.6,
    maxImageBytes: largest,
  });
  expect(Date.now() - started).toBeLessThan(60_000);

  const report: QualityReport = JSON.parse(fs.readFileSync(outputs.reportJson, 'utf8'));
  const special = report.badRows
    .filter((row) => row.line > lines - 4)
    .map(({ line, image, reasons, message }) => ({ line, image, reasons, message }));
  expect(special).toEqual([
    {
      line: lines - 3,
      image: '/dev/zero',
      reasons: ['unreadable-image'],
      message: expect.stringContaining('/dev/zero is a character device, not a regular file'),
    },
    {
      line: lines - 2,
      image: 'pipe.png',
      reasons: ['unreadable-image'],
      message: expect.stringContaining('is a FIFO (named pipe), not a regular file'),
    },
    {
      line: lines - 1,
      image: 'loop-a.png',
      reasons: ['unreadable-image'],
      message: expect.stringContaining('is a symbolic link that loops (ELOOP)'),
    },
    {
      line: lines,
      image: 'huge.png',
      reasons: ['unreadable-image'],
      message: expect.stringContaining(`is larger than the limit of ${largest} bytes (${largest + 1} bytes)`),
    },
  ]);
  // The good rows still made it through.
  expect(result.splits.train.records).toBeGreaterThan(0);
});

it('refuses a maxImageBytes that is not a positive size', async () => {
  await expect(
    preprocessImages({
      manifest: path.join(root, 'none.csv'),
      outputs: { train: 'a', val: 'b', test: 'c', labelMap: 'd', reportMarkdown: 'e', reportJson: 'f' },
      maxImageBytes: 0,
    }),
  ).rejects.toThrow('maxImageBytes is 0; use a size in bytes ≥ 1');
});
