// Registration, backend selection and error reporting of components/train/wasm-gradients.
import * as tf from '@tensorflow/tfjs';
import {
  WASM_GRADIENT_KERNELS,
  registerWasmGradientKernels,
  setTrainingBackend,
} from '../../../../../components/image-classifier/train/wasm-gradients';
import { seededValues } from './gradient-helpers';

const MISSING_IN_4_22 = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

function heapBuffers(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('registerWasmGradientKernels', () => {
  test('stock tfjs-backend-wasm 4.22 lacks the three kernels and ships a Conv2DBackpropInput', () => {
    for (const name of MISSING_IN_4_22) expect(tf.getKernel(name, 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
  });

  test('registers every kernel it serves, before the backend is initialised, and again as a no-op', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const stockSetup = tf.getKernel('Conv2DBackpropInput', 'wasm')!.setupFunc;
      expect(registerWasmGradientKernels().sort()).toEqual([...WASM_GRADIENT_KERNELS].sort());
      const first = WASM_GRADIENT_KERNELS.map((name) => tf.getKernel(name, 'wasm')!.kernelFunc);
      expect(registerWasmGradientKernels().sort()).toEqual([...WASM_GRADIENT_KERNELS].sort());
      expect(WASM_GRADIENT_KERNELS.map((name) => tf.getKernel(name, 'wasm')!.kernelFunc)).toEqual(first);
      // The replaced Conv2DBackpropInput keeps the stock setup, which binds its wasm fallback.
      expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.setupFunc).toBe(stockSetup);
      expect(WASM_GRADIENT_KERNELS).toEqual(expect.arrayContaining(['MaxPoolGrad', 'BatchMatMul']));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('setTrainingBackend', () => {
  test("'cpu' keeps tfjs's install-tfjs-node banner out of the output", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await setTrainingBackend('cpu');
      tf.tensor1d([1, 2, 3]).dispose();
      expect(tf.getBackend()).toBe('cpu');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test("'wasm' initialises the wasm backend with the gradient kernels", async () => {
    await setTrainingBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (const name of WASM_GRADIENT_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  test('an unknown backend name is rejected with the choices', async () => {
    await expect(setTrainingBackend('webgl' as 'cpu')).rejects.toThrow("unknown backend 'webgl'; use one of wasm, cpu");
  });
});

describe('gradient kernels on wasm', () => {
  beforeAll(() => setTrainingBackend('wasm'));

  test('free every intermediate heap buffer', async () => {
    const x = tf.tensor4d(seededValues(2 * 8 * 8 * 4, 1), [2, 8, 8, 4]);
    const filter = tf.tensor4d(seededValues(3 * 3 * 4 * 6, 2), [3, 3, 4, 6]);
    const depthwiseFilter = tf.tensor4d(seededValues(3 * 3 * 4 * 2, 3), [3, 3, 4, 2]);
    const loss = (input: tf.Tensor, w: tf.Tensor, dw: tf.Tensor) =>
      tf.add(
        tf.sum(tf.conv2d(input as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')),
        tf.sum(tf.depthwiseConv2d(input as tf.Tensor4D, dw as tf.Tensor4D, 2, 'same')),
      );
    tf.dispose(tf.grads(loss)([x, filter, depthwiseFilter])); // warm-up: XNNPACK operators, lazily made constants
    const before = heapBuffers();
    const grads = tf.grads(loss)([x, filter, depthwiseFilter]);
    expect(heapBuffers()).toBe(before + grads.length);
    tf.dispose(grads);
    expect(heapBuffers()).toBe(before);
  });

  test('an NCHW filter gradient is refused, naming the kernel and the attribute', () => {
    const x = tf.zeros([1, 3, 5, 5]);
    const dy = tf.zeros([1, 2, 5, 5]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 2] }),
    ).toThrow("Conv2DBackpropFilter on wasm: attribute dataFormat='NCHW' is not supported, only 'NHWC'");
  });

  test('a depthwise input gradient with padding wider than the filter crops what the padding removed, as Conv2D does', () => {
    // A 1×1 filter with padding 1 on every side: dx[h, w, c] = dy[h + 1, w + 1, c] · filter[c].
    const dyValues = seededValues(6 * 6 * 2, 3);
    const filterValues = seededValues(2, 4);
    const dy = tf.tensor4d(dyValues, [1, 6, 6, 2]);
    const filter = tf.tensor4d(filterValues, [1, 1, 2, 1]);
    const dx = tf.engine().runKernel(
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter },
      {
        strides: 1,
        pad: [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
        dilations: 1,
        inputShape: [1, 4, 4, 2],
      },
    ) as tf.Tensor;
    expect(dx.shape).toEqual([1, 4, 4, 2]);
    const expected: number[] = [];
    for (let h = 0; h < 4; h++)
      for (let w = 0; w < 4; w++) for (let c = 0; c < 2; c++) expected.push(dyValues[((h + 1) * 6 + (w + 1)) * 2 + c]! * filterValues[c]!);
    const actual = Array.from(dx.dataSync());
    actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 5));
    tf.dispose([dy, filter, dx]);
  });

  test('a dy whose shape does not fit the convolution is refused with both shapes', () => {
    const x = tf.zeros([1, 5, 5, 3]);
    const dy = tf.zeros([1, 4, 4, 2]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 2] }),
    ).toThrow(
      'Conv2DBackpropFilter: dy has shape [1, 4, 4, 2] but the forward convolution of [1, 5, 5, 3] by filter [3, 3, 3, 2] gives [1, 5, 5, 2]',
    );
  });

  test('the kernels refuse to run on another backend instead of misreading memory', () => {
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm')!;
    const x = tf.zeros([1, 5, 5, 3]);
    expect(() =>
      kernel.kernelFunc({ inputs: { x, dy: x }, backend: {}, attrs: { strides: 1, pad: 'same', filterShape: [3, 3, 3, 2] } }),
    ).toThrow("Conv2DBackpropFilter: this kernel runs only on the 'wasm' backend");
  });
});
