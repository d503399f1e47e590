import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  TFRecordCorruptionError,
  findShards,
  readTFRecords,
  type TFRecordReadOptions,
} from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import { TFRecordWriter } from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer';
import { defined } from '../../../../support/defined';

// Three records of 100, 200 and 300 bytes: headers at 0, 116 and 332; the file is 648 bytes.
const PAYLOADS = [100, 200, 300].map((size, i) => Buffer.alloc(size, 0x41 + i));
const OFFSETS = [0, 116, 332] as const;
const FILE_SIZE = 648;

let directory: string;
let file: string;
let original: Buffer;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-tfrecord-reader-'));
  file = path.join(directory, 'data.tfrecord');
  const writer = new TFRecordWriter(file);
  for (const payload of PAYLOADS) writer.write(payload);
  writer.close();
  original = fs.readFileSync(file);
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function damage(change: (bytes: Buffer) => Buffer): void {
  fs.writeFileSync(file, change(fs.readFileSync(file)));
}

function flip(offset: number): void {
  damage((bytes) => {
    bytes[offset] = defined(bytes[offset], `byte ${offset}`) ^ 0x01;
    return bytes;
  });
}

/** Reads everything and returns the error it raised (failing the test if there was none). */
function readError(options: TFRecordReadOptions = {}): TFRecordCorruptionError {
  try {
    for (const _record of readTFRecords(file, options));
  } catch (error) {
    expect(error).toBeInstanceOf(TFRecordCorruptionError);
    return error as TFRecordCorruptionError;
  }
  throw new Error('expected a TFRecordCorruptionError');
}

