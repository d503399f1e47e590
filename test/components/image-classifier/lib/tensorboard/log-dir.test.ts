// Writing TensorBoard runs into a log directory: a local folder, a gs:// folder through the FUSE mount, and through the client.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSink } from '../../../../../components/image-classifier/lib/storage/file-sink';
import type { ScalarPoint } from '../../../../../components/image-classifier/lib/tensorboard/event-file';
import { writeScalarRuns } from '../../../../../components/image-classifier/lib/tensorboard/log-dir';
import { readTFRecords } from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import { startFakeGcs } from '../../../../support/fake-gcs-server';
import { readEventFile } from './tfevents-reader';

const createdAt = 1_700_000_000.5;
const runs: Record<string, ScalarPoint[]> = {
  train: [
    { tag: 'epoch_loss', step: 1, wallTime: createdAt + 3, value: 1.25 },
    { tag: 'epoch_loss', step: 2, wallTime: createdAt + 6, value: 0.75 },
  ],
  validation: [
    { tag: 'epoch_loss', step: 1, wallTime: createdAt + 3, value: 1.5 },
    { tag: 'epoch_loss', step: 2, wallTime: createdAt + 6, value: 1 },
  ],
};
const NAME = 'events.out.tfevents.1700000000.host-1';

let workspace: string;
beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-tensorboard-'));
});
afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

/** The (tag, step, value) triples of a run's file, after the version event. */
const scalarsOf = (file: Buffer) =>
  readEventFile(file)
    .slice(1)
    .map((event) => [event.summary![0]!.tag, Number(event.step), event.summary![0]!.simpleValue]);

it('writes one event file per run folder, named as TensorFlow names them, and nothing else', async () => {
  const logDir = path.join(workspace, 'logs');
  const written = await writeScalarRuns(logDir, runs, {
    createdAt,
    hostname: 'host-1',
    sink: new FileSink({ fuseRoot: path.join(workspace, 'no-mount') }),
  });
  expect(written).toEqual([path.join(logDir, 'train', NAME), path.join(logDir, 'validation', NAME)]);
  expect(fs.readdirSync(path.join(logDir, 'train'))).toEqual([NAME]);
  expect(fs.readdirSync(path.join(logDir, 'validation'))).toEqual([NAME]);
  const train = fs.readFileSync(written[0]!);
  expect(readEventFile(train)[0]).toEqual({ wallTime: createdAt, fileVersion: 'brain.Event:2' });
  expect(scalarsOf(train)).toEqual([
    ['epoch_loss', 1, 1.25],
    ['epoch_loss', 2, 0.75],
  ]);
  expect(scalarsOf(fs.readFileSync(written[1]!))).toEqual([
    ['epoch_loss', 1, 1.5],
    ['epoch_loss', 2, 1],
  ]);
  // The project's own TFRecord reader (CRC checked) sees the same records.
  expect([...readTFRecords(written[0]!)]).toHaveLength(3);
});

it('writes a gs:// log directory through the FUSE mount when there is one', async () => {
  const fuseRoot = path.join(workspace, 'gcs');
  fs.mkdirSync(fuseRoot);
  const written = await writeScalarRuns('gs://bucket/tb/run-1', runs, { createdAt, hostname: 'host-1', sink: new FileSink({ fuseRoot }) });
  expect(written).toEqual([path.join(fuseRoot, 'bucket/tb/run-1/train', NAME), path.join(fuseRoot, 'bucket/tb/run-1/validation', NAME)]);
  expect(scalarsOf(fs.readFileSync(written[1]!))).toEqual([
    ['epoch_loss', 1, 1.5],
    ['epoch_loss', 2, 1],
  ]);
});

it('uploads to Cloud Storage without a mount, and says what to grant when the upload is refused', async () => {
  const server = await startFakeGcs();
  try {
    const sink = new FileSink({ gcsAccess: 'client', storageOptions: { apiEndpoint: server.endpoint } });
    const written = await writeScalarRuns('gs://bucket/tb/', runs, { createdAt, hostname: 'host-1', sink });
    expect(written).toEqual([`gs://bucket/tb/train/${NAME}`, `gs://bucket/tb/validation/${NAME}`]);
    expect(scalarsOf(server.get(written[0]!)!)).toEqual([
      ['epoch_loss', 1, 1.25],
      ['epoch_loss', 2, 0.75],
    ]);
    expect(server.requests.filter((request) => request.startsWith('POST /upload/storage/v1/b/bucket/o?'))).toHaveLength(2);

    server.forbidUploads('locked');
    await expect(writeScalarRuns('gs://locked/tb', runs, { createdAt, hostname: 'host-1', sink })).rejects.toThrow(
      /^Cannot write the TensorBoard event file gs:\/\/locked\/tb\/train\/events\.out\.tfevents\.1700000000\.host-1 to Cloud Storage at http:\/\/127\.0\.0\.1:\d+ \(403: .*storage\.objects\.create.*\); give the account running the step roles\/storage\.objectCreator on the bucket/,
    );
  } finally {
    await server.close();
  }
});

it('says which folder could not be written and how to fix it', async () => {
  const blocker = path.join(workspace, 'a-file');
  fs.writeFileSync(blocker, 'not a folder');
  await expect(writeScalarRuns(path.join(blocker, 'logs'), runs, { createdAt, hostname: 'h' })).rejects.toMatchObject({
    name: 'FileWriteError',
    message: expect.stringMatching(
      /^Cannot write the TensorBoard event file .*a-file\/logs\/train\/events\.out\.tfevents\.1700000000\.h \(.*\); check that the path names a folder you can write to\.$/,
    ),
  });
});

it('refuses run names that would leave the log directory', async () => {
  await expect(writeScalarRuns(workspace, { '../escape': [] }, { createdAt, hostname: 'h' })).rejects.toThrow(
    'TensorBoard run name "../escape" must be a relative folder name such as \'train\'',
  );
  expect(fs.readdirSync(workspace)).toEqual([]);
});
