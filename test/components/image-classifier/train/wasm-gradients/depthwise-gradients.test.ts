// Depthwise-convolution gradients on wasm (our DepthwiseConv2dNativeBackprop{Filter,Input}) against
// the cpu backend, and, for dilations (which tfjs's cpu backprop kernels ignore), against the same
// convolution written with a zero-expanded, undilated filter.
import * as tf from '@tensorflow/tfjs';
import { RELATIVE_TOLERANCE, maxRelativeError, onBackend, seededValues, sizeOf } from './gradient-helpers';

type Shape4 = [number, number, number, number];

interface Case {
  name: string;
  x: Shape4;
  /** [KH, KW, C, multiplier] */
  filter: Shape4;
  strides: number | [number, number];
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
}

const cases: Case[] = [
  { name: '3×3 multiplier 1, stride 1 same', x: [2, 7, 6, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { name: '3×3 multiplier 2, stride 2 same', x: [2, 7, 6, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { name: '3×3 multiplier 3, stride 1 valid', x: [1, 6, 7, 4], filter: [3, 3, 4, 3], strides: 1, pad: 'valid' },
  { name: '5×5 multiplier 1, stride 2 valid', x: [2, 9, 8, 5], filter: [5, 5, 5, 1], strides: 2, pad: 'valid' },
  { name: '5×5 multiplier 2, stride 1 same', x: [1, 6, 5, 2], filter: [5, 5, 2, 2], strides: 1, pad: 'same' },
  { name: '1×1 multiplier 4, stride 2 same', x: [2, 5, 5, 3], filter: [1, 1, 3, 4], strides: 2, pad: 'same' },
  {
    name: '3×3 multiplier 1, 32 channels, stride 2 same (MobileNet-like)',
    x: [2, 8, 8, 32],
    filter: [3, 3, 32, 1],
    strides: 2,
    pad: 'same',
  },
  {
    name: '3×3 multiplier 2, explicit padding',
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
    name: '1×1 multiplier 2, explicit padding 1 (cropped input gradient)',
    x: [1, 4, 4, 2],
    filter: [1, 1, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '2×2 multiplier 1, stride 2, padding wider than the filter on one side',
    x: [1, 5, 6, 3],
    filter: [2, 2, 3, 1],
    strides: 2,
    pad: [
      [0, 0],
      [3, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

async function depthwiseGradients(c: Case): Promise<{ dx: Float32Array; dW: Float32Array }> {
  const x = tf.tensor4d(seededValues(sizeOf(c.x), 11), c.x);
  const filter = tf.tensor4d(seededValues(sizeOf(c.filter), 12), c.filter);
  const forward = (input: tf.Tensor, weights: tf.Tensor) =>
    tf.depthwiseConv2d(input as tf.Tensor4D, weights as tf.Tensor4D, c.strides, c.pad);
  const outShape = forward(x, filter).shape;
  const dy = tf.tensor(seededValues(sizeOf(outShape), 13), outShape);
  const [dx, dW] = tf.grads(forward)([x, filter], dy);
  const result = { dx: (await dx!.data()) as Float32Array, dW: (await dW!.data()) as Float32Array };
  tf.dispose([x, filter, dy, dx!, dW!]);
  return result;
}

describe('DepthwiseConv2dNative gradients on wasm match the cpu backend', () => {
  test.each(cases)('$name', async (c) => {
    const expected = await onBackend('cpu', () => depthwiseGradients(c));
    const actual = await onBackend('wasm', () => depthwiseGradients(c));
    expect(maxRelativeError(actual.dW, expected.dW)).toBeLessThan(RELATIVE_TOLERANCE);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(RELATIVE_TOLERANCE);
  });
});

/** The dilated filter written out: taps at multiples of the dilation, zeros between. */
function expandFilter(values: Float32Array, shape: Shape4, dilation: number): { values: Float32Array; shape: Shape4 } {
  const [KH, KW, C, M] = shape;
  const expanded: Shape4 = [(KH - 1) * dilation + 1, (KW - 1) * dilation + 1, C, M];
  const out = new Float32Array(sizeOf(expanded));
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = (kh * KW + kw) * C * M;
      out.set(values.subarray(from, from + C * M), (kh * dilation * expanded[1] + kw * dilation) * C * M);
    }
  }
  return { values: out, shape: expanded };
}

describe('dilated depthwise gradients on wasm', () => {
  // tfjs's gradient of depthwiseConv2d refuses dilations, so these call the kernels directly.
  test.each(['same', 'valid'] as const)(
    'dilation 2, multiplier 2, %s padding, equal the undilated expanded-filter gradients',
    async (pad) => {
      const xShape: Shape4 = [2, 9, 9, 3];
      const filterShape: Shape4 = [3, 3, 3, 2];
      const dilation = 2;
      const xValues = seededValues(sizeOf(xShape), 21);
      const filterValues = seededValues(sizeOf(filterShape), 22);
      const expanded = expandFilter(filterValues, filterShape, dilation);

      const reference = await onBackend('cpu', async () => {
        const forward = (input: tf.Tensor, weights: tf.Tensor) => tf.depthwiseConv2d(input as tf.Tensor4D, weights as tf.Tensor4D, 1, pad);
        const x = tf.tensor4d(xValues, xShape);
        const w = tf.tensor4d(expanded.values, expanded.shape);
        const outShape = forward(x, w).shape;
        const dyValues = seededValues(sizeOf(outShape), 23);
        const [dx, dW] = tf.grads(forward)([x, w], tf.tensor(dyValues, outShape));
        return { outShape, dyValues, dx: await dx!.data(), dWExpanded: (await dW!.data()) as Float32Array };
      });

      const actual = await onBackend('wasm', async () => {
        const attrs = { strides: 1, pad, dilations: dilation };
        const x = tf.tensor4d(xValues, xShape);
        const dy = tf.tensor(reference.dyValues, reference.outShape);
        expect(tf.depthwiseConv2d(x, tf.tensor4d(filterValues, filterShape), 1, pad, 'NHWC', dilation).shape).toEqual(reference.outShape);
        const dW = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }) as tf.Tensor;
        const dx = tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter: tf.tensor4d(filterValues, filterShape) },
            { ...attrs, inputShape: xShape },
          ) as tf.Tensor;
        return { dx: await dx.data(), dW: await dW.data() };
      });

      // The expanded filter's gradient at the taps is the dilated filter's gradient.
      const dWAtTaps = new Float32Array(sizeOf(filterShape));
      const [KH, KW, C, M] = filterShape;
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          const from = (kh * dilation * expanded.shape[1] + kw * dilation) * C * M;
          dWAtTaps.set(reference.dWExpanded.subarray(from, from + C * M), (kh * KW + kw) * C * M);
        }
      }
      expect(maxRelativeError(actual.dW, dWAtTaps)).toBeLessThan(RELATIVE_TOLERANCE);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(RELATIVE_TOLERANCE);
    },
  );
});
