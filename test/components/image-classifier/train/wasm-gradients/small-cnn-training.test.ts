// Small CNNs train on wasm with the new gradient kernels: their loss falls, and their weights follow
// the cpu backend's step for step. One is conv → max pool → conv → global average pool → dense, the
// other a MobileNet-style depthwise-separable stack (depthwise with multiplier 2, separable conv).
import * as tf from '@tensorflow/tfjs';
import { RELATIVE_TOLERANCE, maxRelativeError, onBackend, seededValues, sizeOf } from './gradient-helpers';

const IMAGES = 8;
const SIZE = 12;
const STEPS = 5;

function smallCnn(): tf.LayersModel {
  return compiled([
    tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
}

function depthwiseSeparableCnn(): tf.LayersModel {
  return compiled([
    tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
    tf.layers.separableConv2d({ filters: 6, kernelSize: 3, padding: 'valid' }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
}

function compiled(layers: tf.layers.Layer[]): tf.LayersModel {
  const model = tf.sequential({ layers });
  // Momentum SGD: updates are linear in the gradients, so the weights compare the backends'
  // gradients directly (Adam's normalisation would magnify noise in near-zero gradients).
  model.compile({ optimizer: tf.train.momentum(0.3, 0.8), loss: 'categoricalCrossentropy' });
  return model;
}

/** Class 1 images are brighter in their left half, class 0 in their right half, plus noise. */
function dataset(): { pixels: Float32Array; labels: number[] } {
  const noise = seededValues(IMAGES * SIZE * SIZE * 3, 31);
  const labels = Array.from({ length: IMAGES }, (_, i) => i % 2);
  const pixels = new Float32Array(noise.length);
  for (let n = 0; n < IMAGES; n++) {
    for (let h = 0; h < SIZE; h++) {
      for (let w = 0; w < SIZE; w++) {
        const bright = w < SIZE / 2 === (labels[n] === 1);
        for (let c = 0; c < 3; c++) {
          const i = ((n * SIZE + h) * SIZE + w) * 3 + c;
          pixels[i] = (bright ? 0.8 : 0.2) + 0.3 * noise[i]!;
        }
      }
    }
  }
  return { pixels, labels };
}

/** Trains STEPS steps from fixed initial weights; returns the loss of each step and the final weights. */
async function train(build: () => tf.LayersModel, initial: Float32Array[]): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const model = build();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape)));
  const { pixels, labels } = dataset();
  const x = tf.tensor4d(pixels, [IMAGES, SIZE, SIZE, 3]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) losses.push((await model.trainOnBatch(x, y)) as number);
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights };
}

// minimumDrop: the share by which the loss must fall over the steps (the separable stack starts
// slower; for it the point is the gradients' agreement with cpu).
const models = [
  { name: 'conv → max pool → conv → global pool → dense', build: smallCnn, weightTensors: 6, minimumDrop: 0.2 },
  { name: 'conv → depthwise ×2 → separable conv → global pool → dense', build: depthwiseSeparableCnn, weightTensors: 9, minimumDrop: 0.01 },
];

test.each(models)(
  '$name trains on wasm, with losses and weights matching the cpu backend',
  async ({ build, weightTensors, minimumDrop }) => {
    const shapes = await onBackend('cpu', async () => {
      const probe = build();
      const weightShapes = probe.getWeights().map((w) => w.shape);
      probe.dispose();
      return weightShapes;
    });
    const initial = shapes.map((shape, i) => seededValues(sizeOf(shape), 100 + i).map((v) => v * 0.8));

    const cpu = await onBackend('cpu', () => train(build, initial));
    const wasm = await onBackend('wasm', () => train(build, initial));

    expect(wasm.losses[STEPS - 1]!).toBeLessThan((1 - minimumDrop) * wasm.losses[0]!);
    for (let step = 1; step < STEPS; step++) expect(wasm.losses[step]!).toBeLessThan(wasm.losses[step - 1]!);
    expect(maxRelativeError(wasm.losses, cpu.losses)).toBeLessThan(RELATIVE_TOLERANCE);
    expect(wasm.weights).toHaveLength(weightTensors);
    wasm.weights.forEach((weights, i) => {
      expect(maxRelativeError(weights, initial[i]!)).toBeGreaterThan(1e-3); // it did move
      expect(maxRelativeError(weights, cpu.weights[i]!)).toBeLessThan(RELATIVE_TOLERANCE);
    });
  },
  30_000,
);
