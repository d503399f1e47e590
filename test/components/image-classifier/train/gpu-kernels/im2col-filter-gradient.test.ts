// The im2col filter gradient that replaces webgpu's stock shader, checked on the cpu backend (it is
// written against kernel names only) against cpu's stock Conv2DBackpropFilter: strides (tfjs has no
// gradient for dilated convolutions, so the kernel is never called with dilations),
// same/valid/explicit padding, non-square kernels and channel counts, chunked and unchunked reductions.
import * as tf from '@tensorflow/tfjs';
import {
  CONV2D_BACKPROP_FILTER,
  makeIm2colFilterGradient,
  reductionChunks,
  useIm2colFilterGradient,
} from '../../../../../components/image-classifier/train/gpu-kernels/im2col-filter-gradient';
import { deriveSeed, seededRandom } from '../../../../../components/image-classifier/preprocess/seeded-random';
import { setTrainingBackend } from '../../../../../components/image-classifier/train/wasm-gradients';

interface Case {
  readonly x: [number, number, number, number];
  readonly filter: [number, number];
  readonly outChannels: number;
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  readonly dilations?: [number, number];
}

const CASES: Case[] = [
  { x: [2, 9, 9, 3], filter: [3, 3], outChannels: 4, strides: [1, 1], pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3], outChannels: 4, strides: [2, 2], pad: 'same' },
  { x: [1, 10, 7, 5], filter: [4, 2], outChannels: 3, strides: [1, 2], pad: 'valid' },
  { x: [3, 8, 8, 17], filter: [1, 1], outChannels: 6, strides: [1, 1], pad: 'valid' },
  { x: [2, 11, 11, 2], filter: [5, 5], outChannels: 2, strides: [2, 1], pad: 'same' },
  {
    x: [1, 7, 6, 2],
    filter: [3, 2],
    outChannels: 2,
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  // 4·32·32 = 4096 rows: reduced in two chunks of 2048.
  { x: [4, 32, 32, 3], filter: [3, 3], outChannels: 8, strides: [1, 1], pad: 'same' },
];

function random(shape: number[], seed: number): tf.Tensor {
  const next = seededRandom(deriveSeed(11, `case-${seed}`));
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1),
    shape,
  );
}

async function filterGradient(c: Case, x: tf.Tensor, dy: tf.Tensor): Promise<Float32Array> {
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    dilations: c.dilations ?? [1, 1],
    filterShape: [...c.filter, c.x[3], c.outChannels],
  };
  const out = tf.engine().runKernel(CONV2D_BACKPROP_FILTER, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  expect(out.shape).toEqual(attrs.filterShape);
  out.dispose();
  return values;
}

let stockConfig: tf.KernelConfig | undefined;
beforeAll(async () => {
  // Through setTrainingBackend, which keeps tfjs's "install tfjs-node" banner out of the test output.
  await setTrainingBackend('cpu');
  stockConfig = tf.getKernel(CONV2D_BACKPROP_FILTER, 'cpu');
});
afterEach(() => useIm2colFilterGradient('cpu', false));

it.each(CASES.map((c, i) => [i, c] as const))('case %i agrees with the stock cpu kernel to 1e-4 relative', async (i, c) => {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    [...c.filter, c.x[3], c.outChannels],
    c.strides,
    c.dilations ?? 1,
    c.pad as 'same',
    undefined,
    false,
    'channelsLast',
  );
  const x = random(c.x, 2 * i);
  const dy = random([info.batchSize, info.outHeight, info.outWidth, c.outChannels], 2 * i + 1);
  const stock = await filterGradient(c, x, dy);
  useIm2colFilterGradient('cpu', true);
  const before = tf.memory().numTensors;
  const ours = await filterGradient(c, x, dy);
  // Every intermediate (padding, slices, patches, partial sums) is freed.
  expect(tf.memory().numTensors).toBe(before);
  const scale = Math.max(...stock.map(Math.abs));
  let worst = 0;
  stock.forEach((value, k) => (worst = Math.max(worst, Math.abs(value - ours[k]!) / scale)));
  expect(worst).toBeLessThan(1e-4);
  tf.dispose([x, dy]);
});

it('adds up chunks of images when the patch matrix would exceed one binding', async () => {
  const c = CASES[1]!; // batch 2 of 9×9×3, stride 2
  const info = tf.backend_util.computeConv2DInfo(c.x, [...c.filter, c.x[3], c.outChannels], c.strides, 1, 'same');
  const x = random(c.x, 100);
  const dy = random([info.batchSize, info.outHeight, info.outWidth, c.outChannels], 101);
  const stock = await filterGradient(c, x, dy);
  tf.unregisterKernel(CONV2D_BACKPROP_FILTER, 'cpu');
  // Room for one image's patches only: two passes.
  tf.registerKernel(makeIm2colFilterGradient('cpu', info.outHeight * info.outWidth * 9 * 3));
  try {
    const chunked = await filterGradient(c, x, dy);
    chunked.forEach((value, k) => expect(value).toBeCloseTo(stock[k]!, 4));
  } finally {
    tf.unregisterKernel(CONV2D_BACKPROP_FILTER, 'cpu');
    tf.registerKernel(stockConfig!);
    tf.dispose([x, dy]);
  }
});

it('splits long reductions into whole chunks of at least 2048 rows', () => {
  expect(reductionChunks(2047)).toBe(1);
  expect(reductionChunks(4096)).toBe(2);
  expect(reductionChunks(32 * 64 * 64)).toBe(64);
  expect(reductionChunks(32 * 224 * 224)).toBe(784);
  // A prime: no whole split, one chunk.
  expect(reductionChunks(10007)).toBe(1);
});

it('swaps the kernel in and out idempotently', () => {
  const stock = tf.getKernel(CONV2D_BACKPROP_FILTER, 'cpu');
  useIm2colFilterGradient('cpu', true);
  const ours = tf.getKernel(CONV2D_BACKPROP_FILTER, 'cpu');
  expect(ours).not.toBe(stock);
  useIm2colFilterGradient('cpu', true);
  expect(tf.getKernel(CONV2D_BACKPROP_FILTER, 'cpu')).toBe(ours);
  useIm2colFilterGradient('cpu', false);
  expect(tf.getKernel(CONV2D_BACKPROP_FILTER, 'cpu')).toBe(stock);
});
