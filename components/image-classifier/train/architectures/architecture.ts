/**
 * The classifier networks the train step offers, by name, and the one place that builds them:
 *
 *   small-cnn            cnn.ts: the original configurable CNN (conv blocks → global pooling → dense)
 *   two-conv             two-conv.ts: the standard two-convolution network (Fashion-MNIST's reference)
 *   resnet-small         resnet-small.ts: three residual stages with batch norm
 *   mobilenet-v2-small   mobilenet-v2-small.ts: inverted residuals with depthwise convolutions
 *
 * Every network takes [imageSize, imageSize, channels] pixels in [0, 1] and ends in a softmax layer
 * named `probabilities`, so the evaluate step, the serving bundle and fine-tuning treat them alike.
 */
import type * as tf from '@tensorflow/tfjs';
import { buildCnn, DEFAULT_CNN, validateCnnOptions } from '../cnn';
import { buildMobilenetV2Small, MOBILENET_V2_SMALL_MIN_SIZE } from './mobilenet-v2-small';
import { buildResnetSmall, RESNET_SMALL_MIN_SIZE } from './resnet-small';
import { buildTwoConv, TWO_CONV_MIN_SIZE } from './two-conv';

export const ARCHITECTURES = ['small-cnn', 'two-conv', 'resnet-small', 'mobilenet-v2-small'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface ArchitectureOptions {
  readonly architecture: Architecture;
  readonly imageSize: number;
  /** 1 (grayscale) or 3 (RGB). */
  readonly channels: number;
  readonly numClasses: number;
  /** Dropout before the output layer (small-cnn: also before its hidden layer), in [0, 1). */
  readonly dropout: number;
  /** small-cnn: filters of the first block; resnet-small and mobilenet-v2-small: the stem's width. Unused by two-conv. */
  readonly filters: number;
  /** small-cnn only. */
  readonly blocks: number;
  readonly kernelSize: number;
  readonly denseUnits: number;
  readonly batchNorm: boolean;
  readonly seed: number;
}

const MIN_SIZE: Record<Exclude<Architecture, 'small-cnn'>, number> = {
  'two-conv': TWO_CONV_MIN_SIZE,
  'resnet-small': RESNET_SMALL_MIN_SIZE,
  'mobilenet-v2-small': MOBILENET_V2_SMALL_MIN_SIZE,
};

export function parseArchitecture(value: string): Architecture {
  if ((ARCHITECTURES as readonly string[]).includes(value)) return value as Architecture;
  throw new Error(
    `architecture must be one of ${ARCHITECTURES.join(', ')}, got '${value}'; two-conv is the default for small images, resnet-small or mobilenet-v2-small for larger or harder data.`,
  );
}

export function validateArchitectureOptions(options: ArchitectureOptions): void {
  const architecture = parseArchitecture(options.architecture);
  const { imageSize, channels, numClasses, dropout, filters } = options;
  if (channels !== 1 && channels !== 3)
    throw new Error(`inputChannels must be 1 (grayscale) or 3 (RGB), got ${channels}; 0 decides from the training images.`);
  if (architecture === 'small-cnn') {
    validateCnnOptions({ ...options, channels });
    return;
  }
  if (!Number.isInteger(numClasses) || numClasses < 2 || numClasses > 100_000)
    throw new Error(
      `numClasses must be a whole number in [2, 100000], got ${numClasses}; a classifier needs at least two classes in its label map.`,
    );
  const min = MIN_SIZE[architecture];
  if (!Number.isInteger(imageSize) || imageSize < min || imageSize > 4096)
    throw new Error(
      `imageSize must be a whole number in [${min}, 4096] for ${architecture}, got ${imageSize}; its convolutions and poolings need at least ${min} px.`,
    );
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be in [0, 1), got ${dropout}; 0 turns it off.`);
  if (architecture !== 'two-conv' && (!Number.isInteger(filters) || filters < 4 || filters > 256)) {
    throw new Error(
      `filters must be a whole number in [4, 256] for ${architecture} (the stem's width), got ${filters}; ${DEFAULT_CNN.filters} is the default.`,
    );
  }
}

/** Builds the named network; the same options (seed included) give the same weights and model.json. */
export function buildClassifier(options: ArchitectureOptions): tf.LayersModel {
  validateArchitectureOptions(options);
  const { imageSize, channels, numClasses, dropout, filters, seed } = options;
  switch (options.architecture) {
    case 'small-cnn':
      return buildCnn({ ...options });
    case 'two-conv':
      return buildTwoConv({ imageSize, channels, numClasses, dropout, seed });
    case 'resnet-small':
      return buildResnetSmall({ imageSize, channels, numClasses, filters, dropout, seed });
    case 'mobilenet-v2-small':
      return buildMobilenetV2Small({ imageSize, channels, numClasses, filters, dropout, seed });
  }
}

/** One line for the log: what was built. */
export function describeArchitecture(options: ArchitectureOptions, parameters: number): string {
  const input = `input ${options.imageSize}×${options.imageSize}×${options.channels}`;
  const detail =
    options.architecture === 'small-cnn'
      ? `${options.blocks} conv blocks from ${options.filters} filters${options.batchNorm ? ' with batch norm' : ''}, dense ${options.denseUnits}`
      : options.architecture === 'two-conv'
        ? 'conv32 → pool → conv64 → pool → dense128'
        : `width ${options.filters}`;
  return `${options.architecture} (${detail}), dropout ${options.dropout}, ${parameters} parameters, ${input}`;
}
