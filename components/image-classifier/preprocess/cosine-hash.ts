/**
 * A 64-bit hash of a thumbnail whose Hamming distance tracks the angle between thumbnails, the
 * quantity the pixel check (thumbnail-similarity.ts) decides on: bit k is the sign of the
 * thumbnail's zero-mean unit vector projected on the k-th of 64 fixed random directions
 * (random-hyperplane hashing, Charikar, "Similarity Estimation Techniques from Rounding
 * Algorithms", STOC 2002). Two vectors at angle θ differ in each bit with probability θ / π.
 *
 * Why beside pHash: pHash thresholds DCT coefficients at their median, and on low-detail images
 * most coefficients sit near it, so JPEG noise flips many bits (a q60 re-encode of a grainy 64 px
 * scene moved pHash 18 of 64 bits, as far as a different image) while its thumbnail correlated
 * 0.998 with the original: 4° apart, about 1.5 bits of this hash.
 */
import type { HashHalves } from './hamming-index';
import { seededRandom } from './seeded-random';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { cos, log, sqrt, PI } = Math;

const BITS = 64;
/** Fixed so that a data set hashes the same on every run and machine. */
const DIRECTIONS_SEED = 0x5eed15;

const directionsByLength = new Map<number, Float32Array>();

/** 64 directions of `length` dimensions, each with independent standard normal components (Box–Muller). */
function directions(length: number): Float32Array {
  let table = directionsByLength.get(length);
  if (!table) {
    const random = seededRandom(DIRECTIONS_SEED + length);
    table = new Float32Array(BITS * length);
    for (let i = 0; i < table.length; i++) table[i] = sqrt(-2 * log(1 - random())) * cos(2 * PI * random());
    directionsByLength.set(length, table);
  }
  return table;
}

/** The hash of a zero-mean unit vector (Thumbnail.unit); bit 0 of `high` is the first direction. */
export function cosineHash(unit: Float32Array): HashHalves {
  const table = directions(unit.length);
  let high = 0;
  let low = 0;
  for (let k = 0; k < BITS; k++) {
    let projection = 0;
    const base = k * unit.length;
    for (let i = 0; i < unit.length; i++) projection += unit[i]! * table[base + i]!;
    const bit = projection > 0 ? 1 : 0;
    if (k < 32) high = (high << 1) | bit;
    else low = (low << 1) | bit;
  }
  return { high, low };
}
