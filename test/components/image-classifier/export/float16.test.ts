// float32 → half conversion for the tfjs `float16` weight quantization, checked against tfjs's own
// decoder (tf.io.decodeWeights, what tf.loadLayersModel runs) over every one of the 65,536 half bit
// patterns, and against hand-computed bit patterns for rounding, subnormals, infinities and NaN.
import * as tf from '@tensorflow/tfjs';
import {
  FLOAT16_MAX,
  FLOAT16_MIN_SUBNORMAL,
  encodeFloat16,
  float16BitsToNumber,
  float32ToFloat16Bits,
} from '../../../../components/image-classifier/export/float16';

/** Every half bit pattern decoded by tfjs, as a weight of the float16 quantization format. */
function decodedByTfjs(): Float32Array {
  const bits = new Uint16Array(65536).map((_, i) => i);
  const tensors = tf.io.decodeWeights(bits.buffer, [{ name: 'all', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } }]);
  const values = tensors.all!.dataSync() as Float32Array;
  tensors.all!.dispose();
  return values;
}

describe('float16 conversion', () => {
  const tfjsValues = decodedByTfjs();

  it('maps every half value tfjs decodes back to its own bit pattern (normals, subnormals, ±0, ±infinity)', () => {
    let checked = 0;
    for (let bits = 0; bits < 65536; bits++) {
      const value = tfjsValues[bits]!;
      if (Number.isNaN(value)) continue;
      if (float32ToFloat16Bits(value) !== bits)
        throw new Error(`half 0x${bits.toString(16)} = ${value} encodes to 0x${float32ToFloat16Bits(value).toString(16)}`);
      checked++;
    }
    // 2 × 31 exponents × 1024 mantissas + the two infinities: everything but the 2 × 1023 NaNs.
    expect(checked).toBe(65536 - 2 * 1023);
  });

  it('decodes every bit pattern to the value tfjs decodes', () => {
    for (let bits = 0; bits < 65536; bits++) {
      const ours = float16BitsToNumber(bits);
      const theirs = tfjsValues[bits]!;
      if (!(Object.is(ours, theirs) || (Number.isNaN(ours) && Number.isNaN(theirs))))
        throw new Error(`half 0x${bits.toString(16)}: ${ours} vs tfjs ${theirs}`);
    }
  });

  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [FLOAT16_MAX, 0x7bff],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
    [FLOAT16_MIN_SUBNORMAL, 0x0001],
    [-FLOAT16_MIN_SUBNORMAL, 0x8001],
    [0, 0x0000],
    [-0, 0x8000],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ])('encodes %p as 0x%s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  it('keeps NaN a NaN', () => {
    const bits = float32ToFloat16Bits(NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x03ff).not.toBe(0);
    expect(float16BitsToNumber(bits)).toBeNaN();
  });

  it('rounds to nearest with ties to even, normals and subnormals alike', () => {
    const ulpAt1 = 2 ** -10;
    expect(float32ToFloat16Bits(1 + ulpAt1 / 2)).toBe(0x3c00); // tie, even mantissa stays
    expect(float32ToFloat16Bits(1 + (3 * ulpAt1) / 2)).toBe(0x3c02); // tie, odd mantissa rounds up
    expect(float32ToFloat16Bits(1 + ulpAt1 * 0.5001)).toBe(0x3c01);
    expect(float32ToFloat16Bits(1 + ulpAt1 * 0.4999)).toBe(0x3c00);
    expect(float32ToFloat16Bits(FLOAT16_MIN_SUBNORMAL / 2)).toBe(0x0000); // tie to even 0
    expect(float32ToFloat16Bits(FLOAT16_MIN_SUBNORMAL * 0.5001)).toBe(0x0001);
    expect(float32ToFloat16Bits(FLOAT16_MIN_SUBNORMAL * 1.5)).toBe(0x0002); // tie, odd rounds up
    expect(float32ToFloat16Bits(FLOAT16_MIN_SUBNORMAL * 2.5)).toBe(0x0002); // tie, even stays
    expect(float32ToFloat16Bits(2 ** -14 - FLOAT16_MIN_SUBNORMAL / 4)).toBe(0x0400); // rounds up into the normals
    expect(float32ToFloat16Bits(1e-30)).toBe(0x0000);
    expect(float32ToFloat16Bits(1e-45)).toBe(0x0000); // a float32 subnormal
  });

  it('overflows to infinity exactly from 65520, the midpoint above the largest half', () => {
    expect(float32ToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e6)).toBe(0xfc00);
  });

  it('writes little-endian halves, one per value', () => {
    const bytes = encodeFloat16(Float32Array.of(1, -2, FLOAT16_MIN_SUBNORMAL));
    expect([...bytes]).toEqual([0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00]);
  });

  it('stays within half a unit in the last place of random float32 values', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20_000; i++) {
      const value = Math.fround((random() - 0.5) * 2 ** (random() * 40 - 24));
      const decoded = float16BitsToNumber(float32ToFloat16Bits(value));
      const magnitude = Math.abs(value);
      const ulp = magnitude < 2 ** -14 ? FLOAT16_MIN_SUBNORMAL : 2 ** (Math.floor(Math.log2(magnitude)) - 10);
      expect(Math.abs(decoded - value)).toBeLessThanOrEqual(ulp / 2);
    }
  });
});
