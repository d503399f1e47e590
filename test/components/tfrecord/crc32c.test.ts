import { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from '../../../components/tfrecord/crc32c';

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

describe('crc32c', () => {
  it('gives the CRC32C check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the framing vectors of the reference document', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(8))).toBe(0x8c28b28a);
    expect(crc32c(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]))).toBe(0x576c35e3);
    expect(crc32c(Buffer.from('abc'))).toBe(0x364b3fb7);
  });

  it('matches the iSCSI test patterns of RFC 3720 (B.4)', () => {
    const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(ascending)).toBe(0x46dd794e);
    expect(crc32c(ascending.slice().reverse())).toBe(0x113fdb5c);
  });

  it('agrees with the bit-at-a-time reference for every length to 300 and every alignment', () => {
    const backing = pseudoRandomBytes(320, 7);
    const mismatches: string[] = [];
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 300; length++) {
        const view = backing.subarray(start, start + length);
        if (crc32c(view) !== referenceCrc32c(view)) mismatches.push(`start ${start} length ${length}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with the reference on a 50 KB buffer at an odd offset', () => {
    const data = pseudoRandomBytes(50_003, 99).subarray(3);
    expect(crc32c(data)).toBe(referenceCrc32c(data));
  });

  it('continues a checksum across pieces', () => {
    const data = pseudoRandomBytes(1000, 3);
    expect(crc32c(data.subarray(500), crc32c(data.subarray(0, 500)))).toBe(crc32c(data));
    expect(crc32c(data.subarray(1), crc32c(data.subarray(0, 1)))).toBe(crc32c(data));
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
