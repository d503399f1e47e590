import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bytesFeature, decodeExample, floatFeature, int64Feature } from '../../../../../components/image-classifier/lib/tfrecord/example';
import { readTFRecords } from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import {
  ShardedTFRecordWriter,
  TFRecordWriter,
  frameRecord,
  shardCountFor,
  shardFileName,
  writeRecordHeader,
} from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer';

// The module object itself: the namespace import above has read-only bindings that jest cannot spy on.
const fsModule = require('node:fs') as typeof fs;

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');

// The two Examples of example.test.ts in TFRecord framing (length, masked CRC32C of the length,
// data, masked CRC32C of the data); TensorBoard's reader accepted this file.
const TWO_RECORD_FILE_HEX = [
  '3900000000000000',
  '8b0737f1',
  '0a370a1a0a11696d6167652f636c6173732f6c6162656c12051a030a01030a190a0d696d6167652f656e636f64656412080a060a04ffd8ffd9',
  'ccebadce',
  '3800000000000000',
  'a3797d57',
  '0a360a0d0a0166120812060a040000c03f0a170a056c6162656c120e1a0c0a0affffffffffffffffff010a0c0a017312070a050a03636174',
  '0f6a522c',
].join('');

let directory: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-tfrecord-writer-'));
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('TFRecord framing', () => {
  it('frames the document test vectors: the empty record and "abc"', () => {
    expect(hex(frameRecord(Buffer.alloc(0)))).toBe('0000000000000000' + '29039807' + 'd8ea82a2');
    expect(hex(frameRecord(Buffer.from('abc')))).toBe('0300000000000000' + 'b099490e' + '616263' + '6e57f121');
  });

  it('writes the two-record file of the document byte for byte', () => {
    const file = path.join(directory, 'two.tfrecord');
    const writer = new TFRecordWriter(file);
    writer.writeExample({ 'image/class/label': int64Feature(3), 'image/encoded': bytesFeature(Buffer.from('ffd8ffd9', 'hex')) });
    writer.writeExample({ f: floatFeature(1.5), label: int64Feature(-1), s: bytesFeature('cat') });
    expect(writer.close()).toEqual({ path: file, records: 2, bytes: 73 + 72 });
    expect(fs.readFileSync(file).toString('hex')).toBe(TWO_RECORD_FILE_HEX);
  });

  it('writes all 64 bits of the length (the roboflow writer drops the high half)', () => {
    const header = Buffer.alloc(12);
    writeRecordHeader(header, 0, 2 ** 32 + 5);
    expect(hex(header.subarray(0, 8))).toBe('0500000001000000');
    expect(header.readBigUInt64LE(0)).toBe(2n ** 32n + 5n);
  });

  it('reads back what it wrote, with small and direct-write payloads mixed and a tiny buffer', () => {
    const file = path.join(directory, 'mixed.tfrecord');
    const payloads = [0, 1, 15, 16, 17, 63, 64, 65, 200, 0, 5000].map((size, i) => Buffer.alloc(size, i + 1));
    const writer = new TFRecordWriter(file, { bufferSize: 64 });
    for (const payload of payloads) writer.write(payload);
    writer.close();
    expect(fs.statSync(file).size).toBe(payloads.reduce((sum, p) => sum + p.length + 16, 0));
    expect([...readTFRecords(file)].map((record) => record.data)).toEqual(payloads);
  });

  it('keeps the file under a hidden temporary name until close(), and abort() removes it', () => {
    const file = path.join(directory, 'nested', 'out.tfrecord');
    const writer = new TFRecordWriter(file);
    writer.write(Buffer.from('abc'));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['.out.tfrecord.partial']);
    writer.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['out.tfrecord']);
    expect(() => writer.write(Buffer.from('x'))).toThrow(`TFRecordWriter for ${file} is already closed; create a new writer`);

    const aborted = new TFRecordWriter(path.join(directory, 'aborted.tfrecord'));
    aborted.write(Buffer.from('abc'));
    aborted.abort();
    expect(fs.readdirSync(directory)).toEqual(['nested']);
  });

  it('starts write-back every writebackBytes while writing, syncs the file and its folder on close, and closes its extra descriptor', async () => {
    // Only this writer's descriptors (those on files in `directory`): jest runs other test files in
    // the same process, whose sockets and pipes open and close at any time.
    const openDescriptors = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${fs.realpathSync(directory)}${path.sep}`);
        } catch {
          return false; // closed since the listing
        }
      }).length;
    const kicks = jest.spyOn(fsModule, 'fdatasync');
    const syncs = jest.spyOn(fsModule, 'fsyncSync');
    try {
      const file = path.join(directory, 'durable.tfrecord');
      const writer = new TFRecordWriter(file, { bufferSize: 1024, writebackBytes: 4096 });
      const payloads = Array.from({ length: 40 }, (_, i) => Buffer.alloc(500 + i, i));
      for (const payload of payloads) writer.write(payload);
      expect(openDescriptors()).toBe(2); // the file's and the write-back kicks'
      const written = payloads.reduce((sum, p) => sum + p.length + 16, 0);
      // One kick per 4096 bytes handed to the file; the last partial buffer is left to close().
      expect(kicks.mock.calls.length).toBeGreaterThanOrEqual(Math.floor((written - 1024) / 4096));
      expect(kicks.mock.calls.length).toBeLessThanOrEqual(Math.floor(written / 4096));
      writer.close();
      expect(syncs).toHaveBeenCalledTimes(2);
      expect([...readTFRecords(file)].map((record) => record.data)).toEqual(payloads);
      // The kicks still running hold the extra descriptor until they finish (fdatasync can take a while on a busy disk).
      for (let waited = 0; waited < 5000 && openDescriptors() > 0; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(openDescriptors()).toBe(0);
    } finally {
      kicks.mockRestore();
      syncs.mockRestore();
    }
  });

  it('neither kicks write-back nor syncs without fsync', () => {
    const kicks = jest.spyOn(fsModule, 'fdatasync');
    const syncs = jest.spyOn(fsModule, 'fsyncSync');
    try {
      const writer = new TFRecordWriter(path.join(directory, 'scratch.tfrecord'), { fsync: false, bufferSize: 64, writebackBytes: 64 });
      for (let i = 0; i < 20; i++) writer.write(Buffer.alloc(100));
      writer.close();
      expect(kicks).not.toHaveBeenCalled();
      expect(syncs).not.toHaveBeenCalled();
    } finally {
      kicks.mockRestore();
      syncs.mockRestore();
    }
  });

  it('names the file and the fix when it cannot create it', () => {
    const blocker = path.join(directory, 'a-file');
    fs.writeFileSync(blocker, '');
    expect(() => new TFRecordWriter(path.join(blocker, 'x.tfrecord'))).toThrow(
      new RegExp(
        `^Cannot create TFRecord file ${blocker}/x\\.tfrecord: .*Check that the directory exists, is writable and has free space\\.$`,
      ),
    );
  });
});

describe('shards', () => {
  it("names shards as TensorFlow does: 0-based, 5 digits, '-of-'", () => {
    expect(shardFileName('out/train', 0, 4)).toBe('out/train-00000-of-00004.tfrecord');
    expect(shardFileName('train', 2, 10, '')).toBe('train-00002-of-00010');
  });

  it('sizes the shard count from the expected bytes', () => {
    expect(shardCountFor(0)).toBe(1);
    expect(shardCountFor(128 * 1024 * 1024)).toBe(1);
    expect(shardCountFor(128 * 1024 * 1024 + 1)).toBe(2);
    expect(shardCountFor(1000, { targetShardBytes: 100 })).toBe(10);
    expect(shardCountFor(1000, { targetShardBytes: 100, minShards: 16 })).toBe(16);
  });

  it('writes round-robin and reports every shard with its record count, even empty ones', () => {
    const writer = new ShardedTFRecordWriter({ prefix: path.join(directory, 'val'), shardCount: 4 });
    for (let i = 0; i < 6; i++) writer.writeExample({ index: int64Feature(i) });
    const shards = writer.close();
    expect(shards.map((s) => [path.basename(s.path), s.records])).toEqual([
      ['val-00000-of-00004.tfrecord', 2],
      ['val-00001-of-00004.tfrecord', 2],
      ['val-00002-of-00004.tfrecord', 1],
      ['val-00003-of-00004.tfrecord', 1],
    ]);
    const indices = shards.map((s) => [...readTFRecords(s.path)].map((r) => decodeExample(r.data).index?.values[0]));
    expect(indices).toEqual([[0, 4], [1, 5], [2], [3]]);
    expect(shards.every((s) => s.bytes === fs.statSync(s.path).size)).toBe(true);
  });

  it('rejects a shard count that does not fit the naming scheme', () => {
    const prefix = path.join(directory, 'x');
    expect(() => new ShardedTFRecordWriter({ prefix, shardCount: 0 })).toThrow(
      'shardCount must be an integer from 1 to 99999, got 0; shardCountFor(totalBytes) computes one.',
    );
    expect(() => new ShardedTFRecordWriter({ prefix, shardCount: 100_000 })).toThrow('got 100000');
  });
});
