// Logits of a tfjs classifier on stored images: the pre-softmax path (network up to the last Dense
// layer's input, then z = features · W + b in float64) and the ln p fallback.
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { logitsPredictor } from '../../../../components/image-classifier/evaluate/predict-split';
import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { DEFAULT_CNN, buildCnn } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { predictProbabilities } from '../../../../components/image-classifier/train/predict';
import { SIZE, tintedImages } from './tiny-image-classifier';

const solid = async (rgb: [number, number, number], label: number): Promise<LabelledImage> => ({
  encoded: await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer(),
  label,
  filename: `solid-${rgb.join('-')}.png`,
});

/** Mean colour (in [0, 1]) → Dense softmax with weights 300·I: probabilities far below float range. */
function saturatedModel(separateSoftmax: boolean): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.globalAveragePooling2d({ inputShape: [SIZE, SIZE, 3] }));
  model.add(
    tf.layers.dense({
      units: 3,
      activation: separateSoftmax ? 'linear' : 'softmax',
      weights: [tf.eye(3).mul(300), tf.tensor1d([0, 1, 2])],
    }),
  );
  if (separateSoftmax) model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}

const options = { imageSize: SIZE, batchSize: 3 };
let images: LabelledImage[];

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  images = [await solid([255, 0, 0], 0), await solid([0, 255, 0], 1), await solid([0, 0, 255], 2), await solid([0, 0, 0], 0)];
});

it('computes the logits of a Dense softmax head exactly, where ln p would be clipped at ln 1e-12', async () => {
  const model = saturatedModel(false);
  const predictor = await logitsPredictor(model);
  expect([predictor.source, predictor.classes]).toEqual(['pre-softmax', 3]);
  const { logits, labels, classes } = await predictor.predict(images, options);
  expect(classes).toBe(3);
  expect(Array.from(labels)).toEqual([0, 1, 2, 0]);
  // mean colour · 300 + bias [0, 1, 2]
  expect(Array.from(logits)).toEqual([300, 1, 2, 0, 301, 2, 0, 1, 302, 0, 1, 2]);
  model.dispose();
});

it('falls back to ln(max(p, 1e-12)) when the softmax is a separate layer', async () => {
  const model = saturatedModel(true);
  const predictor = await logitsPredictor(model);
  expect(predictor.source).toBe('log-probabilities');
  const { logits } = await predictor.predict(images, options);
  const floor = Math.log(1e-12);
  expect(Array.from(logits.subarray(0, 3))).toEqual([0, floor, floor]);
  const probabilities = await predictProbabilities(model, images, options);
  expect(Array.from(logits)).toEqual(Array.from(probabilities, (p) => Math.log(Math.max(p, 1e-12))));
  model.dispose();
});

it("agrees with the model's own softmax output on the train step's CNN (batch norm, dropout, hidden dense)", async () => {
  const model = buildCnn({ ...DEFAULT_CNN, imageSize: SIZE, numClasses: 4, filters: 4, blocks: 2, denseUnits: 8, seed: 9 });
  const tinted = await tintedImages(10, 7);
  const predictor = await logitsPredictor(model);
  expect(predictor.source).toBe('pre-softmax');
  const { logits } = await predictor.predict(tinted, options);
  const fromLogits = softmaxRows(logits, 4);
  const fromModel = await predictProbabilities(model, tinted, options);
  expect(fromLogits.length).toBe(40);
  const worst = fromLogits.reduce((max, p, j) => Math.max(max, Math.abs(p - fromModel[j]!)), 0);
  expect(worst).toBeLessThan(1e-6);
  model.dispose();
});

it('rejects a model whose output is not [batch, classes]', async () => {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 2, kernelSize: 1 })] });
  await expect(logitsPredictor(model)).rejects.toThrow(
    /^expected a classifier with one \[batch, classes\] output, got output shapes \[\[null,8,8,2\]\]/,
  );
  model.dispose();
});
