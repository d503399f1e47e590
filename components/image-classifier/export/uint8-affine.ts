/**
 * Affine uint8 quantization of one weight tensor, as the tfjs converter's --quantize_uint8 does it
 * (tensorflowjs/quantization.py, quantize_weights): q = round((clip(x) − min) / scale), and the
 * loader computes x̂ = q · scale + min (tfjs-core io_utils decodeWeight), so each weight is off by
 * at most scale / 2 with scale = (max − min) / 255.
 *
 * When the range covers 0 it is shifted ("nudged", as TF-Lite's NudgeQuantizationRange) by under
 * scale / 2 so that 0 is one of the 256 levels: zero padding and pruned (zero) weights then stay
 * exactly zero. A constant tensor is stored as all-zero codes with scale 1 and min = the constant.
 */

/** The largest uint8 code. */
const LEVELS = 255;

export interface AffineUint8 {
  readonly codes: Uint8Array;
  /** Step between two codes. */
  readonly scale: number;
  /** The value of code 0. */
  readonly min: number;
}

/** Scale and (nudged) min for values spanning [lo, hi], lo < hi. */
export function affineRange(lo: number, hi: number): { readonly scale: number; readonly min: number } {
  const scale = (hi - lo) / LEVELS;
  if (lo <= 0 && hi >= 0) {
    const zeroCode = Math.round(-lo / scale);
    return { scale, min: -zeroCode * scale };
  }
  return { scale, min: lo };
}

/** Quantizes finite `values`; the caller checks finiteness (a NaN has no code). */
export function quantizeUint8(values: Float32Array): AffineUint8 {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const codes = new Uint8Array(values.length);
  if (!(lo < hi)) return { codes, scale: 1, min: values.length === 0 ? 0 : lo };
  const { scale, min } = affineRange(lo, hi);
  for (let i = 0; i < values.length; i++) {
    const code = Math.round((values[i]! - min) / scale);
    codes[i] = Math.min(Math.max(code, 0), LEVELS);
  }
  return { codes, scale, min };
}

/** What the tfjs loader reconstructs from the codes, in float32 as it stores them. */
export function dequantizeUint8(quantized: AffineUint8): Float32Array {
  const out = new Float32Array(quantized.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = quantized.codes[i]! * quantized.scale + quantized.min;
  return out;
}
