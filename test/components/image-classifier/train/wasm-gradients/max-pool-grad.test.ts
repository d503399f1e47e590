// MaxPoolGrad on wasm (ours) against the stock cpu kernel, ties included.
import * as tf from '@tensorflow/tfjs';
import { RELATIVE_TOLERANCE, maxRelativeError, onBackend, seededValues, sizeOf } from './gradient-helpers';

interface Case {
  name: string;
  x: [number, number, number, number];
  poolSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
  /** Zero out negative inputs, as a ReLU before the pool does: windows full of equal zeros. */
  relu?: boolean;
}

const cases: Case[] = [
  { name: '2×2 stride 2 valid (the two-conv network)', x: [3, 8, 6, 5], poolSize: 2, strides: 2, pad: 'valid' },
  { name: '2×2 stride 2 valid, odd size drops the last row and column', x: [2, 7, 9, 3], poolSize: 2, strides: 2, pad: 'valid' },
  { name: '3×3 stride 2 same (overlapping windows add up)', x: [2, 7, 8, 4], poolSize: 3, strides: 2, pad: 'same' },
  { name: '3×3 stride 1 same', x: [1, 5, 6, 3], poolSize: 3, strides: 1, pad: 'same' },
  { name: '2×3 strides [1, 2] valid', x: [2, 6, 9, 2], poolSize: [2, 3], strides: [1, 2], pad: 'valid' },
  { name: 'after a ReLU: ties go where cpu sends them', x: [2, 8, 8, 6], poolSize: 2, strides: 2, pad: 'valid', relu: true },
  { name: 'after a ReLU, overlapping', x: [2, 9, 9, 3], poolSize: 3, strides: 2, pad: 'same', relu: true },
];

async function maxPoolInputGradient(c: Case): Promise<Float32Array> {
  const raw = tf.tensor4d(seededValues(sizeOf(c.x), 11), c.x);
  const x = c.relu === true ? tf.relu(raw) : raw;
  const forward = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, c.poolSize, c.strides, c.pad);
  const outShape = forward(x).shape;
  const dy = tf.tensor(seededValues(sizeOf(outShape), 12), outShape);
  const dx = tf.grad(forward)(x, dy);
  const values = (await dx.data()) as Float32Array;
  tf.dispose([raw, x, dy, dx]);
  return values;
}

describe('MaxPool gradient on wasm matches the cpu backend', () => {
  test.each(cases)('$name', async (c) => {
    const expected = await onBackend('cpu', () => maxPoolInputGradient(c));
    const actual = await onBackend('wasm', () => maxPoolInputGradient(c));
    expect(maxRelativeError(actual, expected)).toBeLessThan(RELATIVE_TOLERANCE);
  });

  test('a window of equal values sends its whole gradient to its first pixel', async () => {
    await onBackend('wasm', async () => {
      const x = tf.zeros([1, 4, 4, 1]);
      const dx = tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid'))(x, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]));
      expect(Array.from(await dx.data())).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]);
      tf.dispose([x, dx]);
    });
  });
});
