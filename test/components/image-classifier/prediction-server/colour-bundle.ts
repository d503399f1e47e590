// A serving bundle whose classifier is easy to reason about: the mean colour of the image through
// a Dense softmax with weights gain·I, so a red image is "red" with a confidence that grows with
// `gain`, and a grey one is a three-way tie. Written with the train and evaluate steps' own writers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { labelMapJson, modelJson } from '../../../../components/image-classifier/evaluate/model-files';
import { writeServingBundle } from '../../../../components/image-classifier/serving-bundle/bundle-layout';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { preprocessingFor, saveTrainedModel } from '../../../../components/image-classifier/train/trained-model';

export const COLOUR_LABELS = ['red', 'green', 'blue'];
export const COLOUR_SIZE = 8;

export interface ColourBundleOptions {
  readonly gain?: number;
  readonly tau?: number;
  readonly margin?: number;
  readonly temperature?: number;
}

/** Writes `<dir>/model`, `<dir>/card` and the bundle `<dir>/bundle`; returns the bundle folder. */
export async function makeColourBundle(dir: string, options: ColourBundleOptions = {}): Promise<string> {
  await chooseTrainingBackend('wasm');
  const model = tf.sequential();
  model.add(tf.layers.globalAveragePooling2d({ inputShape: [COLOUR_SIZE, COLOUR_SIZE, 3] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', weights: [tf.eye(3).mul(options.gain ?? 10), tf.tensor1d([0, 0, 0])] }));
  const modelDir = path.join(dir, 'model');
  await saveTrainedModel(modelDir, { model, labels: COLOUR_LABELS, preprocessing: preprocessingFor(COLOUR_SIZE) });
  model.dispose();
  const cardDir = path.join(dir, 'card');
  fs.mkdirSync(cardDir, { recursive: true });
  const card = {
    labels: COLOUR_LABELS,
    tau: options.tau ?? 0.5,
    margin: options.margin ?? 0.1,
    temperature: options.temperature ?? 1,
    top1: 0.9,
    top3: 1,
    ece: 0.05,
  };
  fs.writeFileSync(path.join(cardDir, 'model.json'), modelJson(card));
  fs.writeFileSync(path.join(cardDir, 'label_map.json'), labelMapJson(COLOUR_LABELS));
  const bundle = path.join(dir, 'bundle');
  writeServingBundle(bundle, modelDir, cardDir);
  return bundle;
}

/** A solid-colour PNG of the bundle's input size. */
export function solidPng(r: number, g: number, b: number, size = COLOUR_SIZE): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

/** An RGB pixel array (rows × columns × 3) of one colour. */
export function solidPixels(r: number, g: number, b: number, size = COLOUR_SIZE): number[][][] {
  return Array.from({ length: size }, () => Array.from({ length: size }, () => [r, g, b]));
}
