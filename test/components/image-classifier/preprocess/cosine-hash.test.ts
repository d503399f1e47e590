import { cosineHash } from '../../../../components/image-classifier/preprocess/cosine-hash';
import { halvesDistance } from '../../../../components/image-classifier/preprocess/hamming-index';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';

const unit = (values: number[]) => {
  const length = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  return Float32Array.from(values, (v) => v / length);
};

/** A unit vector at `degrees` from `base` (unit), in the plane of base and a random direction. */
function atAngle(base: Float32Array, degrees: number, random: () => number): Float32Array {
  const other = Array.from(base, () => random() - 0.5);
  const along = other.reduce((sum, v, i) => sum + v * base[i]!, 0);
  const orthogonal = unit(other.map((v, i) => v - along * base[i]!));
  const angle = (degrees * Math.PI) / 180;
  return unit(Array.from(base, (v, i) => Math.cos(angle) * v + Math.sin(angle) * orthogonal[i]!));
}

describe('cosineHash', () => {
  const random = seededRandom(3);
  const base = unit(Array.from({ length: 256 }, () => random() - 0.5));

  it('is the same for the same vector and for a positive multiple of it, and opposite for its negation', () => {
    const hash = cosineHash(base);
    expect(cosineHash(Float32Array.from(base))).toEqual(hash);
    expect(cosineHash(Float32Array.from(base, (v) => v * 3))).toEqual(hash);
    expect(halvesDistance(cosineHash(Float32Array.from(base, (v) => -v)), hash)).toBe(64);
  });

  it('differs in about 64 θ / π bits for vectors θ apart', () => {
    for (const degrees of [5, 20, 45, 90]) {
      const distances = Array.from({ length: 300 }, () => {
        const from = unit(Array.from({ length: 256 }, () => random() - 0.5));
        return halvesDistance(cosineHash(atAngle(from, degrees, random)), cosineHash(from));
      });
      const mean = distances.reduce((a, b) => a + b, 0) / distances.length;
      // Over pairs in random places each bit differs with probability θ / 180°: the mean of 300
      // distances lies within a few tenths of a bit of 64 θ / 180° (binomial spread ≤ 4 bits).
      expect(Math.abs(mean - (64 * degrees) / 180)).toBeLessThan(1.5);
    }
  });

  it('hashes colour thumbnails (768 values) with their own directions', () => {
    const colour = unit(Array.from({ length: 768 }, () => random() - 0.5));
    expect(cosineHash(colour)).toEqual(cosineHash(Float32Array.from(colour)));
  });
});
