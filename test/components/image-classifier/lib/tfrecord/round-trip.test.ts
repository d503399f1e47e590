import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bytesFeature,
  encodeExample,
  floatFeature,
  int64Feature,
  type Example,
} from '../../../../../components/image-classifier/lib/tfrecord/example';
import { findShards, readExamples, readTFRecords } from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader';
import { ShardedTFRecordWriter } from '../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer';
import { defined } from '../../../../support/defined';

/** Seeded xorshift32 in [0, 1): the same records on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const RECORDS = 1000;
const SHARDS = 4;

/**
 * Record i: every 50th is a raw 0-byte payload (a legal record; it decodes as an empty Example),
 * the rest Examples with an image of random size (0 bytes to 300 KB: buffered and direct writes,
 * records spanning read chunks), its index, a label and a float.
 */
function makeRecords(): { payloads: Buffer[]; examples: Example[] } {
  const next = random(20240601);
  const payloads: Buffer[] = [];
  const examples: Example[] = [];
  for (let i = 0; i < RECORDS; i++) {
    if (i % 50 === 0) {
      payloads.push(Buffer.alloc(0));
      examples.push({});
      continue;
    }
    const size = next() < 0.1 ? 0 : next() < 0.95 ? Math.floor(next() * 4000) : Math.floor(next() * 300_000);
    const image = Buffer.allocUnsafe(size);
    for (let b = 0; b < size; b += 4096) image[b] = Math.floor(next() * 256);
    image.fill(i & 0xff, 0, Math.min(size, 3));
    const example: Example = {
      'image/encoded': bytesFeature(image),
      'image/class/label': int64Feature(Math.floor(next() * 10)),
      index: int64Feature(i),
      score: floatFeature(Math.fround(next())),
    };
    examples.push(example);
    payloads.push(encodeExample(example));
  }
  return { payloads, examples };
}

/** Bytes values as plain arrays, so a decoded Example compares equal to the one written. */
const plain = (example: Example) =>
  Object.fromEntries(
    Object.entries(example).map(([key, f]) => [key, f.kind === 'bytes' ? f.values.map((v) => Buffer.from(v).toString('hex')) : f.values]),
  );

let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-tfrecord-round-trip-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('TFRecord round trip of 1,000 records over 4 shards', () => {
  const { payloads, examples } = makeRecords();

  it('writes the shards, finds them by prefix, and reads every record back intact', () => {
    const prefix = path.join(directory, 'train');
    const writer = new ShardedTFRecordWriter({ prefix, shardCount: SHARDS });
    for (const payload of payloads) writer.write(payload);
    const shards = writer.close();

    expect(shards.map((s) => [path.basename(s.path), s.records])).toEqual(
      [0, 1, 2, 3].map((i) => [`train-0000${i}-of-00004.tfrecord`, RECORDS / SHARDS]),
    );
    expect(findShards(prefix)).toEqual(shards.map((s) => s.path));
    expect(fs.readdirSync(directory).sort()).toEqual(shards.map((s) => path.basename(s.path)));

    // Round-robin: shard s holds records s, s + 4, s + 8, ...; reading shards in order visits
    // them in that order. Small read chunks make records straddle chunk boundaries.
    const expectedOrder = [0, 1, 2, 3].flatMap((s) => Array.from({ length: RECORDS / SHARDS }, (_, k) => s + k * SHARDS));
    for (const chunkSize of [1 << 20, 1000]) {
      const records = [...readTFRecords(findShards(prefix), { chunkSize })];
      expect(records).toHaveLength(RECORDS);
      const mismatched = records
        .filter((record, n) => !record.data.equals(defined(payloads[defined(expectedOrder[n], `position ${n}`)], 'a payload')))
        .map((record) => `${record.file}#${record.index}`);
      expect(mismatched).toEqual([]);
      expect(records[1]).toMatchObject({ file: shards[0]?.path, index: 1, offset: defined(payloads[0], 'payload 0').length + 16 });
    }

    const decoded = [...readExamples(findShards(prefix))];
    expect(decoded.map(plain)).toEqual(expectedOrder.map((i) => plain(defined(examples[i], `example ${i}`))));
    expect(decoded.filter((example) => Object.keys(example).length === 0)).toHaveLength(RECORDS / 50);
    expect(decoded.some((example) => (example['image/encoded']?.values[0] as Uint8Array | undefined)?.length === 0)).toBe(true);
  });
});
