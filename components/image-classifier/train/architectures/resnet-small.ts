/**
 * A small residual network with batch normalisation (He et al. 2016's CIFAR ResNet, shortened):
 *
 *   stem      conv 3×3 (F) → BN → ReLU
 *   stage 1   basic block, F filters, stride 1
 *   stage 2   basic block, 2F filters, stride 2 (1×1 conv + BN projection shortcut)
 *   stage 3   basic block, 4F filters, stride 2 (projection shortcut)
 *   global average pooling → dropout → dense softmax
 *
 * A basic block is conv 3×3 → BN → ReLU → conv 3×3 → BN, added to the shortcut, then ReLU.
 * Convolutions are 'same' and bias-free (batch norm's beta shifts), kernels He-normal.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, convBnRelu, heNormal, type NetworkShape, pooledClassifier } from './layer-helpers';

export interface ResnetSmallOptions extends NetworkShape {
  /** Filters of the stem and the first stage; the next stages double them. */
  readonly filters: number;
}

/** Two stride-2 stages: 4 px is the smallest input that keeps a 1×1 map. */
export const RESNET_SMALL_MIN_SIZE = 4;

function basicBlock(input: tf.SymbolicTensor, name: string, filters: number, strides: number, seed: number): tf.SymbolicTensor {
  const first = convBnRelu(input, { name: `${name}_conv1`, filters, kernelSize: 3, strides }, seed);
  const second = convBnRelu(first, { name: `${name}_conv2`, filters, kernelSize: 3, maxValue: null }, seed);
  const inChannels = input.shape[input.shape.length - 1];
  let shortcut = input;
  if (strides !== 1 || inChannels !== filters) {
    const projection = tf.layers.conv2d({
      name: `${name}_shortcut`,
      filters,
      kernelSize: 1,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: heNormal(seed, `${name}_shortcut`),
    });
    shortcut = batchNorm(`${name}_shortcut_bn`).apply(projection.apply(input)) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([second, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
}

export function buildResnetSmall({ imageSize, channels, numClasses, filters, dropout, seed }: ResnetSmallOptions): tf.LayersModel {
  const input = tf.input({ name: 'image', shape: [imageSize, imageSize, channels] });
  let x = convBnRelu(input, { name: 'stem', filters, kernelSize: 3 }, seed);
  x = basicBlock(x, 'stage1', filters, 1, seed);
  x = basicBlock(x, 'stage2', filters * 2, 2, seed);
  x = basicBlock(x, 'stage3', filters * 4, 2, seed);
  return pooledClassifier(input, x, { numClasses, dropout, seed });
}
