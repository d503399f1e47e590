import { findDuplicates, type DedupeItem } from '../../../../components/image-classifier/preprocess/near-duplicates';
import { hammingDistance, pHashFromGrey } from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';

/** 32×32 grey pixels: a sum of two waves, `mix` of the way from pattern a to pattern b. */
function grey(mix: number, a = 1, b = 7): Uint8Array {
  const pixels = new Uint8Array(32 * 32);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const first = Math.sin(x / (2 + a)) + Math.cos(y / (3 + a));
      const second = Math.sin((x + y) / (2 + b / 3)) * Math.cos((x - y) / 4);
      pixels[y * 32 + x] = Math.round(128 + 50 * ((1 - mix) * first + mix * second));
    }
  }
  return pixels;
}
const item = (pixels: Uint8Array, sha256: string, fixedSplit?: string): DedupeItem => ({
  sha256,
  phash: pHashFromGrey(pixels),
  thumbnail: pixels,
  ...(fixedSplit ? { fixedSplit } : {}),
});
const everything = { maxHashDistance: 64, minSimilarity: 0.99 };

describe('findDuplicates', () => {
  it('removes an image only when it matches a kept one: a chain a~b~c keeps a and c', () => {
    const [a, b, c] = [grey(0), grey(0.25), grey(0.5)];
    const result = findDuplicates([item(a, 'a'), item(b, 'b'), item(c, 'c')], { maxHashDistance: 64, minSimilarity: 0.97 });
    expect(result.removedAs.map((match) => match?.twin)).toEqual([undefined, 0, undefined]);
    expect(result.removedAs[1]).toMatchObject({ reason: 'near' });
  });

  it('removes exact copies by content hash even with near-duplicates off', () => {
    const pixels = grey(0);
    const result = findDuplicates([item(pixels, 'x'), item(grey(1), 'y'), item(pixels, 'x')], { maxHashDistance: -1, minSimilarity: 0.99 });
    expect(result.removedAs).toEqual([undefined, undefined, { twin: 0, reason: 'exact', distance: 0, similarity: 1 }]);
  });

  it('never removes a row whose split is fixed; reports copies across fixed splits as leakage', () => {
    const pixels = grey(0);
    const items = [item(pixels, 'free'), item(pixels, 'test', 'test'), item(pixels, 'train', 'train'), item(pixels, 'test2', 'test')];
    const result = findDuplicates(items, everything);
    // The fixed rows come first, so the free copy is the one removed, as a copy of a fixed row.
    expect(result.removedAs.map((match) => match?.twin)).toEqual([1, undefined, undefined, undefined]);
    expect(result.leakage.map(({ item: later, twin }) => [twin, later])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('keeps distinct images and is deterministic', () => {
    const items = [item(grey(0, 1), 'a'), item(grey(0, 4), 'b'), item(grey(1, 1, 2), 'c')];
    expect(findDuplicates(items, everything).removedAs).toEqual([undefined, undefined, undefined]);
  });

  it('finds a copy of a low-detail image whose pHash moved past the radius, through the cosine hash', () => {
    // A plain horizontal ramp with faint grain: its few strong DCT coefficients are all in one row,
    // so the median sits in the noise and fresh grain flips pHash bits at random.
    const ramp = (seed: number) => {
      const random = seededRandom(seed);
      return Uint8Array.from({ length: 32 * 32 }, (_, p) => Math.round(100 + 40 * ((p % 32) / 31) + (random() - 0.5) * 4));
    };
    const [original, copy] = [item(ramp(1), 'original'), item(ramp(2), 'copy')];
    expect(hammingDistance(original.phash, copy.phash)).toBeGreaterThan(12);
    const [, match] = findDuplicates([original, copy], { maxHashDistance: 12, minSimilarity: 0.995 }).removedAs;
    expect(match).toMatchObject({ twin: 0, reason: 'near' });
    expect(match!.similarity).toBeGreaterThan(0.995);
  });

  it('compares colour images in colour: a brightened copy matches, a recoloured shape does not', () => {
    const pixels = grey(0);
    const plane = 256;
    /** 16×16 RGB planes of 2×2 sums from grey levels, with channel gains (then clipped at 255). */
    const colourOf = (gains: [number, number, number], recolour?: (cell: number) => boolean) => {
      const sums = new Uint16Array(3 * plane);
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const cell = (y >> 1) * 16 + (x >> 1);
          gains.forEach((gain, c) => {
            const level = recolour?.(cell) && c === 0 ? 255 - pixels[y * 32 + x]! : pixels[y * 32 + x]! * gain;
            sums[c * plane + cell]! += Math.min(255, Math.round(level));
          });
        }
      return sums;
    };
    const original: DedupeItem = { ...item(pixels, 'original'), colour: colourOf([1.6, 1, 0.6]) };
    const brighter: DedupeItem = { ...item(pixels, 'brighter'), colour: colourOf([1.6 * 1.2, 1.2, 0.6 * 1.2]) };
    // Same grey, but the red of a 4×4 patch inverted: only colour sees it.
    const recoloured: DedupeItem = { ...item(pixels, 'recoloured'), colour: colourOf([1.6, 1, 0.6], (cell) => cell % 16 < 4 && cell < 64) };
    const result = findDuplicates([original, brighter, recoloured], { maxHashDistance: 12, minSimilarity: 0.995 });
    expect(result.removedAs[1]).toMatchObject({ twin: 0, reason: 'near' });
    expect(result.removedAs[2]).toBeUndefined();
  });

  it('names the parameter and the fix for options it cannot use', () => {
    expect(() => findDuplicates([], { maxHashDistance: 65, minSimilarity: 0.99 })).toThrow(
      'dedupeThreshold is 65; use 0–64 pHash bits (12 is the measured default), or -1 to keep near-duplicates.',
    );
    expect(() => findDuplicates([], { maxHashDistance: 6, minSimilarity: 2 })).toThrow(
      /dedupeMinSimilarity is 2; use a correlation in \[-1, 1\]/,
    );
  });
});
