// A small Model folder for the export tests, built with tfjs layers directly (so it does not change
// when the train step's architectures do): a 3×3 convolution, batch norm with non-trivial moving
// statistics, a second convolution and a Dense softmax head, weights drawn from a seeded generator
// large enough that the predictions are confident and quantization error shows in them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { preprocessingFor, saveTrainedModel } from '../../../../components/image-classifier/train/trained-model';

export const SMALL_SIZE = 8;
export const SMALL_LABELS = ['a', 'b', 'c', 'd'];

export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

/**
 * `headOutlier` sets the Dense head's weights from its first feature to every class to that value:
 * the same amount added to every logit changes no prediction of the float model, but a per-tensor
 * uint8 grid stretched to reach 400 rounds all the other weights (±0.2) to 0, so uint8
 * quantization then ruins the model while float16 does not.
 */
export function smallModel(seed = 1, headOutlier?: number): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      name: 'conv1',
      inputShape: [SMALL_SIZE, SMALL_SIZE, 3],
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  model.add(tf.layers.batchNormalization({ name: 'bn' }));
  model.add(tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ name: 'head', units: SMALL_LABELS.length, activation: 'softmax' }));
  const random = seededUniform(seed);
  model.setWeights(
    model.weights.map((weight) => {
      const size = weight.shape.reduce((a, b) => a! * b!, 1)!;
      // originalName: `name` gets a suffix when another model with the same layer names exists.
      const name = weight.originalName;
      // Batch-norm variances must be positive; the rest centred on 0 with a spread that keeps activations O(1).
      const values = Float32Array.from({ length: size }, () =>
        name.includes('moving_variance')
          ? 0.05 + random()
          : name.includes('gamma')
            ? 0.5 + random()
            : (random() - 0.5) * (name.startsWith('head') ? 0.4 : 0.8),
      );
      if (headOutlier !== undefined && name === 'head/kernel') values.fill(headOutlier, 0, SMALL_LABELS.length);
      return tf.tensor(values, weight.shape as number[]);
    }),
  );
  return model;
}

/** Saves smallModel(seed, headOutlier) as a Model folder (plus a logs/ subfolder, as the train step writes) in `dir`. */
export async function writeSmallModelFolder(dir: string, seed = 1, headOutlier?: number): Promise<void> {
  const model = smallModel(seed, headOutlier);
  try {
    await saveTrainedModel(dir, { model, labels: SMALL_LABELS, preprocessing: preprocessingFor(SMALL_SIZE) });
  } finally {
    model.dispose();
  }
  fs.mkdirSync(path.join(dir, 'logs', 'train'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logs', 'train', 'events.out.tfevents.1'), 'not part of the model');
}

/** `count` random RGB images in [0, 1], NHWC. */
export function randomInputs(count: number, seed: number): tf.Tensor4D {
  const random = seededUniform(seed);
  return tf.tensor4d(Float32Array.from({ length: count * SMALL_SIZE * SMALL_SIZE * 3 }, random), [count, SMALL_SIZE, SMALL_SIZE, 3]);
}
