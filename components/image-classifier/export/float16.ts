/**
 * IEEE 754 binary16 ("half", float16) conversion for the tfjs weights-manifest `float16`
 * quantization: the loader reads each weight as little-endian uint16 half bit patterns and widens
 * them to float32 (tfjs-core io_utils decodeWeight), so the writer must produce exactly those bits.
 *
 * Half: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits. Largest finite 65504, smallest
 * normal 2^-14, smallest subnormal 2^-24. Narrowing rounds to nearest, ties to even, as numpy's
 * `astype(np.float16)` does (what the tfjs converter's --quantize_float16 calls).
 */

export const FLOAT16_MAX = 65504;
/** 2^-24, the smallest positive subnormal half. */
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The half bit pattern nearest to `value` (first rounded to float32, as the weights are float32). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) {
    // Infinity keeps a zero mantissa; NaN stays a (quiet) NaN with the top payload bits.
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent >= 1) {
    let half = sign | (halfExponent << 10) | (mantissa >>> 13);
    const dropped = mantissa & 0x1fff;
    // A carry out of the mantissa moves to the next exponent, and past 65504 to infinity: both are
    // the correctly rounded results.
    if (dropped > 0x1000 || (dropped === 0x1000 && (half & 1) === 1)) half++;
    return half;
  }
  // Subnormal half: the value is m × 2^-24, m = (1.mantissa × 2^23) × 2^(exponent − 126).
  const shift = 126 - exponent;
  if (shift > 24) return sign; // below half of 2^-24 (float32 subnormals included): rounds to ±0
  const full = mantissa | 0x800000;
  let half = full >>> shift;
  const dropped = full & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (dropped > halfway || (dropped === halfway && (half & 1) === 1)) half++;
  return sign | half;
}

/** The value of a half bit pattern (exact in float64 and float32). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * FLOAT16_MIN_SUBNORMAL;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Every value as half bits, little-endian, the layout of a tfjs weight file. */
export function encodeFloat16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, float32ToFloat16Bits(values[i]!), true);
  return out;
}
