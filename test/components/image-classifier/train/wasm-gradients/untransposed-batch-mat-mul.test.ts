// BatchMatMul on wasm with transposed operands (ours: transpose, then the stock XNNPACK product)
// against the stock cpu kernel, and a dense layer's gradients through it.
import * as tf from '@tensorflow/tfjs';
import { RELATIVE_TOLERANCE, maxRelativeError, onBackend, seededValues, sizeOf } from './gradient-helpers';

interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { name: 'aᵀ·b', a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
  { name: 'a·bᵀ', a: [4, 6], b: [5, 6], transposeA: false, transposeB: true },
  { name: 'aᵀ·bᵀ', a: [6, 4], b: [5, 6], transposeA: true, transposeB: true },
  { name: 'batched aᵀ·b', a: [3, 7, 5], b: [3, 7, 2], transposeA: true, transposeB: false },
  { name: 'batch 1 broadcast against 3, a·bᵀ', a: [1, 4, 6], b: [3, 5, 6], transposeA: false, transposeB: true },
  { name: 'untransposed (passed to the stock kernel as is)', a: [4, 6], b: [6, 5], transposeA: false, transposeB: false },
];

async function product(c: Case): Promise<Float32Array> {
  const a = tf.tensor(seededValues(sizeOf(c.a), 21), c.a);
  const b = tf.tensor(seededValues(sizeOf(c.b), 22), c.b);
  const result = tf.matMul(a, b, c.transposeA, c.transposeB);
  const values = (await result.data()) as Float32Array;
  tf.dispose([a, b, result]);
  return values;
}

async function denseGradients(): Promise<{ dx: Float32Array; dW: Float32Array }> {
  const x = tf.tensor2d(seededValues(64 * 40, 31), [64, 40]);
  const w = tf.tensor2d(seededValues(40 * 16, 32), [40, 16]);
  const dy = tf.tensor2d(seededValues(64 * 16, 33), [64, 16]);
  const [dx, dW] = tf.grads((input: tf.Tensor, weights: tf.Tensor) => tf.matMul(input as tf.Tensor2D, weights as tf.Tensor2D))([x, w], dy);
  const result = { dx: (await dx!.data()) as Float32Array, dW: (await dW!.data()) as Float32Array };
  tf.dispose([x, w, dy, dx!, dW!]);
  return result;
}

describe('BatchMatMul on wasm matches the cpu backend', () => {
  test.each(cases)('$name', async (c) => {
    const expected = await onBackend('cpu', () => product(c));
    const actual = await onBackend('wasm', () => product(c));
    expect(actual.length).toBe(expected.length);
    expect(maxRelativeError(actual, expected)).toBeLessThan(RELATIVE_TOLERANCE);
  });

  test("a dense layer's gradients (dy·Wᵀ and xᵀ·dy)", async () => {
    const expected = await onBackend('cpu', denseGradients);
    const actual = await onBackend('wasm', denseGradients);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(RELATIVE_TOLERANCE);
    expect(maxRelativeError(actual.dW, expected.dW)).toBeLessThan(RELATIVE_TOLERANCE);
  });

  test('frees the transposed copies it makes', async () => {
    await onBackend('wasm', async () => {
      const a = tf.tensor2d(seededValues(12, 1), [3, 4]);
      const b = tf.tensor2d(seededValues(15, 2), [5, 3]);
      const before = tf.memory().numTensors;
      const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      const result = tf.matMul(a, b, true, true);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds + 1);
      tf.dispose([a, b, result]);
    });
  });
});
