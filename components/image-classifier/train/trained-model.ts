/**
 * The Model artifact folder the train step writes and the evaluate step (or an app) loads:
 *
 *   model.json, weights.bin   the tfjs LayersModel (softmax output over the classes)
 *   label_map.json            {"0": "circle", …}, as in the Dataset folders
 *   preprocessing.json        how to turn an image into the network's input
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { LABEL_MAP_FILE, labelMapJson, readLabelMap } from '../preprocess/label-map';
import { loadLayersModel, saveLayersModel } from './model-io';

export const PREPROCESSING_FILE = 'preprocessing.json';
export const PREPROCESSING_VERSION = 1;

/** What decodePixels + value / 255 do; recorded so other runtimes can reproduce the input. */
export interface PreprocessingSettings {
  readonly version: number;
  /** Input height and width in pixels (square). */
  readonly imageSize: number;
  /** 3: RGB; 1: grayscale (luminance), for networks trained on grayscale data. */
  readonly channels: 1 | 3;
  /** 'b-w' is libvips's luminance of the sRGB image (one channel). */
  readonly colorSpace: 'srgb' | 'b-w';
  readonly layout: 'NHWC';
  readonly dtype: 'float32';
  /** Scale to cover imageSize×imageSize, keeping the aspect ratio, then crop the centre. */
  readonly resize: { readonly fit: 'cover'; readonly position: 'centre' };
  /** Transparent pixels are flattened onto this colour first. */
  readonly alphaBackground: '#ffffff';
  /** input = pixel (0–255) · scale + offset, giving [0, 1]. */
  readonly normalization: { readonly scale: number; readonly offset: number };
}

export function preprocessingFor(imageSize: number, channels: 1 | 3 = 3): PreprocessingSettings {
  return {
    version: PREPROCESSING_VERSION,
    imageSize,
    channels,
    colorSpace: channels === 3 ? 'srgb' : 'b-w',
    layout: 'NHWC',
    dtype: 'float32',
    resize: { fit: 'cover', position: 'centre' },
    alphaBackground: '#ffffff',
    normalization: { scale: 1 / 255, offset: 0 },
  };
}

export interface TrainedModel {
  readonly model: tf.LayersModel;
  /** Class names in output order. */
  readonly labels: readonly string[];
  readonly preprocessing: PreprocessingSettings;
}

/** Writes model.json, weights.bin, label_map.json and preprocessing.json into `dir`. */
export async function saveTrainedModel(dir: string, trained: TrainedModel): Promise<void> {
  const classes = trained.model.outputs[0]?.shape.at(-1);
  if (classes !== trained.labels.length)
    throw new Error(
      `the model outputs ${classes} classes but ${trained.labels.length} labels were given; pass the label map of the training data.`,
    );
  await saveLayersModel(trained.model, dir);
  fs.writeFileSync(path.join(dir, LABEL_MAP_FILE), labelMapJson(trained.labels));
  fs.writeFileSync(path.join(dir, PREPROCESSING_FILE), `${JSON.stringify(trained.preprocessing, null, 2)}\n`);
}

function readPreprocessing(file: string): PreprocessingSettings {
  let parsed: PreprocessingSettings;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as PreprocessingSettings;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}; the train step writes it into the Model folder.`);
  }
  if (parsed?.version !== PREPROCESSING_VERSION)
    throw new Error(
      `${file} has version ${JSON.stringify(parsed?.version)}; this code reads version ${PREPROCESSING_VERSION}, update kfp-ts or retrain.`,
    );
  if (parsed?.channels !== 1 && parsed?.channels !== 3)
    throw new Error(
      `${file}: channels must be 1 (grayscale) or 3 (RGB), got ${JSON.stringify(parsed?.channels)}; it was written by another version of the train step.`,
    );
  const expected = preprocessingFor(parsed.imageSize, parsed.channels);
  if (!Number.isInteger(parsed.imageSize) || parsed.imageSize < 1)
    throw new Error(`${file}: imageSize must be a whole number of pixels, got ${JSON.stringify(parsed.imageSize)}.`);
  if (JSON.stringify(parsed) !== JSON.stringify(expected)) {
    throw new Error(
      `${file} asks for preprocessing this code does not implement (expected ${JSON.stringify(expected)}); it was written by another version of the train step.`,
    );
  }
  return parsed;
}

/** Loads a Model folder written by saveTrainedModel, checking that its three parts agree. */
export async function loadTrainedModel(dir: string): Promise<TrainedModel> {
  const preprocessing = readPreprocessing(path.join(dir, PREPROCESSING_FILE));
  const labels = readLabelMap(path.join(dir, LABEL_MAP_FILE));
  const model = await loadLayersModel(dir);
  const inputShape = model.inputs[0]?.shape;
  const { imageSize, channels } = preprocessing;
  if (JSON.stringify(inputShape) !== JSON.stringify([null, imageSize, imageSize, channels])) {
    throw new Error(
      `the model in ${dir} takes input ${JSON.stringify(inputShape)} but ${PREPROCESSING_FILE} says ${imageSize}×${imageSize}×${channels}; the folder mixes files of different runs.`,
    );
  }
  const classes = model.outputs[0]?.shape.at(-1);
  if (classes !== labels.length)
    throw new Error(
      `the model in ${dir} outputs ${classes} classes but ${LABEL_MAP_FILE} names ${labels.length}; the folder mixes files of different runs.`,
    );
  return { model, labels, preprocessing };
}
