/**
 * Rewrites a tfjs weights manifest and its weight bytes with quantized weights, in the format the
 * tfjs loader decodes natively: a weight's entry keeps `dtype: 'float32'` and gains
 * `quantization: {dtype: 'uint8', scale, min}` or `{dtype: 'float16'}`, and its bytes become one
 * uint8 code or one little-endian half per value (tfjs-core io/types.ts WeightsManifestEntry; the
 * converter's --quantize_uint8 / --quantize_float16 write the same).
 *
 * Weights with fewer than `keepFloat32Below` values (biases, batch-norm statistics, the first
 * convolution of a grayscale network) stay float32: they are a small share of the bytes, and one
 * step of a per-tensor uint8 grid is large for them (a batch-norm variance of 1e-4 in a tensor
 * reaching 2 rounds to 0, and the layer then divides by √ε).
 */
import type * as tf from '@tensorflow/tfjs';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { FLOAT16_MAX, encodeFloat16, float16BitsToNumber } from './float16';
import { dequantizeUint8, quantizeUint8 } from './uint8-affine';

export const WEIGHT_QUANTIZATIONS = ['uint8', 'float16'] as const;
export type WeightQuantization = (typeof WEIGHT_QUANTIZATIONS)[number];

/** Bytes per stored value of each weight dtype a Layers model's weights can have. */
const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/** A model or option the export cannot quantize; the message says which weight and what to do. */
export class WeightQuantizationError extends KfpTsError {
  override readonly name = 'WeightQuantizationError';
}

export function parseWeightQuantization(value: string): WeightQuantization {
  if ((WEIGHT_QUANTIZATIONS as readonly string[]).includes(value)) return value as WeightQuantization;
  throw new WeightQuantizationError(
    `quantization is ${JSON.stringify(value)}; use 'uint8' (4× smaller weights) or 'float16' (2× smaller, near-lossless).`,
  );
}

export interface QuantizeOptions {
  readonly quantization: WeightQuantization;
  /** Float32 weights with fewer values than this are stored unchanged. */
  readonly keepFloat32Below: number;
}

/** How one weight was stored. */
export interface WeightSummary {
  readonly name: string;
  readonly values: number;
  readonly storedAs: WeightQuantization | 'float32' | 'int32' | 'bool';
  readonly bytes: number;
  /** Largest |x − x̂| between the float32 weight and what tfjs will load (0 when stored unchanged). */
  readonly maxAbsError: number;
}

export interface QuantizedWeights {
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly data: Uint8Array;
  readonly weights: readonly WeightSummary[];
}

function valueCount(spec: tf.io.WeightsManifestEntry): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

/** Bytes the (unquantized) specs describe, or throws naming the first weight of another kind. */
export function manifestBytes(specs: readonly tf.io.WeightsManifestEntry[], where: string): number {
  let total = 0;
  for (const spec of specs) {
    if (spec.quantization !== undefined) {
      throw new WeightQuantizationError(
        `${where}: weight '${spec.name}' is already quantized (${spec.quantization.dtype}); export from the float32 Model the train step wrote.`,
      );
    }
    const bytes = BYTES_PER_VALUE[spec.dtype];
    if (bytes === undefined)
      throw new WeightQuantizationError(
        `${where}: weight '${spec.name}' has dtype ${spec.dtype}; only float32, int32 and bool weights (a Layers model's) can be exported.`,
      );
    total += bytes * valueCount(spec);
  }
  return total;
}

function checkFinite(values: Float32Array, name: string, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new WeightQuantizationError(
        `${where}: weight '${name}' holds ${values[i]} at index ${i}; a model with non-finite weights cannot be quantized (its training diverged: retrain with a lower learning rate).`,
      );
    }
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function quantizeOne(values: Float32Array, spec: tf.io.WeightsManifestEntry, quantization: WeightQuantization, where: string) {
  checkFinite(values, spec.name, where);
  if (quantization === 'uint8') {
    const quantized = quantizeUint8(values);
    const spec8: tf.io.WeightsManifestEntry = { ...spec, quantization: { dtype: 'uint8', scale: quantized.scale, min: quantized.min } };
    return { spec: spec8, bytes: quantized.codes, maxAbsError: maxDifference(values, dequantizeUint8(quantized)) };
  }
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  // Anything from 65520 up rounds to infinity in half precision.
  if (largest >= FLOAT16_MAX + 16) {
    throw new WeightQuantizationError(
      `${where}: weight '${spec.name}' reaches ${largest}, beyond float16's largest value ${FLOAT16_MAX}; export it with quantization 'uint8'.`,
    );
  }
  const bytes = encodeFloat16(values);
  const view = new DataView(bytes.buffer);
  let maxAbsError = 0;
  for (let i = 0; i < values.length; i++)
    maxAbsError = Math.max(maxAbsError, Math.abs(values[i]! - float16BitsToNumber(view.getUint16(i * 2, true))));
  return { spec: { ...spec, quantization: { dtype: 'float16' as const } }, bytes, maxAbsError };
}

/**
 * Quantizes the float32 weights of `specs` (in manifest order, their bytes concatenated in `data`)
 * with at least `keepFloat32Below` values; others are copied. `where` names the model in messages.
 */
export function quantizeWeights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: Uint8Array,
  options: QuantizeOptions,
  where: string,
): QuantizedWeights {
  if (!(Number.isInteger(options.keepFloat32Below) && options.keepFloat32Below >= 0)) {
    throw new WeightQuantizationError(
      `keepFloat32Below is ${options.keepFloat32Below}; it must be a whole number of values >= 0 (0 quantizes every float32 weight).`,
    );
  }
  const expected = manifestBytes(specs, where);
  if (expected !== data.length) {
    throw new WeightQuantizationError(
      `${where}: the weight files hold ${data.length} bytes but model.json describes ${expected}; the folder mixes files of different saves, save the model again.`,
    );
  }
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  const weights: WeightSummary[] = [];
  let offset = 0;
  for (const spec of specs) {
    const values = valueCount(spec);
    const length = values * BYTES_PER_VALUE[spec.dtype]!;
    const raw = data.subarray(offset, offset + length);
    offset += length;
    if (spec.dtype === 'float32' && values >= options.keepFloat32Below && values > 0) {
      // A copy into its own buffer, so the Float32Array view is aligned whatever the weight's
      // offset (a Buffer's slice() would share the pool instead).
      const copy = new Uint8Array(length);
      copy.set(raw);
      const floats = new Float32Array(copy.buffer);
      const out = quantizeOne(floats, spec, options.quantization, where);
      outSpecs.push(out.spec);
      parts.push(out.bytes);
      weights.push({ name: spec.name, values, storedAs: options.quantization, bytes: out.bytes.length, maxAbsError: out.maxAbsError });
    } else {
      outSpecs.push({ ...spec });
      parts.push(raw);
      weights.push({ name: spec.name, values, storedAs: spec.dtype as WeightSummary['storedAs'], bytes: raw.length, maxAbsError: 0 });
    }
  }
  return { specs: outSpecs, data: Buffer.concat(parts), weights };
}
