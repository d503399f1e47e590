/**
 * Groups 64-bit perceptual hashes that lie within a Hamming threshold of each other.
 *
 * Candidate pairs come from banding, not from all n² pairs: split the 64 bits into t + 1 bands;
 * two hashes within t bits agree exactly on at least one band (pigeonhole), so only hashes that
 * share a (band, value) bucket are compared. Confirmed pairs are joined with union-find, so a
 * group is the transitive closure (a~b and b~c put a, b and c together even if a and c are
 * further apart), which is what keeps every near-duplicate on one side of the split.
 */
import { hammingDistance } from './perceptual-hash';

const HASH_BITS = 64;

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index becomes the root, so a group's root is its first member.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Bit ranges [start, end) of `count` near-equal bands over 64 bits. */
function bands(count: number): [number, number][] {
  const out: [number, number][] = [];
  for (let b = 0; b < count; b++) out.push([Math.floor((b * HASH_BITS) / count), Math.floor(((b + 1) * HASH_BITS) / count)]);
  return out;
}

/**
 * Groups of indices into `hashes` whose members are within `threshold` bits (transitively).
 * Every index is in exactly one group; groups are sorted by their first index and each group's
 * indices ascend, so the result does not depend on anything but the input order.
 */
export function groupNearDuplicates(hashes: readonly bigint[], threshold: number): number[][] {
  if (!Number.isInteger(threshold) || threshold < 0) throw new Error(`dedupe threshold must be a whole number of bits ≥ 0, got ${threshold}; 6 (of 64) is the measured safe value.`);
  const sets = new UnionFind(hashes.length);
  const compare = (i: number, j: number) => {
    if (sets.find(i) !== sets.find(j) && hammingDistance(hashes[i], hashes[j]) <= threshold) sets.union(i, j);
  };
  if (threshold >= HASH_BITS - 1) {
    // Bands of one bit or less: banding prunes nothing, compare all pairs.
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) compare(i, j);
  } else {
    for (const [start, end] of bands(threshold + 1)) {
      const mask = (1n << BigInt(end - start)) - 1n;
      const shift = BigInt(HASH_BITS - end);
      const buckets = new Map<bigint, number[]>();
      hashes.forEach((hash, index) => {
        const key = (BigInt.asUintN(64, hash) >> shift) & mask;
        const bucket = buckets.get(key);
        if (bucket) bucket.push(index);
        else buckets.set(key, [index]);
      });
      for (const bucket of buckets.values()) {
        for (let a = 0; a < bucket.length; a++) for (let b = a + 1; b < bucket.length; b++) compare(bucket[a], bucket[b]);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < hashes.length; i++) {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()].sort((a, b) => a[0] - b[0]);
}
