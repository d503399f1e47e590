import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  crc32c,
  crc32cImplementation,
  crc32cTypeScript,
  loadNativeCrc32c,
  maskCrc,
  maskedCrc32c,
  NATIVE_MIN_BYTES,
  unmaskCrc,
  type Crc32cFunction,
} from '../../../../../components/image-classifier/lib/tfrecord/crc32c';
import { defined } from '../../../../support/defined';

/** Bit-at-a-time CRC32C: slow, obviously right, independent of the table code under test. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Deterministic bytes (xorshift32), so failures reproduce. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

/** @node-rs/crc32 as the module loads it (undefined where its binary is missing or wrong). */
const native = loadNativeCrc32c();
/** Every implementation, called directly: the native one on short inputs too, which crc32c() never sends it. */
const implementations: [string, Crc32cFunction][] = [
  [`crc32c (active: ${crc32cImplementation})`, crc32c],
  ['crc32cTypeScript', crc32cTypeScript],
  ...(native ? ([['native @node-rs/crc32', native]] as [string, Crc32cFunction][]) : []),
];

describe.each(implementations)('%s', (_name, crc) => {
  it('gives the CRC32C check value for "123456789"', () => {
    expect(crc(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the framing vectors of the reference document', () => {
    expect(crc(Buffer.alloc(0))).toBe(0);
    expect(crc(Buffer.alloc(8))).toBe(0x8c28b28a);
    expect(crc(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]))).toBe(0x576c35e3);
    expect(crc(Buffer.from('abc'))).toBe(0x364b3fb7);
  });

  it('matches the iSCSI test patterns of RFC 3720 (B.4)', () => {
    const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(crc(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc(ascending)).toBe(0x46dd794e);
    expect(crc(ascending.slice().reverse())).toBe(0x113fdb5c);
  });

  it('agrees with the bit-at-a-time reference for every length to 300 and every alignment', () => {
    const backing = pseudoRandomBytes(320, 7);
    const mismatches: string[] = [];
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 300; length++) {
        const view = backing.subarray(start, start + length);
        if (crc(view) !== referenceCrc32c(view)) mismatches.push(`start ${start} length ${length}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with the reference on a 50 KB buffer at an odd offset', () => {
    const data = pseudoRandomBytes(50_003, 99).subarray(3);
    expect(crc(data)).toBe(referenceCrc32c(data));
  });

  it('continues a checksum across pieces', () => {
    const data = pseudoRandomBytes(1000, 3);
    expect(crc(data.subarray(500), crc(data.subarray(0, 500)))).toBe(crc(data));
    expect(crc(data.subarray(1), crc(data.subarray(0, 1)))).toBe(crc(data));
  });

  it('agrees with the reference around the native threshold and on large buffers, at every alignment', () => {
    const backing = pseudoRandomBytes(200_008, 21);
    const mismatches: string[] = [];
    for (const length of [NATIVE_MIN_BYTES - 1, NATIVE_MIN_BYTES, NATIVE_MIN_BYTES + 1, 4096, 51_200, 200_000]) {
      for (let start = 0; start < 8; start++) {
        const view = backing.subarray(start, start + length);
        if (crc(view) !== referenceCrc32c(view)) mismatches.push(`start ${start} length ${length}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('the CRC32C implementations agree', () => {
  it('on random buffers of random lengths and offsets, whole and continued in pieces', () => {
    const backing = pseudoRandomBytes(300_000, 5);
    let state = 12345;
    const next = (bound: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % bound;
    };
    const mismatches: string[] = [];
    for (let trial = 0; trial < 400; trial++) {
      // Short lengths half the time (the TypeScript path of crc32c()), long ones otherwise.
      const length = trial % 2 === 0 ? next(NATIVE_MIN_BYTES * 2) : next(120_000);
      const start = next(backing.length - length);
      const data = backing.subarray(start, start + length);
      const split = next(length + 1);
      const expected = crc32cTypeScript(data);
      for (const [name, crc] of implementations) {
        if (crc(data) !== expected) mismatches.push(`${name}: start ${start} length ${length}`);
        if (crc(data.subarray(split), crc(data.subarray(0, split))) !== expected)
          mismatches.push(`${name} continued at ${split}: start ${start} length ${length}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('mixing them across pieces of one checksum', () => {
    const data = pseudoRandomBytes(100_000, 8);
    const first = crc32cTypeScript(data.subarray(0, 60_001));
    expect(crc32c(data.subarray(60_001), first)).toBe(crc32cTypeScript(data));
    expect(crc32cTypeScript(data.subarray(60_001), crc32c(data.subarray(0, 60_001)))).toBe(crc32c(data));
  });

  it('crc32c() is native wherever @node-rs/crc32 loads (it does on linux-x64-gnu, as in CI)', () => {
    let loads = true;
    try {
      require('@node-rs/crc32');
    } catch {
      loads = false;
    }
    if (process.env.KFP_TS_CRC32C === 'typescript') loads = false;
    expect(crc32cImplementation).toBe(loads ? 'native (@node-rs/crc32)' : 'typescript');
    expect(native !== undefined).toBe(loads);
  });
});

describe('the TypeScript fallback', () => {
  const quietly = <T>(run: () => T): { result: T; logged: number } => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation(() => undefined),
    );
    const writes = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const result = run();
      return { result, logged: spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0) + writes.mock.calls.length };
    } finally {
      for (const spy of spies) spy.mockRestore();
      writes.mockRestore();
    }
  };

  it('is chosen, silently, when the native module cannot load, has no crc32c, or computes something else', () => {
    const cases: [string, () => unknown][] = [
      [
        'missing binary',
        () => {
          throw new Error('Cannot find native binding. npm has a bug related to optional dependencies');
        },
      ],
      ['no crc32c export', () => ({ crc32: () => 0 })],
      ['null module', () => null],
      ['wrong results', () => ({ crc32c: () => 0xe3069283 })],
      [
        'throws when called',
        () => ({
          crc32c: () => {
            throw new TypeError('bad argument');
          },
        }),
      ],
      ['ignores the initial state', () => ({ crc32c: (data: Uint8Array) => crc32cTypeScript(data) })],
    ];
    for (const [name, load] of cases) {
      const { result, logged } = quietly(() => loadNativeCrc32c(load));
      expect([name, result]).toEqual([name, undefined]);
      expect([name, logged]).toEqual([name, 0]);
    }
  });

  it('accepts a module that computes CRC32C, and KFP_TS_CRC32C=typescript turns it off', () => {
    const loaded = loadNativeCrc32c(() => ({ crc32c: (data: Uint8Array, initial?: number) => crc32cTypeScript(data, initial ?? 0) }));
    expect(loaded?.(Buffer.from('123456789'))).toBe(0xe3069283);
    const saved = process.env.KFP_TS_CRC32C;
    process.env.KFP_TS_CRC32C = 'typescript';
    try {
      expect(loadNativeCrc32c(() => ({ crc32c: crc32cTypeScript }))).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.KFP_TS_CRC32C;
      else process.env.KFP_TS_CRC32C = saved;
    }
  });

  it("writes and reads TFRecords, CRCs verified, when @node-rs/crc32 fails to load, and both implementations read the other's files", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-crc32c-fallback-'));
    try {
      const payloads = [0, 8, NATIVE_MIN_BYTES - 1, NATIVE_MIN_BYTES, 51_200, 300_000].map((length, i) =>
        Buffer.from(pseudoRandomBytes(length, i + 1)),
      );
      // Buffer.equals, not toEqual: jest compares large buffers element by element, for seconds.
      const same = (records: Iterable<{ data: Buffer }>) =>
        [...records].map((record, i) => record.data.equals(defined(payloads[i], `payload ${i}`)) && i);
      const all = payloads.map((_, i) => i);
      type Modules = {
        crc: typeof import('../../../../../components/image-classifier/lib/tfrecord/crc32c');
        writer: typeof import('../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer');
        reader: typeof import('../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader');
      };
      let fallback: Modules | undefined;
      const { logged } = quietly(() =>
        jest.isolateModules(() => {
          jest.doMock('@node-rs/crc32', () => {
            throw new Error('Cannot find native binding');
          });
          fallback = {
            crc: require('../../../../../components/image-classifier/lib/tfrecord/crc32c'),
            writer: require('../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer'),
            reader: require('../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader'),
          };
        }),
      );
      jest.dontMock('@node-rs/crc32');
      expect(logged).toBe(0);
      expect(fallback!.crc.crc32cImplementation).toBe('typescript');
      expect(fallback!.crc.crc32c(Buffer.from('123456789'))).toBe(0xe3069283);

      const written = path.join(directory, 'fallback.tfrecord');
      const writer = new fallback!.writer.TFRecordWriter(written, { fsync: false });
      for (const payload of payloads) writer.write(payload);
      writer.close();
      // Read by the fallback reader and by this module's (native where it loads): same records, CRCs verified.
      expect(same(fallback!.reader.readTFRecords(written))).toEqual(all);
      const { readTFRecords } = require('../../../../../components/image-classifier/lib/tfrecord/tfrecord-reader') as Modules['reader'];
      expect(same(readTFRecords(written))).toEqual(all);
      // And the other way round: the active writer's file, byte for byte the same, read by the fallback.
      const { TFRecordWriter } = require('../../../../../components/image-classifier/lib/tfrecord/tfrecord-writer') as Modules['writer'];
      const again = path.join(directory, 'active.tfrecord');
      const active = new TFRecordWriter(again, { fsync: false });
      for (const payload of payloads) active.write(payload);
      active.close();
      expect(fs.readFileSync(again).equals(fs.readFileSync(written))).toBe(true);
      expect(same(fallback!.reader.readTFRecords(again))).toEqual(all);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('maskCrc', () => {
  it('masks as TensorFlow does (document vectors)', () => {
    expect(maskCrc(0x8c28b28a)).toBe(0x07980329);
    expect(maskCrc(0x00000000)).toBe(0xa282ead8);
    expect(maskCrc(0x576c35e3)).toBe(0x0e4999b0);
    expect(maskCrc(0x364b3fb7)).toBe(0x21f1576e);
    expect(maskedCrc32c(Buffer.alloc(8))).toBe(0x07980329);
  });

  it('wraps modulo 2^32 where the sum overflows (the missing `>>> 0` bug)', () => {
    // rotr15(0xffffffff) = 0xffffffff; + 0xa282ead8 overflows 2^32.
    expect(maskCrc(0xffffffff)).toBe(0xa282ead7);
    // The smallest rotated value that overflows: 2^32 - 0xa282ead8 = 0x5d7d1528, i.e. crc = rotl15 of it.
    const crc = ((0x5d7d1528 << 15) | (0x5d7d1528 >>> 17)) >>> 0;
    expect(maskCrc(crc)).toBe(0);
    expect(() => Buffer.alloc(4).writeUInt32LE(maskCrc(crc))).not.toThrow();
  });

  it('always returns a uint32 and unmaskCrc inverts it', () => {
    const words = new Uint32Array(pseudoRandomBytes(4000, 11).buffer);
    for (const crc of [...words, 0, 0xffffffff, 0x80000000, 0x7fffffff]) {
      const masked = maskCrc(crc);
      expect(Number.isInteger(masked) && masked >= 0 && masked <= 0xffffffff).toBe(true);
      expect(unmaskCrc(masked)).toBe(crc);
    }
  });
});
