/**
 * Class probabilities for a set of stored images, and the loss and accuracy they give: used for
 * validation during training and by the evaluate step. Reads tensors only with `await data()`,
 * so the same code serves backends that cannot read synchronously (webgpu).
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledImage } from './image-dataset';
import { imageBatches } from './image-batches';

export interface PredictOptions {
  readonly imageSize: number;
  readonly batchSize: number;
}

/** Softmax outputs, row-major [images.length, numClasses], in the images' order. */
export async function predictProbabilities(
  model: tf.LayersModel,
  images: readonly LabelledImage[],
  options: PredictOptions,
): Promise<Float32Array> {
  const numClasses = outputClasses(model);
  const channels = inputChannels(model);
  const out = new Float32Array(images.length * numClasses);
  let row = 0;
  // Seed and epoch only matter for shuffling and augmentation, both off here.
  for await (const batch of imageBatches(images, { ...options, channels, shuffle: false, seed: 0, epoch: 0 })) {
    const probabilities = tf.tidy(
      () => model.predict(tf.tensor4d(batch.images, [batch.count, options.imageSize, options.imageSize, channels])) as tf.Tensor,
    );
    try {
      out.set(await probabilities.data(), row * numClasses);
    } finally {
      probabilities.dispose();
    }
    row += batch.count;
  }
  return out;
}

/** Keras's epsilon: probabilities are clipped to [ε, 1 − ε] before the log, as categoricalCrossentropy does. */
const EPSILON = 1e-7;

export interface LossAndAccuracy {
  /** Mean categorical cross-entropy. */
  readonly loss: number;
  /** Share of images whose most probable class is their label (ties go to the lower index). */
  readonly accuracy: number;
}

export function lossAndAccuracy(probabilities: Float32Array, labels: ArrayLike<number>, numClasses: number): LossAndAccuracy {
  const count = labels.length;
  if (count === 0) throw new Error('cannot score an empty image set; the split needs at least one image.');
  let loss = 0;
  let correct = 0;
  for (let n = 0; n < count; n++) {
    const row = n * numClasses;
    let sum = 0;
    let best = 0;
    for (let k = 0; k < numClasses; k++) {
      sum += probabilities[row + k]!;
      if (probabilities[row + k]! > probabilities[row + best]!) best = k;
    }
    const p = probabilities[row + labels[n]!]! / sum;
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));
    if (best === labels[n]) correct++;
  }
  return { loss: loss / count, accuracy: correct / count };
}

export async function evaluateClassifier(
  model: tf.LayersModel,
  images: readonly LabelledImage[],
  options: PredictOptions,
): Promise<LossAndAccuracy> {
  const probabilities = await predictProbabilities(model, images, options);
  return lossAndAccuracy(
    probabilities,
    images.map((image) => image.label),
    outputClasses(model),
  );
}

/** The channels of the model's [batch, height, width, channels] input: 1 (grayscale) or 3 (RGB). */
export function inputChannels(model: tf.LayersModel): 1 | 3 {
  const shape = model.inputs[0]?.shape;
  const channels = shape?.[3];
  if (model.inputs.length !== 1 || shape?.length !== 4 || (channels !== 1 && channels !== 3)) {
    throw new Error(
      `expected an image model with one [batch, height, width, 1 or 3] input, got input shapes ${JSON.stringify(model.inputs.map((i) => i.shape))}.`,
    );
  }
  return channels;
}

function outputClasses(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape;
  const classes = shape?.[shape.length - 1];
  if (model.outputs.length !== 1 || shape?.length !== 2 || typeof classes !== 'number') {
    throw new Error(
      `expected a classifier with one [batch, classes] output, got output shapes ${JSON.stringify(model.outputs.map((o) => o.shape))}.`,
    );
  }
  return classes;
}
