// Affine uint8 quantization of one weight: every value within scale/2 of what tfjs's loader
// reconstructs (tf.io.decodeWeights), zero exactly representable when the range covers it, and a
// constant tensor exact.
import * as tf from '@tensorflow/tfjs';
import { affineRange, dequantizeUint8, quantizeUint8, type AffineUint8 } from '../../../../components/image-classifier/export/uint8-affine';

function seededValues(count: number, lo: number, hi: number, seed: number): Float32Array {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  return Float32Array.from({ length: count }, () => lo + (hi - lo) * random());
}

/** What tf.loadLayersModel makes of the codes. */
function tfjsDequantized(q: AffineUint8): Float32Array {
  const tensors = tf.io.decodeWeights(q.codes.slice().buffer, [
    { name: 'w', shape: [q.codes.length], dtype: 'float32', quantization: { dtype: 'uint8', scale: q.scale, min: q.min } },
  ]);
  const values = tensors.w!.dataSync() as Float32Array;
  tensors.w!.dispose();
  return values;
}

describe('uint8 affine quantization', () => {
  it.each([
    ['straddling zero', -0.7, 0.3],
    ['all positive', 0.2, 5],
    ['all negative', -3, -1e-3],
    ['tiny range', -1e-6, 2e-6],
  ])('reconstructs values %s within scale / 2, as tfjs decodes them', (_name, lo, hi) => {
    const values = seededValues(5000, lo, hi, 11);
    const q = quantizeUint8(values);
    const ours = dequantizeUint8(q);
    const theirs = tfjsDequantized(q);
    expect([...ours]).toEqual([...theirs]);
    const largest = Math.max(Math.abs(lo), Math.abs(hi));
    for (let i = 0; i < values.length; i++) {
      // scale / 2 from rounding, and float32 storage of the reconstructed value.
      expect(Math.abs(theirs[i]! - values[i]!)).toBeLessThanOrEqual(q.scale / 2 + largest * 2 ** -23);
    }
    expect(q.scale).toBeCloseTo((Math.max(...values) - Math.min(...values)) / 255, 12);
  });

  it('uses all 256 codes when the range is spread', () => {
    const q = quantizeUint8(seededValues(10_000, -1, 1, 3));
    expect(Math.min(...q.codes)).toBe(0);
    expect(Math.max(...q.codes)).toBe(255);
  });

  it('represents 0 exactly when the range covers it (zero padding, pruned weights)', () => {
    const values = Float32Array.of(-0.31, 0, 0.77, 0, 0.05);
    const q = quantizeUint8(values);
    const back = tfjsDequantized(q);
    expect(back[1]).toBe(0);
    expect(back[3]).toBe(0);
    const { scale, min } = affineRange(-0.31, 0.77);
    expect(Number.isInteger(-min / scale) || Math.abs(-min / scale - Math.round(-min / scale)) < 1e-9).toBe(true);
  });

  it('stores a constant tensor exactly', () => {
    const q = quantizeUint8(new Float32Array(10).fill(0.125));
    expect(q).toEqual({ codes: new Uint8Array(10), scale: 1, min: 0.125 });
    expect([...tfjsDequantized(q)]).toEqual(new Array(10).fill(0.125));
  });
});
