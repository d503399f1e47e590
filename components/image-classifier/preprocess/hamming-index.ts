/**
 * Finds stored 64-bit hashes within a Hamming radius of a query without comparing against all of
 * them (multi-index hashing, Norouzi et al., "Fast Search in Hamming Space with Multi-Index
 * Hashing", CVPR 2012): the 64 bits are cut into 4 chunks of 16; two hashes within r bits differ in
 * at most ⌊r / 4⌋ bits on at least one chunk (pigeonhole), so a query looks up, per chunk, every
 * 16-bit value within ⌊r / 4⌋ bits of its own (1 + 16 + 120 = 137 values for r ≤ 11) and
 * confirms each hit with the full distance. Hashes are added one at a time, so a caller can search
 * only the images it has decided to keep.
 *
 * Chunk c takes every 4th bit (c, c + 4, …), not 16 neighbouring ones: pHash bits run from the
 * lowest DCT frequencies to the highest, and the low ones are the same for most images of a kind
 * (on Fashion-MNIST a contiguous first chunk put thousands of images in one bucket, and each query
 * scanned them all); interleaved, every chunk mixes frequencies and the buckets stay small.
 */

const CHUNKS = 4;
const CHUNK_BITS = 16;
const CHUNK_VALUES = 1 << CHUNK_BITS;
/**
 * Past ⌊r / 4⌋ = 2 the probes cost more than they save: scan instead. Measured on the pHashes of
 * 21,000 Fashion-MNIST images (inserted one by one, each searched first): at r = 12 (3 bits per
 * chunk, 697 probes) probing took 4.6× as long as a scan (120 hits per query, dense buckets); at
 * r = 7 (1 bit) it took a quarter of the scan's time.
 */
const MAX_PROBE_BITS = 2;

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { imul } = Math;

export function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The 16-bit masks with at most `bits` ones, fewest ones first. */
function probeMasks(bits: number): Int32Array {
  const masks: number[] = [];
  for (let ones = 0; ones <= bits; ones++) for (let mask = 0; mask < CHUNK_VALUES; mask++) if (popcount32(mask) === ones) masks.push(mask);
  return Int32Array.from(masks);
}

/** Bits c, c + 4, … of a 32-bit half, packed into 8 bits (chunk c takes 8 from each half). */
function everyFourth(word: number, c: number): number {
  let packed = 0;
  for (let bit = 0; bit < 8; bit++) packed |= ((word >>> (c + 4 * bit)) & 1) << bit;
  return packed;
}

/** A 64-bit hash as its two 32-bit halves, the form the index stores and compares. */
export interface HashHalves {
  readonly high: number;
  readonly low: number;
}

export function hashHalves(hash: bigint): HashHalves {
  const unsigned = BigInt.asUintN(64, hash);
  return { high: Number(unsigned >> 32n) | 0, low: Number(unsigned & 0xffffffffn) | 0 };
}

export function halvesDistance(a: HashHalves, b: HashHalves): number {
  return popcount32(a.high ^ b.high) + popcount32(a.low ^ b.low);
}

export interface HammingHit {
  /** The id given to add(). */
  readonly id: number;
  readonly distance: number;
}

export class HammingIndex {
  private high: Int32Array = new Int32Array(1024);
  private low: Int32Array = new Int32Array(1024);
  private ids: Int32Array = new Int32Array(1024);
  private count = 0;
  /** tables[c][value]: slots whose chunk c equals value; absent when none. */
  private readonly tables: (number[] | undefined)[][];
  private readonly masks: Int32Array | undefined;
  /** seen[slot] === stamp: the slot was already confirmed or refused in this query. */
  private seen: Int32Array = new Int32Array(1024);
  private stamp = 0;

  constructor(readonly radius: number) {
    if (!Number.isInteger(radius) || radius < 0 || radius > 64)
      throw new RangeError(`Hamming radius must be a whole number of bits in [0, 64], got ${radius}.`);
    const probeBits = Math.floor(radius / CHUNKS);
    this.masks = probeBits <= MAX_PROBE_BITS ? probeMasks(probeBits) : undefined;
    this.tables = this.masks ? Array.from({ length: CHUNKS }, () => new Array<number[] | undefined>(CHUNK_VALUES)) : [];
  }

  get size(): number {
    return this.count;
  }

  add(id: number, hash: bigint | HashHalves): void {
    const { high, low } = typeof hash === 'bigint' ? hashHalves(hash) : hash;
    const slot = this.count++;
    if (slot === this.ids.length) {
      this.high = grown(this.high);
      this.low = grown(this.low);
      this.ids = grown(this.ids);
      this.seen = grown(this.seen);
    }
    this.high[slot] = high;
    this.low[slot] = low;
    this.ids[slot] = id;
    if (!this.masks) return;
    for (let c = 0; c < CHUNKS; c++) {
      const table = this.tables[c]!;
      const value = chunkOf(high, low, c);
      const bucket = table[value];
      if (bucket) bucket.push(slot);
      else table[value] = [slot];
    }
  }

  /** Stored hashes within the radius of `hash`, in the order they were added. */
  within(hash: bigint | HashHalves): HammingHit[] {
    const query = typeof hash === 'bigint' ? hashHalves(hash) : hash;
    const hits: HammingHit[] = [];
    const slots: number[] = [];
    this.eachSlotWithin(query, (slot) => slots.push(slot));
    slots.sort((a, b) => a - b);
    for (const slot of slots)
      hits.push({ id: this.ids[slot]!, distance: popcount32(this.high[slot]! ^ query.high) + popcount32(this.low[slot]! ^ query.low) });
    return hits;
  }

  /**
   * Calls `visit` with the id of every stored hash within the radius, in no fixed order but the
   * same one for the same adds and query; no allocation per hit (the search's inner loop).
   */
  forEachWithin(hash: HashHalves, visit: (id: number) => void): void {
    this.eachSlotWithin(hash, (slot) => visit(this.ids[slot]!));
  }

  private eachSlotWithin({ high, low }: HashHalves, visit: (slot: number) => void): void {
    const { radius, high: highs, low: lows, masks } = this;
    if (!masks) {
      for (let slot = 0; slot < this.count; slot++)
        if (popcount32(highs[slot]! ^ high) + popcount32(lows[slot]! ^ low) <= radius) visit(slot);
      return;
    }
    const seen = this.seen;
    const stamp = ++this.stamp;
    for (let c = 0; c < CHUNKS; c++) {
      const table = this.tables[c]!;
      const value = chunkOf(high, low, c);
      for (const mask of masks) {
        const bucket = table[value ^ mask];
        if (bucket === undefined) continue;
        for (let k = 0; k < bucket.length; k++) {
          const slot = bucket[k]!;
          if (seen[slot] === stamp) continue;
          seen[slot] = stamp;
          if (popcount32(highs[slot]! ^ high) + popcount32(lows[slot]! ^ low) <= radius) visit(slot);
        }
      }
    }
  }
}

function chunkOf(high: number, low: number, c: number): number {
  return (everyFourth(high, c) << 8) | everyFourth(low, c);
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
