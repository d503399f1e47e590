/**
 * Training throughput of the small benchmark CNN (conv16 → maxpool → conv32 → maxpool →
 * conv64 → global average pool → dense10, 3×3 'same', Adam 1e-3, categorical cross-entropy,
 * trainOnBatch) on 64×64×3 images at batch 32, in one run:
 *   - the stock `cpu` backend, the baseline (≈2 min per step: a warm-up step at batch 2, then
 *     `--cpu-steps` timed steps, default 1; `--cpu-steps=0` skips it);
 *   - the stock `wasm` backend, which cannot train (its missing kernel is reported);
 *   - `wasm` with components/image-classifier/train/wasm-gradients registered (`--wasm-steps` timed, default 10),
 *     plus where one of its steps spends its time, per kernel;
 *   - the same with wasm's stock Conv2DBackpropInput put back, to show what replacing it buys;
 *   - the depthwise gradient kernels on one MobileNet-like layer, wasm (ours) against stock cpu;
 *   - the train step's default network (two-conv, 28×28×1, batch 64) with our kernels against the
 *     stock MaxPoolGrad and BatchMatMul (naive loops for the pooling gradient and for transposed
 *     products, which a dense layer's gradients are), alternating `--rounds` times (default 5).
 *
 *   node -r ./project/register-ts.js bench/train-kernels.ts [--cpu-steps=N] [--wasm-steps=N] [--rounds=N]
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildTwoConv } from '../components/image-classifier/train/architectures/two-conv';
import { setTrainingBackend } from '../components/image-classifier/train/wasm-gradients';
import { numericOption } from './options';

const IMAGE = 64;
const BATCH = 32;
const CLASSES = 10;

function benchmarkCnn(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [IMAGE, IMAGE, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/** Deterministic pixels and labels (a linear congruential generator), the same on every backend. */
function batch(size: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  let state = 12345;
  const pixels = new Float32Array(size * IMAGE * IMAGE * 3);
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    pixels[i] = state / 2 ** 32;
  }
  const labels = Array.from({ length: size }, (_, i) => i % CLASSES);
  return { x: tf.tensor4d(pixels, [size, IMAGE, IMAGE, 3]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES) as tf.Tensor2D };
}

async function secondsPerStep(model: tf.LayersModel, data: { x: tf.Tensor; y: tf.Tensor }, steps: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(data.x, data.y);
  return (performance.now() - started) / 1000 / steps;
}

/** The stock wasm kernels that wasm-gradients replaces, captured before registerWasmGradientKernels runs. */
const STOCK_KERNELS = new Map(
  ['Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul'].map((name) => [name, tf.getKernel(name, 'wasm')] as const),
);

/** Runs `body` with wasm's stock kernels `names` registered in place of ours, then restores ours. */
async function withStockKernels<T>(names: readonly string[], body: () => Promise<T>): Promise<T> {
  const swaps = names.map((name) => {
    const stock = STOCK_KERNELS.get(name);
    const ours = tf.getKernel(name, 'wasm');
    if (stock === undefined || ours === undefined) throw new Error(`${name} is not registered for wasm`);
    return { name, stock, ours };
  });
  const register = (config: tf.KernelConfig) => {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  };
  for (const swap of swaps) register(swap.stock);
  try {
    return await body();
  } finally {
    for (const swap of swaps) register(swap.ours);
  }
}

/**
 * The train step's default network (two-conv, 28×28×1 as Fashion-MNIST, batch 64, Adam): ms per
 * training step with our kernels and with the stock MaxPoolGrad and BatchMatMul put back, the two
 * alternating for `rounds` rounds of 5 steps each (medians: the machine may be shared).
 */
async function twoConvStepTimes(rounds: number): Promise<string[][]> {
  await setTrainingBackend('wasm');
  const model = buildTwoConv({ imageSize: 28, channels: 1, numClasses: CLASSES, dropout: 0.25, seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 3);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 64 }, (_, i) => i % CLASSES),
      'int32',
    ),
    CLASSES,
  );
  const data = { x, y };
  await secondsPerStep(model, data, 2);
  const ours: number[] = [];
  const stock: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ours.push(await secondsPerStep(model, data, 5));
    stock.push(await withStockKernels(['MaxPoolGrad', 'BatchMatMul'], () => secondsPerStep(model, data, 5)));
  }
  tf.dispose([x, y]);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const row = (label: string, seconds: number) => [label, `${(seconds * 1000).toFixed(1)} ms`, (64 / seconds).toFixed(0)];
  return [
    row('stock MaxPoolGrad and BatchMatMul (baseline)', median(stock)),
    row('wasm-gradients', median(ours)),
    ['speed-up', `${(median(stock) / median(ours)).toFixed(2)}×`, ''],
  ];
}

async function stockWasmFailure(): Promise<string> {
  // Before setTrainingBackend('wasm'), which registers our kernels.
  await tf.setBackend('wasm');
  const model = benchmarkCnn();
  const data = batch(2);
  try {
    await model.trainOnBatch(data.x, data.y);
    return 'trained (a newer tfjs may ship the kernels)';
  } catch (error) {
    return `fails: ${(error as Error).message.split('\n')[0]}`;
  }
}

interface Row {
  backend: string;
  step: string;
  imagesPerSecond: string;
  note: string;
}

