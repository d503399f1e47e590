// Shared by the wasm-gradients tests: deterministic data and a scale-aware comparison.
import * as tf from '@tensorflow/tfjs';
import { type TrainingBackendName, setTrainingBackend } from '../../../../../components/image-classifier/train/wasm-gradients';

/** The agreement asked of wasm against cpu: float32 summation-order noise is ≤ 5e-5 here. */
export const RELATIVE_TOLERANCE = 1e-4;

/** Uniform values in [-0.5, 0.5) from a linear congruential generator: the same on every run and backend. */
export function seededValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    values[i] = state / 2 ** 32 - 0.5;
  }
  return values;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |actual − expected| / max |expected|: relative to the tensor's scale, so near-zero entries do not dominate. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} differs from expected ${expected.length}`);
  let scale = 0;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
  }
  if (scale === 0) throw new Error('the expected tensor is all zeros: the comparison would prove nothing');
  return difference / scale;
}

/** Runs `body` on a backend and returns plain arrays, so both backends' results can be compared afterwards. */
export async function onBackend<T>(name: TrainingBackendName, body: () => Promise<T>): Promise<T> {
  await setTrainingBackend(name);
  expect(tf.getBackend()).toBe(name);
  return body();
}
