/**
 * A MobileNetV2-style network (Sandler et al. 2018) sized for small images and one CPU core:
 * inverted residual blocks of 1×1 expansion → 3×3 depthwise → 1×1 linear projection, with ReLU6 and
 * batch normalisation, and a residual add where a block keeps its size and width.
 *
 *   stem     conv 3×3 (F), stride 1 → BN → ReLU6    (stride 1: small inputs cannot lose a level)
 *   blocks   (expansion t, width c, repeats n, first stride s):
 *            (1, F, 1, 1), (4, 1.5F, 2, 2), (4, 2F, 2, 2), (4, 4F, 2, 2)
 *   head     conv 1×1 (8F) → BN → ReLU6 → global average pooling → dropout → dense softmax
 *
 * MobileNetV2 itself uses t = 6 and a stride-2 stem for 224-px photos; t = 4 and a stride-1 stem
 * keep the cost per image low at 28–64 px while keeping its structure.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, convBnRelu, heNormal, type NetworkShape, pooledClassifier } from './layer-helpers';

export interface MobilenetV2SmallOptions extends NetworkShape {
  /** Width of the stem; the blocks' widths are multiples of it. */
  readonly filters: number;
}

/** Three stride-2 stages: 8 px is the smallest input that keeps a 1×1 map. */
export const MOBILENET_V2_SMALL_MIN_SIZE = 8;

const RELU6 = 6;

function invertedResidual(
  input: tf.SymbolicTensor,
  name: string,
  expansion: number,
  outChannels: number,
  strides: number,
  seed: number,
): tf.SymbolicTensor {
  const inChannels = input.shape[input.shape.length - 1] as number;
  let x = input;
  if (expansion !== 1) x = convBnRelu(x, { name: `${name}_expand`, filters: inChannels * expansion, kernelSize: 1, maxValue: RELU6 }, seed);
  const depthwise = tf.layers.depthwiseConv2d({
    name: `${name}_depthwise`,
    kernelSize: 3,
    strides,
    padding: 'same',
    useBias: false,
    depthwiseInitializer: heNormal(seed, `${name}_depthwise`),
  });
  x = batchNorm(`${name}_depthwise_bn`).apply(depthwise.apply(x)) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: `${name}_depthwise_relu`, maxValue: RELU6 }).apply(x) as tf.SymbolicTensor;
  // Linear bottleneck: no activation after the projection (ReLU would destroy information in few channels).
  x = convBnRelu(x, { name: `${name}_project`, filters: outChannels, kernelSize: 1, maxValue: null }, seed);
  if (strides === 1 && inChannels === outChannels) x = tf.layers.add({ name: `${name}_add` }).apply([input, x]) as tf.SymbolicTensor;
  return x;
}

export function buildMobilenetV2Small({
  imageSize,
  channels,
  numClasses,
  filters,
  dropout,
  seed,
}: MobilenetV2SmallOptions): tf.LayersModel {
  const input = tf.input({ name: 'image', shape: [imageSize, imageSize, channels] });
  let x = convBnRelu(input, { name: 'stem', filters, kernelSize: 3, maxValue: RELU6 }, seed);
  const stages: readonly (readonly [number, number, number, number])[] = [
    [1, filters, 1, 1],
    [4, Math.round(filters * 1.5), 2, 2],
    [4, filters * 2, 2, 2],
    [4, filters * 4, 2, 2],
  ];
  stages.forEach(([expansion, width, repeats, stride], s) => {
    for (let r = 0; r < repeats; r++) x = invertedResidual(x, `block${s + 1}_${r + 1}`, expansion, width, r === 0 ? stride : 1, seed);
  });
  x = convBnRelu(x, { name: 'head', filters: filters * 8, kernelSize: 1, maxValue: RELU6 }, seed);
  return pooledClassifier(input, x, { numClasses, dropout, seed });
}
