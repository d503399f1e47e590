/**
 * Finds stored 64-bit hashes within a Hamming radius of a query without comparing against all of
 * them (multi-index hashing, Norouzi et al., "Fast Search in Hamming Space with Multi-Index
 * Hashing", CVPR 2012): the 64 bits are cut into 4 chunks of 16; two hashes within r bits differ in
 * at most ⌊r / 4⌋ bits on at least one chunk (pigeonhole), so a query looks up, per chunk, every
 * 16-bit value within ⌊r / 4⌋ bits of its own (1 + 16 + 120 + 560 = 697 values for r ≤ 15) and
 * confirms each hit with the full distance. Hashes are added one at a time, so a caller can search
 * only the images it has decided to keep.
 */

const CHUNKS = 4;
const CHUNK_BITS = 16;
const CHUNK_VALUES = 1 << CHUNK_BITS;
/** Past ⌊r / 4⌋ = 3 the probes (2,517 per chunk at 4) cost more than they save: scan instead. */
const MAX_PROBE_BITS = 3;

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

export interface HammingHit {
  /** The id given to add(). */
  readonly id: number;
  readonly distance: number;
}

export class HammingIndex {
  private readonly high: number[] = [];
  private readonly low: number[] = [];
  private readonly ids: number[] = [];
  /** tables[c][value]: slots whose chunk c equals value; absent when none. */
  private readonly tables: (number[] | undefined)[][];
  private readonly masks: Int32Array | undefined;
  /** seen[slot] === stamp: the slot was already confirmed or refused in this query. */
  private seen: Int32Array = new Int32Array(1024);
  private stamp = 0;

  constructor(readonly radius: number) {
    if (!Number.isInteger(radius) || radius < 0 || radius > 64) throw new RangeError(`Hamming radius must be a whole number of bits in [0, 64], got ${radius}.`);
    const probeBits = Math.floor(radius / CHUNKS);
    this.masks = probeBits <= MAX_PROBE_BITS ? probeMasks(probeBits) : undefined;
    this.tables = this.masks ? Array.from({ length: CHUNKS }, () => new Array<number[] | undefined>(CHUNK_VALUES)) : [];
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: number, hash: bigint): void {
    const slot = this.ids.length;
    const [high, low] = halves(hash);
    this.high.push(high);
    this.low.push(low);
    this.ids.push(id);
    if (!this.masks) return;
    const chunks = chunksOf(high, low);
    for (let c = 0; c < CHUNKS; c++) {
      const bucket = this.tables[c][chunks[c]];
      if (bucket) bucket.push(slot);
      else this.tables[c][chunks[c]] = [slot];
    }
  }

  /** Stored hashes within the radius of `hash`, in the order they were added. */
  within(hash: bigint): HammingHit[] {
    const [high, low] = halves(hash);
    const slots: number[] = [];
    const consider = (slot: number) => {
      const distance = popcount32((this.high[slot] ^ high) >>> 0) + popcount32((this.low[slot] ^ low) >>> 0);
      if (distance <= this.radius) slots.push(slot);
    };
    if (!this.masks) {
      for (let slot = 0; slot < this.ids.length; slot++) consider(slot);
    } else {
      if (this.seen.length < this.ids.length) this.seen = growTo(this.seen, this.ids.length);
      const stamp = ++this.stamp;
      const chunks = chunksOf(high, low);
      for (let c = 0; c < CHUNKS; c++) {
        const table = this.tables[c];
        for (const mask of this.masks) {
          const bucket = table[chunks[c] ^ mask];
          if (!bucket) continue;
          for (const slot of bucket) {
            if (this.seen[slot] === stamp) continue;
            this.seen[slot] = stamp;
            consider(slot);
          }
        }
      }
      slots.sort((a, b) => a - b);
    }
    return slots.map((slot) => ({ id: this.ids[slot], distance: popcount32((this.high[slot] ^ high) >>> 0) + popcount32((this.low[slot] ^ low) >>> 0) }));
  }
}

function halves(hash: bigint): [number, number] {
  const unsigned = BigInt.asUintN(64, hash);
  return [Number(unsigned >> 32n) >>> 0, Number(unsigned & 0xffffffffn) >>> 0];
}

function chunksOf(high: number, low: number): [number, number, number, number] {
  return [high >>> 16, high & 0xffff, low >>> 16, low & 0xffff];
}

function growTo(array: Int32Array, length: number): Int32Array {
  const grown = new Int32Array(Math.max(length, array.length * 2));
  grown.set(array);
  return grown;
}
