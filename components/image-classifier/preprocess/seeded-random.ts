/**
 * A small seeded PRNG (mulberry32) and a Fisher–Yates shuffle on top of it. Splits and the demo
 * image set must be reproducible from a seed on every machine, which Math.random() is not.
 */

export type Random = () => number;

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor,
// which makes a hot loop that says `imul` about 100 times slower.
const { imul, floor } = Math;

/** Uniform floats in [0, 1) from a 32-bit seed; the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed derived from a base seed and a name (FNV-1a over both), so each class gets its own
 * stream: adding a class to the data set does not reshuffle the others.
 */
export function deriveSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const byte of Buffer.from(name, 'utf8')) hash = imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/** An integer in [min, max] inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + floor(random() * (max - min + 1));
}

/** Shuffles a copy of `items` (Fisher–Yates); the input is left as it is. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!]; // `!`: j <= i < out.length
  }
  return out;
}
