/**
 * The image classifier: `blocks` convolution blocks (3×3 `same` convolution, optionally batch
 * normalisation, ReLU; the filter count doubling per block, 2×2 max pooling between blocks),
 * global average pooling, an optional hidden dense layer with dropout, and a softmax over the
 * classes. Small enough to train on one CPU core with the wasm backend; every size is a parameter.
 *
 * Initial weights and dropout masks come from `seed`, and layers have fixed names, so the same
 * options give the same model (and the same model.json) on every run.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../preprocess/seeded-random';
import { SeededDropout } from './seeded-dropout';

export interface CnnOptions {
  /** Side of the square input. */
  readonly imageSize: number;
  /** Input channels: 1 (grayscale) or 3 (RGB). Default 3. */
  readonly channels?: number;
  readonly numClasses: number;
  /** Filters of the first block; block b has filters·2^b. */
  readonly filters: number;
  readonly blocks: number;
  readonly kernelSize: number;
  /** Units of the hidden dense layer; 0 goes straight from pooling to the softmax. */
  readonly denseUnits: number;
  /** Dropout rate before the hidden and the output dense layers, in [0, 1). */
  readonly dropout: number;
  /**
   * Batch normalisation between each convolution and its ReLU. The training accuracy rises in
   * fewer epochs, but a wasm step takes about twice as long, so it is off by default.
   */
  readonly batchNorm: boolean;
  readonly seed: number;
}

/** The component's defaults: conv16 → pool → conv32 → pool → conv64 → GAP → dropout → dense64 → dropout → softmax. */
export const DEFAULT_CNN = { filters: 16, blocks: 3, kernelSize: 3, denseUnits: 64, dropout: 0.25, batchNorm: false } as const;

function requireWhole(name: string, value: number, min: number, max: number, hint: string): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number in [${min}, ${max}], got ${value}; ${hint}.`);
}

export function validateCnnOptions(options: CnnOptions): void {
  const { imageSize, numClasses, filters, blocks, kernelSize, denseUnits, dropout } = options;
  requireWhole('numClasses', numClasses, 2, 100_000, 'a classifier needs at least two classes in its label map');
  requireWhole('filters', filters, 1, 1024, `${DEFAULT_CNN.filters} is the default`);
  requireWhole('blocks', blocks, 1, 8, `${DEFAULT_CNN.blocks} is the default`);
  requireWhole('kernelSize', kernelSize, 1, 11, 'use an odd size such as 3');
  requireWhole('denseUnits', denseUnits, 0, 65_536, '0 means no hidden dense layer');
  requireWhole(
    'imageSize',
    imageSize,
    2 ** (blocks - 1),
    4096,
    `${blocks} blocks pool the input ${blocks - 1} times, so it must be at least ${2 ** (blocks - 1)} px`,
  );
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be in [0, 1), got ${dropout}; 0 turns it off.`);
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3)
    throw new Error(`channels must be 1 (grayscale) or 3 (RGB), got ${options.channels}.`);
  if (typeof options.batchNorm !== 'boolean') throw new Error(`batchNorm must be true or false, got ${JSON.stringify(options.batchNorm)}.`);
}

export function buildCnn(options: CnnOptions): tf.Sequential {
  validateCnnOptions(options);
  const { imageSize, numClasses, filters, blocks, kernelSize, denseUnits, dropout, batchNorm, seed } = options;
  const initializer = (name: string) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, `init/${name}`) });
  const model = tf.sequential({ name: 'image_classifier' });
  for (let b = 0; b < blocks; b++) {
    if (b > 0) model.add(tf.layers.maxPooling2d({ poolSize: 2, name: `pool${b}` }));
    const name = `conv${b + 1}`;
    model.add(
      tf.layers.conv2d({
        ...(b === 0 ? { inputShape: [imageSize, imageSize, options.channels ?? 3] } : {}),
        name,
        filters: filters * 2 ** b,
        kernelSize,
        padding: 'same',
        // With batch norm the bias is redundant (its beta does the shifting) and ReLU comes after it.
        activation: batchNorm ? 'linear' : 'relu',
        useBias: !batchNorm,
        kernelInitializer: initializer(name),
      }),
    );
    if (batchNorm) {
      // Momentum 0.9, not tfjs's 0.99: on small data sets (a few steps per epoch) the moving
      // statistics that inference uses must settle within tens of steps, or val metrics are wrong.
      model.add(tf.layers.batchNormalization({ name: `norm${b + 1}`, momentum: 0.9 }));
      model.add(tf.layers.activation({ activation: 'relu', name: `relu${b + 1}` }));
    }
  }
  model.add(tf.layers.globalAveragePooling2d({ name: 'global_pool' }));
  if (denseUnits > 0) {
    if (dropout > 0) model.add(new SeededDropout({ rate: dropout, seed: deriveSeed(seed, 'dropout/hidden'), name: 'dropout_hidden' }));
    model.add(tf.layers.dense({ name: 'hidden', units: denseUnits, activation: 'relu', kernelInitializer: initializer('hidden') }));
  }
  if (dropout > 0) model.add(new SeededDropout({ rate: dropout, seed: deriveSeed(seed, 'dropout/output'), name: 'dropout_output' }));
  model.add(
    tf.layers.dense({ name: 'probabilities', units: numClasses, activation: 'softmax', kernelInitializer: initializer('probabilities') }),
  );
  return model;
}
