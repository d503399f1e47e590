import { HammingIndex, popcount32 } from '../../../../components/image-classifier/preprocess/hamming-index';
import { hammingDistance } from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { randomInt, seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';
import { defined } from '../../../support/defined';

const random64 = (random: () => number) => (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));

function flipBits(hash: bigint, count: number, random: () => number): bigint {
  const bits = new Set<number>();
  while (bits.size < count) bits.add(randomInt(random, 0, 63));
  let out = hash;
  for (const bit of bits) out ^= 1n << BigInt(bit);
  return out;
}

describe('HammingIndex', () => {
  // 200 random hashes plus 200 planted neighbours 0–20 bits from one of them: many pairs at every radius.
  const random = seededRandom(7);
  const hashes: bigint[] = Array.from({ length: 200 }, () => random64(random));
  for (let i = 0; i < 200; i++)
    hashes.push(flipBits(defined(hashes[randomInt(random, 0, 199)], 'a stored hash'), randomInt(random, 0, 20), random));

  it.each([0, 1, 3, 4, 7, 8, 12, 15, 16, 20, 64])('finds exactly the stored hashes within radius %i (probing loses none)', (radius) => {
    const index = new HammingIndex(radius);
    hashes.forEach((hash, id) => index.add(id * 10, hash));
    for (const query of hashes.slice(150, 260)) {
      const expected = hashes.flatMap((hash, id) =>
        hammingDistance(hash, query) <= radius ? [{ id: id * 10, distance: hammingDistance(hash, query) }] : [],
      );
      expect(index.within(query)).toEqual(expected);
    }
  });

  it('searches only what was added so far', () => {
    const index = new HammingIndex(2);
    expect(index.within(0n)).toEqual([]);
    index.add(5, 0b11n);
    expect(index.within(0n)).toEqual([{ id: 5, distance: 2 }]);
    expect(index.within(0b1111n)).toEqual([{ id: 5, distance: 2 }]);
    expect(index.within(0b111n << 60n)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('takes signed hashes as their 64-bit two’s complement', () => {
    const index = new HammingIndex(0);
    index.add(1, -1n);
    expect(index.within(0xffffffffffffffffn)).toEqual([{ id: 1, distance: 0 }]);
  });

  it('rejects a radius that is not a whole number of bits in [0, 64]', () => {
    expect(() => new HammingIndex(65)).toThrow('Hamming radius must be a whole number of bits in [0, 64], got 65.');
    expect(() => new HammingIndex(1.5)).toThrow(/got 1\.5/);
  });

  it('counts bits of 32-bit words', () => {
    expect([0, 1, 0xff, 0xffffffff, 0x80000001].map(popcount32)).toEqual([0, 1, 8, 32, 2]);
  });
});
