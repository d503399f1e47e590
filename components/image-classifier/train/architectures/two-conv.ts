/**
 * The standard two-convolution network for small grayscale images (the TensorFlow/Keras tutorial's
 * convnet, the reference network of Fashion-MNIST's published benchmarks). Exact layer list, for
 * anyone mirroring it in another framework (bench/quality-pytorch.py rebuilds it from model.json):
 *
 *   input [S, S, C]                       C = 1 (grayscale) or 3 (RGB)
 *   conv1  Conv2D(32, 3×3, valid) + bias → ReLU
 *   pool1  MaxPool(2×2, stride 2)
 *   conv2  Conv2D(64, 3×3, valid) + bias → ReLU
 *   pool2  MaxPool(2×2, stride 2)
 *   flatten                               (28×28 input: 5·5·64 = 1,600 features)
 *   hidden Dense(128) + bias → ReLU
 *   dropout_output  Dropout(rate)         (0.25 by default, seeded)
 *   probabilities   Dense(classes) → softmax
 *
 * Weights: Glorot-uniform kernels, zero biases (Keras's defaults). 28×28×1 with 10 classes has
 * 225,034 parameters.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../preprocess/seeded-random';
import { SeededDropout } from '../seeded-dropout';
import { glorot } from './layer-helpers';

export interface TwoConvOptions {
  readonly imageSize: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}

/** Two valid 3×3 convolutions and two 2×2 poolings take (S − 2)/2 − 2 ≥ 1 rows: S ≥ 10. */
export const TWO_CONV_MIN_SIZE = 10;

export function buildTwoConv({ imageSize, channels, numClasses, dropout, seed }: TwoConvOptions): tf.Sequential {
  const model = tf.sequential({ name: 'image_classifier' });
  model.add(
    tf.layers.conv2d({
      name: 'conv1',
      inputShape: [imageSize, imageSize, channels],
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: glorot(seed, 'conv1'),
    }),
  );
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(seed, 'conv2') }));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ name: 'hidden', units: 128, activation: 'relu', kernelInitializer: glorot(seed, 'hidden') }));
  if (dropout > 0) model.add(new SeededDropout({ rate: dropout, seed: deriveSeed(seed, 'dropout/output'), name: 'dropout_output' }));
  model.add(
    tf.layers.dense({ name: 'probabilities', units: numClasses, activation: 'softmax', kernelInitializer: glorot(seed, 'probabilities') }),
  );
  return model;
}
