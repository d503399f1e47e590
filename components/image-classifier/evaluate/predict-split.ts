/**
 * Logits of a trained classifier on a Dataset split, for temperature scaling and scoring.
 *
 * Temperature scaling wants the network's logits z, not its softmax output: recovering them as
 * ln p from float32 probabilities loses everything below the 1e-12 floor, so a confidently wrong
 * sample's true-class logit (and with it the NLL the temperature is fitted on) would be clipped.
 * When the model ends in a Dense layer with a softmax activation (the train step's CNN does), the
 * network is run up to that layer's input and z = features · W + b is computed here in float64.
 * Any other model falls back to ln(max(p, 1e-12)); `source` says which was used.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledImage } from '../train/image-dataset';
import { predictProbabilities } from '../train/predict';
import { logitsFromProbabilities } from './probability-rows';

export type LogitsSource = 'pre-softmax' | 'log-probabilities';

export interface SplitPredictions {
  /** n × K logits, row-major, float64. */
  readonly logits: Float64Array;
  /** 0-based class index of each image, in the same order. */
  readonly labels: Int32Array;
  readonly classes: number;
}

export interface LogitsPredictor {
  readonly source: LogitsSource;
  readonly classes: number;
  predict(images: readonly LabelledImage[], options: { readonly imageSize: number; readonly batchSize: number }): Promise<SplitPredictions>;
}

interface SoftmaxHead {
  /** The model up to the input of its last (Dense, softmax) layer. */
  readonly features: tf.LayersModel;
  readonly featureCount: number;
  /** Dense kernel, [featureCount × classes] row-major, and bias. */
  readonly kernel: Float64Array;
  readonly bias: Float64Array;
}

/** The last layer's weights when it is a Dense softmax over a flat feature vector; else null. */
async function softmaxHead(model: tf.LayersModel, classes: number): Promise<SoftmaxHead | null> {
  const last = model.layers[model.layers.length - 1];
  if (last?.getClassName() !== 'Dense') return null;
  const config = last.getConfig() as { activation?: unknown; useBias?: unknown };
  if (config.activation !== 'softmax') return null;
  const input = last.input;
  if (Array.isArray(input) || input.shape.length !== 2 || typeof input.shape[1] !== 'number') return null;
  const featureCount = input.shape[1];
  const weights = last.getWeights();
  const kernelTensor = weights[0];
  if (!kernelTensor || kernelTensor.shape.join('x') !== `${featureCount}x${classes}`) return null;
  const kernel = Float64Array.from(await kernelTensor.data());
  const biasTensor = config.useBias === false ? undefined : weights[1];
  const bias = biasTensor ? Float64Array.from(await biasTensor.data()) : new Float64Array(classes);
  if (bias.length !== classes) return null;
  const features = tf.model({ inputs: model.inputs, outputs: input });
  return { features, featureCount, kernel, bias };
}

function labelsOf(images: readonly LabelledImage[]): Int32Array {
  return Int32Array.from(images, (image) => image.label);
}

/** z = features · W + b, in float64. */
function denseLogits(features: Float32Array, head: SoftmaxHead, classes: number): Float64Array {
  const { featureCount, kernel, bias } = head;
  const n = features.length / featureCount;
  const logits = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    const out = i * classes;
    for (let k = 0; k < classes; k++) logits[out + k] = bias[k]!;
    for (let f = 0; f < featureCount; f++) {
      const x = features[i * featureCount + f]!;
      if (x === 0) continue; // ReLU features are mostly zero
      const row = f * classes;
      for (let k = 0; k < classes; k++) logits[out + k]! += x * kernel[row + k]!;
    }
  }
  return logits;
}

/** A predictor of logits for `model`, whose single output is [batch, classes] softmax probabilities. */
export async function logitsPredictor(model: tf.LayersModel): Promise<LogitsPredictor> {
  const shape = model.outputs[0]?.shape;
  const classes = shape?.[shape.length - 1];
  if (model.outputs.length !== 1 || shape?.length !== 2 || typeof classes !== 'number') {
    throw new Error(
      `expected a classifier with one [batch, classes] output, got output shapes ${JSON.stringify(model.outputs.map((o) => o.shape))}; pass the Model folder written by the train step.`,
    );
  }
  const head = await softmaxHead(model, classes);
  if (head) {
    return {
      source: 'pre-softmax',
      classes,
      // predictProbabilities runs any [batch, n] model over the images in stored order; here its "probabilities" are the features.
      predict: async (images, options) => ({
        logits: denseLogits(await predictProbabilities(head.features, images, options), head, classes),
        labels: labelsOf(images),
        classes,
      }),
    };
  }
  return {
    source: 'log-probabilities',
    classes,
    predict: async (images, options) => ({
      logits: logitsFromProbabilities(await predictProbabilities(model, images, options)),
      labels: labelsOf(images),
      classes,
    }),
  };
}