/** Times training on the active backend (selected by the caller). */
async function measure(steps: number, label: string, note: string): Promise<{ row: Row; model: tf.LayersModel }> {
  const model = benchmarkCnn();
  const warmUp = batch(2);
  await model.trainOnBatch(warmUp.x, warmUp.y);
  const data = batch(BATCH);
  if (tf.getBackend() === 'wasm') await model.trainOnBatch(data.x, data.y);
  const seconds = await secondsPerStep(model, data, steps);
  return {
    row: {
      backend: label,
      step: seconds >= 1 ? `${seconds.toFixed(1)} s` : `${(seconds * 1000).toFixed(0)} ms`,
      imagesPerSecond: (BATCH / seconds).toFixed(2),
      note,
    },
    model,
  };
}

async function kernelProfile(model: tf.LayersModel): Promise<string[][]> {
  const data = batch(BATCH);
  const profile = await tf.profile(async () => {
    await model.trainOnBatch(data.x, data.y);
  });
  const byKernel = new Map<string, number>();
  for (const kernel of profile.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + ms);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  return [...byKernel.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => [name, `${ms.toFixed(1)} ms`, `${((100 * ms) / total).toFixed(1)} %`]);
}

const DEPTHWISE_X: [number, number, number, number] = [8, 28, 28, 96];

/** Best-of-3 wall time of each depthwise gradient kernel (the cpu ones once: they are slow). */
async function depthwiseKernelTimes(): Promise<string[][]> {
  const [, , , channels] = DEPTHWISE_X;
  const filterShape = [3, 3, channels, 1];
  const attrs = { strides: 1, pad: 'same', dilations: 1 };
  const time = async (backend: 'cpu' | 'wasm', kernel: string, runs: number): Promise<number> => {
    await setTrainingBackend(backend);
    const x = tf.randomUniform(DEPTHWISE_X, -1, 1, 'float32', 1);
    const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 2);
    const run = () =>
      kernel === 'DepthwiseConv2dNativeBackpropFilter'
        ? tf.engine().runKernel(kernel, { x, dy: x }, { ...attrs, filterShape })
        : tf.engine().runKernel(kernel, { dy: x, filter }, { ...attrs, inputShape: DEPTHWISE_X });
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = run() as tf.Tensor;
      await result.data();
      best = Math.min(best, performance.now() - started);
      result.dispose();
    }
    tf.dispose([x, filter]);
    return best;
  };
  const rows: string[][] = [];
  for (const kernel of ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
    const wasmMs = await time('wasm', kernel, 4);
    const cpuMs = await time('cpu', kernel, 1);
    rows.push([kernel, `${cpuMs.toFixed(0)} ms`, `${wasmMs.toFixed(1)} ms (stock: not registered)`, `${(cpuMs / wasmMs).toFixed(0)}×`]);
  }
  return rows;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const cpuSteps = numericOption('cpu-steps', 1);
  const wasmSteps = numericOption('wasm-steps', 10);
  console.log(
    `Training throughput, benchmark CNN (24,234 parameters), ${IMAGE}×${IMAGE}×3, batch ${BATCH}, Adam; ` +
      `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one thread`,
  );

  const rows: Row[] = [];
  rows.push({ backend: 'wasm as shipped', step: '–', imagesPerSecond: '–', note: await stockWasmFailure() });

  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  await setTrainingBackend('wasm');
  const wasm = await measure(
    wasmSteps,
    'wasm + wasm-gradients',
    `mean of ${wasmSteps} steps after 2 warm-up steps; SIMD ${simd ? 'on' : 'off'}`,
  );
  rows.push(wasm.row);
  const profile = await kernelProfile(wasm.model);
  const stockInput = await withStockKernels(['Conv2DBackpropInput'], () =>
    // Not setTrainingBackend, which would register ours again.
    measure(3, 'wasm + wasm-gradients, stock Conv2DBackpropInput', 'mean of 3 steps: the naive-loop input gradient'),
  );
  rows.push(stockInput.row);
  const depthwise = await depthwiseKernelTimes();
  const twoConv = await twoConvStepTimes(numericOption('rounds', 5));

  if (cpuSteps > 0) {
    await setTrainingBackend('cpu');
    const cpu = await measure(cpuSteps, 'cpu as shipped (baseline)', `${cpuSteps} step(s) after a batch-2 warm-up step`);
    rows.unshift(cpu.row);
    const speedup = Number(cpu.row.imagesPerSecond) > 0 ? Number(wasm.row.imagesPerSecond) / Number(cpu.row.imagesPerSecond) : NaN;
    wasm.row.note += `; ${speedup.toFixed(0)}× the cpu baseline`;
  } else {
    rows.unshift({ backend: 'cpu as shipped (baseline)', step: 'skipped', imagesPerSecond: '–', note: '--cpu-steps=0' });
  }

  printTable(
    ['backend', 'train step', 'train img/s', 'note'],
    rows.map((r) => [r.backend, r.step, r.imagesPerSecond, r.note]),
  );
  console.log('\nOne wasm + wasm-gradients training step, kernel time by kernel (top 8):');
  printTable(['kernel', 'time', 'share'], profile);
  console.log(`\nDepthwise gradient kernels, one 3×3 stride-1 'same' layer, x [${DEPTHWISE_X.join(', ')}] (MobileNet-like):`);
  printTable(['kernel', 'cpu as shipped', 'wasm + wasm-gradients', 'speed-up'], depthwise);
  console.log('\nThe default network (two-conv, 28×28×1, batch 64, Adam), one training step, medians of `--rounds` alternating rounds:');
  printTable(['kernels', 'train step', 'train img/s'], twoConv);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