describe('readTFRecords corruption detection', () => {
  it('reads the intact file with offsets and indices', () => {
    const records = [...readTFRecords(file)];
    expect(records.map((r) => [r.index, r.offset, r.data.length])).toEqual([
      [0, 0, 100],
      [1, 116, 200],
      [2, 332, 300],
    ]);
    expect(fs.statSync(file).size).toBe(FILE_SIZE);
  });

  it('detects one flipped byte in a payload, naming file, offset, record and the way out', () => {
    flip(OFFSETS[1] + 12 + 50);
    const error = readError();
    expect(error).toMatchObject({ file, offset: 116, recordIndex: 1, problem: 'payload-crc' });
    expect(error.message).toMatch(
      new RegExp(
        `^Corrupt TFRecord file ${file}: record #1 at byte 116: its 200-byte payload fails its CRC \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)\\. ` +
          'Re-create the file \\(re-run the step that wrote it\\), or copy it again if it was copied; to read the other records, pass onCorruptRecord to skip damaged ones\\.$',
      ),
    );
  });

  it('detects a flipped byte in the stored payload CRC', () => {
    flip(OFFSETS[2] + 12 + 300 + 3);
    expect(readError()).toMatchObject({ offset: 332, recordIndex: 2, problem: 'payload-crc' });
  });

  it('skips records with a bad payload when onCorruptRecord is given, and reads on', () => {
    flip(OFFSETS[0] + 12);
    const skipped: TFRecordCorruptionError[] = [];
    const records = [...readTFRecords(file, { onCorruptRecord: (error) => skipped.push(error) })];
    expect(records.map((r) => r.index)).toEqual([1, 2]);
    expect(skipped.map((e) => [e.offset, e.problem])).toEqual([[0, 'payload-crc']]);
  });

  it('detects a flipped byte in a length, and in the length CRC', () => {
    flip(OFFSETS[1] + 1);
    const error = readError();
    expect(error).toMatchObject({ file, offset: 116, recordIndex: 1, problem: 'length-crc' });
    expect(error.message).toMatch(
      /record #1 at byte 116: the length header fails its CRC \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\), so no record from here on can be located\. The file is damaged or is not a TFRecord file\. Re-create the file/,
    );

    flip(OFFSETS[1] + 1); // undo
    flip(OFFSETS[1] + 9);
    expect(readError()).toMatchObject({ offset: 116, problem: 'length-crc' });
  });

  it('detects truncation inside a payload, inside a footer and inside a header', () => {
    damage((bytes) => bytes.subarray(0, OFFSETS[2] + 12 + 150));
    const error = readError();
    expect(error).toMatchObject({ file, offset: 332, recordIndex: 2, problem: 'truncated' });
    expect(error.message).toBe(
      `Corrupt TFRecord file ${file}: record #2 at byte 332: needs 316 bytes but only 162 remain (file size 494). ` +
        'The file was cut off, by an interrupted write or copy; the records before byte 332 are intact. Re-create the file (re-run the step that wrote it), or copy it again if it was copied.',
    );
    // The records before the damage were delivered before the error.
    const delivered: number[] = [];
    expect(() => {
      for (const record of readTFRecords(file)) delivered.push(record.index);
    }).toThrow(TFRecordCorruptionError);
    expect(delivered).toEqual([0, 1]);

    fs.writeFileSync(file, original);
    fs.truncateSync(file, FILE_SIZE - 2); // the last footer is half there
    expect(readError()).toMatchObject({ offset: 332, problem: 'truncated' });
    fs.truncateSync(file, OFFSETS[2] + 5); // the last header is half there
    expect(readError()).toMatchObject({ offset: 332, problem: 'truncated' });
  });

  it('detects the same damage in large records, which are read without the chunk', () => {
    const large = [70_000, 20_000, 90_000].map((size, i) => Buffer.alloc(size, 0x61 + i));
    const writer = new TFRecordWriter(file);
    for (const payload of large) writer.write(payload);
    writer.close();
    const second = 70_000 + 16;
    expect([...readTFRecords(file, { chunkSize: 4096 })].map((r) => r.data)).toEqual(large);

    flip(second + 12 + 19_999);
    expect(readError({ chunkSize: 4096 })).toMatchObject({ offset: second, recordIndex: 1, problem: 'payload-crc' });
    flip(second + 12 + 19_999);
    flip(second + 12 + 20_000 + 1); // its footer
    expect(readError()).toMatchObject({ offset: second, recordIndex: 1, problem: 'payload-crc' });
    flip(second + 12 + 20_000 + 1);
    fs.truncateSync(file, fs.statSync(file).size - 1);
    expect(readError()).toMatchObject({ offset: second + 20_016, recordIndex: 2, problem: 'truncated' });
  });

  it('reads a damaged payload when CRC checks are off (salvage only)', () => {
    flip(OFFSETS[1] + 12 + 50);
    const records = [...readTFRecords(file, { verifyCrc: false })];
    expect(records[1]?.data[50]).toBe(0x42 ^ 0x01);
  });

  it('points at decompression for a gzip-compressed TFRecord file', () => {
    damage((bytes) => gzipSync(bytes));
    expect(readError().message).toContain('It starts like a gzip file: decompress it first');
  });

  it('names a missing file', () => {
    expect(() => [...readTFRecords(path.join(directory, 'nope.tfrecord'))]).toThrow(/^Cannot open TFRecord file .*nope\.tfrecord: ENOENT/);
  });
});

describe('findShards', () => {
  const touch = (...names: string[]) => names.forEach((name) => fs.writeFileSync(path.join(directory, name), ''));

  it('lists a complete set in index order and ignores other files', () => {
    touch(
      'train-00001-of-00002.tfrecord',
      'train-00000-of-00002.tfrecord',
      'val-00000-of-00001.tfrecord',
      '.train-00000-of-00002.tfrecord.partial',
    );
    expect(findShards(path.join(directory, 'train')).map((p) => path.basename(p))).toEqual([
      'train-00000-of-00002.tfrecord',
      'train-00001-of-00002.tfrecord',
    ]);
  });

  it('names what is wrong with an incomplete or mixed set', () => {
    const prefix = path.join(directory, 'train');
    expect(() => findShards(prefix)).toThrow(`No TFRecord shards match ${prefix}-*-of-*.tfrecord in ${directory}`);
    touch('train-00000-of-00003.tfrecord', 'train-00002-of-00003.tfrecord');
    expect(() => findShards(prefix)).toThrow(
      `TFRecord shard set ${prefix}-*-of-00003.tfrecord is incomplete: missing shard(s) 1. Re-run the step that wrote them.`,
    );
    touch('train-00000-of-00002.tfrecord');
    expect(() => findShards(prefix)).toThrow('come from different writes (shard counts 2, 3); delete the stale ones');
  });
});
