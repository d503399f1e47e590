// Conv2D gradients on wasm (our Conv2DBackpropFilter and Conv2DBackpropInput) against the stock cpu kernels.
import * as tf from '@tensorflow/tfjs';
import { makeConv2DBackpropFilterConfig } from '../../../../../components/image-classifier/train/wasm-gradients/conv2d-backprop-filter';
import { RELATIVE_TOLERANCE, maxRelativeError, onBackend, seededValues, sizeOf } from './gradient-helpers';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { name: '3×3 stride 1 same', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3×3 stride 2 same', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: '3×3 stride 1 valid, batch 3', x: [3, 6, 7, 8], filter: [3, 3, 8, 5], strides: 1, pad: 'valid' },
  { name: '5×5 stride 2 valid', x: [2, 9, 8, 5], filter: [5, 5, 5, 6], strides: 2, pad: 'valid' },
  { name: '5×5 stride 1 same', x: [1, 6, 5, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'same' },
  { name: '1×1 stride 1 same', x: [2, 5, 5, 16], filter: [1, 1, 16, 8], strides: 1, pad: 'same' },
  { name: '1×1 stride 2 valid', x: [1, 6, 6, 4], filter: [1, 1, 4, 7], strides: 2, pad: 'valid' },
  { name: '4×2 stride 1 valid, 17 output channels', x: [3, 9, 8, 3], filter: [4, 2, 3, 17], strides: 1, pad: 'valid' },
  { name: '3×3 strides [1, 2] same', x: [2, 6, 9, 4], filter: [3, 3, 4, 4], strides: [1, 2], pad: 'same' },
  {
    name: '3×3 explicit padding',
    x: [2, 6, 7, 3],
    filter: [3, 3, 3, 2],
    strides: 2,
    pad: [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
  },
  // Padding wider than the filter: the input gradient crops what the padding would have removed.
  {
    name: '1×1 explicit padding 1 (cropped input gradient)',
    x: [1, 4, 4, 2],
    filter: [1, 1, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '2×2 stride 2, padding wider than the filter on one side',
    x: [1, 5, 6, 3],
    filter: [2, 2, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [3, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

async function conv2dGradients(c: Case): Promise<{ dx: Float32Array; dW: Float32Array }> {
  const x = tf.tensor4d(seededValues(sizeOf(c.x), 1), c.x);
  const filter = tf.tensor4d(seededValues(sizeOf(c.filter), 2), c.filter);
  const forward = (input: tf.Tensor, weights: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, weights as tf.Tensor4D, c.strides, c.pad);
  const outShape = forward(x, filter).shape;
  const dy = tf.tensor(seededValues(sizeOf(outShape), 3), outShape);
  const [dx, dW] = tf.grads(forward)([x, filter], dy);
  const result = { dx: (await dx!.data()) as Float32Array, dW: (await dW!.data()) as Float32Array };
  tf.dispose([x, filter, dy, dx!, dW!]);
  return result;
}

describe('Conv2D gradients on wasm match the cpu backend', () => {
  test.each(cases)('$name', async (c) => {
    const expected = await onBackend('cpu', () => conv2dGradients(c));
    const actual = await onBackend('wasm', () => conv2dGradients(c));
    expect(maxRelativeError(actual.dW, expected.dW)).toBeLessThan(RELATIVE_TOLERANCE);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

describe('Conv2DBackpropFilter on wasm, batch split into chunks of images', () => {
  // Large batches are processed a few images at a time to bound the patch matrix. Here one image's
  // patch rows are 27 taps × 4·3 output positions = 324 floats, so a budget of 648 floats makes
  // chunks of 2 images: 3 chunks, hence 3 BatchMatMul calls, for a batch of 5.
  const c: Case = { name: 'chunked', x: [5, 7, 6, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' };

  function replaceKernel(config: tf.KernelConfig): void {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }

  test('the partial gradients of 3 chunks add up to the cpu gradient', async () => {
    const expected = await onBackend('cpu', () => conv2dGradients(c));
    const whole = tf.getKernel('Conv2DBackpropFilter', 'wasm')!;
    const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
    let matMuls = 0;
    const actual = await onBackend('wasm', async () => {
      replaceKernel(makeConv2DBackpropFilterConfig(648));
      replaceKernel({ ...matMul, kernelFunc: (args) => (matMuls++, matMul.kernelFunc(args)) });
      try {
        return await conv2dGradients(c);
      } finally {
        replaceKernel(whole);
        replaceKernel(matMul);
      }
    });
    expect(matMuls).toBe(3);
    expect(maxRelativeError(actual.dW, expected.dW)).toBeLessThan(RELATIVE_TOLERANCE);
  });
});
