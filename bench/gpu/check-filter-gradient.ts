/**
 * On a GPU: the im2col Conv2DBackpropFilter against webgpu's stock shader and the wasm backend
 * (whose filter gradient the unit tests check against cpu's; cpu's own is far too slow at these sizes), on
 * the demo CNN's layer shapes (64×64 and 224×224 inputs, batch 32) and a strided case, printing the
 * largest difference relative to the largest magnitude. The unit tests check the same kernel on cpu;
 * this checks it where it runs.
 *
 *   node -r ./project/register-ts.js bench/gpu/check-filter-gradient.ts
 */
import * as tf from '@tensorflow/tfjs';
import { chooseTrainingBackend } from '../../components/image-classifier/train/backend-choice';
import {
  CONV2D_BACKPROP_FILTER,
  useIm2colFilterGradient,
} from '../../components/image-classifier/train/gpu-kernels/im2col-filter-gradient';
import { deriveSeed, seededRandom } from '../../components/image-classifier/preprocess/seeded-random';

const CASES: { x: [number, number, number, number]; cout: number; strides: number }[] = [
  { x: [32, 64, 64, 3], cout: 16, strides: 1 },
  { x: [32, 32, 32, 16], cout: 32, strides: 1 },
  { x: [32, 16, 16, 32], cout: 64, strides: 1 },
  { x: [32, 224, 224, 3], cout: 16, strides: 1 },
  { x: [8, 33, 33, 5], cout: 7, strides: 2 },
];

function values(shape: number[], seed: number): Float32Array {
  const next = seededRandom(deriveSeed(5, `check-${seed}`));
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1);
}

async function gradient(
  x: Float32Array,
  dy: Float32Array,
  c: (typeof CASES)[number],
  dyShape: number[],
): Promise<{ out: Float32Array; ms: number }> {
  const xt = tf.tensor4d(x, c.x);
  const dyt = tf.tensor(dy, dyShape);
  const attrs = { strides: c.strides, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, c.x[3], c.cout] };
  const run = () => tf.engine().runKernel(CONV2D_BACKPROP_FILTER, { x: xt, dy: dyt }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const warmUp = run();
  await warmUp.data(); // compiles the shaders
  warmUp.dispose();
  const started = performance.now();
  const result = run();
  const out = (await result.data()) as Float32Array;
  const ms = performance.now() - started;
  tf.dispose([xt, dyt, result]);
  return { out, ms };
}

function worst(reference: Float32Array, other: Float32Array): number {
  const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let max = 0;
  reference.forEach((v, i) => (max = Math.max(max, Math.abs(v - other[i]!) / scale)));
  return max;
}

async function main(): Promise<void> {
  const choice = await chooseTrainingBackend('webgpu', (line) => console.log(line));
  console.log('| x | dW | im2col ms | stock ms | im2col vs wasm | stock vs wasm |\n|---|---|---|---|---|---|');
  for (const [i, c] of CASES.entries()) {
    const info = tf.backend_util.computeConv2DInfo(c.x, [3, 3, c.x[3], c.cout], c.strides, 1, 'same');
    const dyShape = [info.batchSize, info.outHeight, info.outWidth, c.cout];
    const x = values(c.x, 2 * i);
    const dy = values(dyShape, 2 * i + 1);
    await tf.setBackend(choice.backend);
    useIm2colFilterGradient(choice.backend, true);
    const ours = await gradient(x, dy, c, dyShape);
    useIm2colFilterGradient(choice.backend, false);
    const stock = await gradient(x, dy, c, dyShape);
    useIm2colFilterGradient(choice.backend, true);
    await chooseTrainingBackend('wasm');
    const reference = await gradient(x, dy, c, dyShape);
    console.log(
      `| ${c.x.join('×')} s${c.strides} | 3×3×${c.x[3]}×${c.cout} | ${ours.ms.toFixed(1)} | ${stock.ms.toFixed(1)} | ${worst(reference.out, ours.out).toExponential(1)} | ${worst(reference.out, stock.out).toExponential(1)} |`,
    );
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
