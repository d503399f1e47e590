import { groupNearDuplicates } from '../../../../components/image-classifier/preprocess/near-duplicates';
import { hammingDistance } from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { randomInt, seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';

const random64 = (random: () => number) => (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));

function flipBits(hash: bigint, count: number, random: () => number): bigint {
  const bits = new Set<number>();
  while (bits.size < count) bits.add(randomInt(random, 0, 63));
  let out = hash;
  for (const bit of bits) out ^= 1n << BigInt(bit);
  return out;
}

/** All-pairs reference: the transitive closure of "within threshold", as sorted groups. */
function bruteForceGroups(hashes: bigint[], threshold: number): number[][] {
  const group = hashes.map((_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
  for (let i = 0; i < hashes.length; i++) {
    for (let j = i + 1; j < hashes.length; j++) {
      if (hammingDistance(hashes[i], hashes[j]) <= threshold) group[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
    }
  }
  const groups = new Map<number, number[]>();
  hashes.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  return [...groups.values()].sort((a, b) => a[0] - b[0]);
}

describe('groupNearDuplicates', () => {
  // 150 random hashes plus 150 planted neighbours 0–10 bits from one of them.
  const random = seededRandom(99);
  const hashes: bigint[] = Array.from({ length: 150 }, () => random64(random));
  for (let i = 0; i < 150; i++) hashes.push(flipBits(hashes[randomInt(random, 0, 149)], randomInt(random, 0, 10), random));

  it.each([0, 1, 3, 6, 7, 10, 16, 40, 63, 64])('finds exactly the all-pairs groups at threshold %i (banding loses no pair)', (threshold) => {
    expect(groupNearDuplicates(hashes, threshold)).toEqual(bruteForceGroups(hashes, threshold));
  });

  it('groups transitively: a chain of near neighbours is one group even when its ends are far apart', () => {
    const a = 0n;
    const b = 0b111n; // 3 bits from a
    const c = 0b111111n; // 3 bits from b, 6 from a
    const far = 0xffffffff00000000n;
    expect(groupNearDuplicates([a, far, c, b], 3)).toEqual([[0, 2, 3], [1]]);
  });

  it('puts every index in exactly one group, groups ordered by their first index', () => {
    const groups = groupNearDuplicates(hashes, 6);
    expect(groups.flat().sort((x, y) => x - y)).toEqual(hashes.map((_, i) => i));
    expect(groups.map((group) => group[0])).toEqual([...groups.map((group) => group[0])].sort((x, y) => x - y));
  });

  it('rejects a threshold that is not a whole number of bits', () => {
    expect(() => groupNearDuplicates([], -1)).toThrow('dedupe threshold must be a whole number of bits ≥ 0, got -1; 6 (of 64) is the measured safe value.');
    expect(() => groupNearDuplicates([], 2.5)).toThrow(/got 2\.5/);
  });
});
