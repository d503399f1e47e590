// Small builders shared by the architectures: seeded initialisers and the conv → batch norm → ReLU
// unit, so every layer has a fixed name and the same seed gives the same weights.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../preprocess/seeded-random';
import { SeededDropout } from '../seeded-dropout';

/** Glorot-uniform (Keras's default) with a seed derived from the model seed and the layer's name. */
export function glorot(seed: number, name: string): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, `init/${name}`) });
}

/** He-normal for layers followed by ReLU (He et al. 2015): keeps activations' variance through deep stacks. */
export function heNormal(seed: number, name: string): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.heNormal({ seed: deriveSeed(seed, `init/${name}`) });
}

/**
 * Momentum 0.9, not tfjs's 0.99: on small data sets (a few steps per epoch) the moving statistics
 * that inference uses must settle within tens of steps, or validation metrics are wrong.
 */
export const BATCH_NORM_MOMENTUM = 0.9;

export function batchNorm(name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({ name, momentum: BATCH_NORM_MOMENTUM });
}

export interface ConvUnit {
  readonly name: string;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides?: number;
  /** 6 for MobileNet's ReLU6; omit for plain ReLU; null for no activation (a linear bottleneck). */
  readonly maxValue?: number | null;
}

/** conv (no bias: batch norm's beta shifts) → batch norm → ReLU, on a functional-API tensor. */
export function convBnRelu(input: tf.SymbolicTensor, unit: ConvUnit, seed: number): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({
    name: unit.name,
    filters: unit.filters,
    kernelSize: unit.kernelSize,
    strides: unit.strides ?? 1,
    padding: 'same',
    useBias: false,
    kernelInitializer: heNormal(seed, unit.name),
  });
  const normalised = batchNorm(`${unit.name}_bn`).apply(conv.apply(input)) as tf.SymbolicTensor;
  if (unit.maxValue === null) return normalised;
  return tf.layers
    .reLU({ name: `${unit.name}_relu`, ...(unit.maxValue !== undefined ? { maxValue: unit.maxValue } : {}) })
    .apply(normalised) as tf.SymbolicTensor;
}

/** What every built network takes besides its own width setting. */
export interface NetworkShape {
  readonly imageSize: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}

/**
 * The residual and depthwise networks' common end: global average pooling, seeded dropout (none at
 * rate 0) and the softmax layer, with the layer names fine-tuning looks for.
 */
export function pooledClassifier(
  input: tf.SymbolicTensor,
  features: tf.SymbolicTensor,
  { numClasses, dropout, seed }: { readonly numClasses: number; readonly dropout: number; readonly seed: number },
): tf.LayersModel {
  let x = tf.layers.globalAveragePooling2d({ name: 'global_pool' }).apply(features) as tf.SymbolicTensor;
  if (dropout > 0) {
    x = new SeededDropout({ rate: dropout, seed: deriveSeed(seed, 'dropout/output'), name: 'dropout_output' }).apply(
      x,
    ) as tf.SymbolicTensor;
  }
  const output = tf.layers
    .dense({ name: 'probabilities', units: numClasses, activation: 'softmax', kernelInitializer: glorot(seed, 'probabilities') })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'image_classifier', inputs: input, outputs: output });
}
