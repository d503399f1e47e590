// The quantized Model folder: weights 4× (uint8) or 2× (float16) smaller, read by tfjs's own loader
// from the raw files (tf.io.fromMemory, so no kfp-ts code decodes anything), predictions close to
// the float model's, the folder's other files copied, and clear errors for folders it cannot export.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeQuantizedModelFolder } from '../../../../components/image-classifier/export/quantized-model-folder';
import { WeightQuantizationError, type WeightQuantization } from '../../../../components/image-classifier/export/quantize-weights';
import { labelMapJson, modelJson } from '../../../../components/image-classifier/evaluate/model-files';
import { ServedClassifier } from '../../../../components/image-classifier/prediction-server/served-classifier';
import { writeServingBundle } from '../../../../components/image-classifier/serving-bundle/bundle-layout';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import sharp from 'sharp';
import { SMALL_LABELS, SMALL_SIZE, randomInputs, seededUniform, writeSmallModelFolder } from './small-model-folder';

let workspace: string;
let floatDir: string;

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-export-folder-'));
  floatDir = path.join(workspace, 'float');
  await writeSmallModelFolder(floatDir);
});
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

/** The folder loaded by tfjs alone: model.json's topology and manifest, weights.bin's bytes. */
async function loadWithTfjs(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData }),
  );
}

async function probabilities(model: tf.LayersModel): Promise<Float32Array> {
  const inputs = randomInputs(200, 9);
  const out = model.predict(inputs) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([inputs, out]);
  return values;
}

function argmaxAgreement(a: Float32Array, b: Float32Array, classes: number): number {
  let same = 0;
  const argmax = (v: Float32Array, row: number) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (v[row * classes + k]! > v[row * classes + best]!) best = k;
    return best;
  };
  for (let row = 0; row < a.length / classes; row++) if (argmax(a, row) === argmax(b, row)) same++;
  return same / (a.length / classes);
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);

describe('writeQuantizedModelFolder', () => {
  let floatProbabilities: Float32Array;
  beforeAll(async () => {
    const model = await loadWithTfjs(floatDir);
    floatProbabilities = await probabilities(model);
    model.dispose();
  });

  it.each([
    ['uint8', 4, 0.05, 0.95],
    ['float16', 2, 5e-3, 1],
  ] as const)(
    '%s: weights %d× smaller with every weight quantized, and tfjs predicts within tolerance',
    async (quantization, ratio, tolerance, agreement) => {
      const dir = path.join(workspace, `${quantization}-all`);
      const folder = writeQuantizedModelFolder(floatDir, dir, { quantization, keepFloat32Below: 0 });
      expect(folder.quantized.weights * ratio).toBe(folder.float.weights);
      expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe(folder.quantized.weights);
      expect(folder.weights.every((w) => w.storedAs === quantization)).toBe(true);

      const manifest = (JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON).weightsManifest;
      expect(manifest).toHaveLength(1);
      for (const entry of manifest[0]!.weights) {
        expect(entry.dtype).toBe('float32');
        expect(entry.quantization?.dtype).toBe(quantization);
        if (quantization === 'uint8')
          expect(typeof entry.quantization?.scale === 'number' && typeof entry.quantization.min === 'number').toBe(true);
      }

      const model = await loadWithTfjs(dir);
      const quantized = await probabilities(model);
      model.dispose();
      const difference = maxDiff(floatProbabilities, quantized);
      expect(difference).toBeGreaterThan(0); // the weights did change
      expect(difference).toBeLessThan(tolerance);
      expect(argmaxAgreement(floatProbabilities, quantized, SMALL_LABELS.length)).toBeGreaterThanOrEqual(agreement);
    },
  );

  it('keeps weights under keepFloat32Below values as float32 (biases, batch norm, the first 3×3×3 kernel)', () => {
    const dir = path.join(workspace, 'uint8-default');
    const folder = writeQuantizedModelFolder(floatDir, dir, { quantization: 'uint8', keepFloat32Below: 1024 });
    const stored = Object.fromEntries(folder.weights.map((w) => [w.name, w.storedAs]));
    expect(
      Object.entries(stored)
        .filter(([, as]) => as === 'uint8')
        .map(([name]) => name)
        .sort(),
    ).toEqual(['conv2/kernel', 'head/kernel']);
    expect(folder.weights.filter((w) => w.storedAs === 'float32').every((w) => w.values < 1024 && w.maxAbsError === 0)).toBe(true);
    const ratio = folder.float.weights / folder.quantized.weights;
    expect(ratio).toBeGreaterThan(3.3);
    expect(ratio).toBeLessThan(4);
    // Every uint8 weight within half a step of its float value.
    const manifest = (JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON).weightsManifest[0]!.weights;
    for (const w of folder.weights.filter((x) => x.storedAs === 'uint8')) {
      const scale = manifest.find((entry) => entry.name === w.name)!.quantization!.scale!;
      expect(w.maxAbsError).toBeLessThanOrEqual(scale / 2 + 1e-6);
    }
  });

  it('copies the folder’s other files, not its logs/, and loads with loadTrainedModel', async () => {
    const dir = path.join(workspace, 'float16-files');
    writeQuantizedModelFolder(floatDir, dir, { quantization: 'float16', keepFloat32Below: 1024 });
    expect(fs.readdirSync(dir).sort()).toEqual(['label_map.json', 'model.json', 'preprocessing.json', 'weights.bin']);
    expect(fs.readFileSync(path.join(dir, 'label_map.json'))).toEqual(fs.readFileSync(path.join(floatDir, 'label_map.json')));
    const trained = await loadTrainedModel(dir);
    expect(trained.labels).toEqual(SMALL_LABELS);
    trained.model.dispose();
  });

  it('serves from a serving bundle like the float model, with nearly the same confidences', async () => {
    const quantizedDir = path.join(workspace, 'uint8-served');
    writeQuantizedModelFolder(floatDir, quantizedDir, { quantization: 'uint8', keepFloat32Below: 1024 });
    const card = path.join(workspace, 'card');
    fs.mkdirSync(card, { recursive: true });
    fs.writeFileSync(
      path.join(card, 'model.json'),
      modelJson({ labels: SMALL_LABELS, tau: 0.5, margin: 0.1, temperature: 1.3, top1: 0.9, top3: 1, ece: 0.05 }),
    );
    fs.writeFileSync(path.join(card, 'label_map.json'), labelMapJson(SMALL_LABELS));
    const random = seededUniform(4);
    const images = await Promise.all(
      Array.from({ length: 8 }, () =>
        sharp(
          Uint8Array.from({ length: SMALL_SIZE * SMALL_SIZE * 3 }, () => Math.floor(256 * random())),
          { raw: { width: SMALL_SIZE, height: SMALL_SIZE, channels: 3 } },
        )
          .png()
          .toBuffer(),
      ),
    );
    const predictions = [];
    for (const [name, dir] of [
      ['float', floatDir],
      ['uint8', quantizedDir],
    ] as const) {
      const bundle = path.join(workspace, `bundle-${name}`);
      writeServingBundle(bundle, dir, card);
      const served = await ServedClassifier.load(bundle);
      predictions.push(await served.predict(images, { maxPredictions: SMALL_LABELS.length, confidenceThreshold: 0 }));
      served.dispose();
    }
    const [float, quantized] = predictions as [
      Awaited<ReturnType<ServedClassifier['predict']>>,
      Awaited<ReturnType<ServedClassifier['predict']>>,
    ];
    expect(quantized).toHaveLength(images.length);
    for (let i = 0; i < images.length; i++) {
      expect(quantized[i]!.ids[0]).toBe(float[i]!.ids[0]);
      expect(Math.abs(quantized[i]!.confidences[0]! - float[i]!.confidences[0]!)).toBeLessThan(0.05);
    }
  });

  it('refuses an already quantized folder, naming the weight', () => {
    const once = path.join(workspace, 'once');
    writeQuantizedModelFolder(floatDir, once, { quantization: 'uint8', keepFloat32Below: 0 });
    expect(() => writeQuantizedModelFolder(once, path.join(workspace, 'twice'), { quantization: 'float16', keepFloat32Below: 0 })).toThrow(
      /weight 'conv1\/kernel' is already quantized \(uint8\); export from the float32 Model/,
    );
  });

  it('refuses weights that do not match model.json, before reading them', () => {
    const dir = path.join(workspace, 'truncated');
    fs.cpSync(floatDir, dir, { recursive: true });
    fs.truncateSync(path.join(dir, 'weights.bin'), 100);
    expect(() =>
      writeQuantizedModelFolder(dir, path.join(workspace, 'out-truncated'), { quantization: 'uint8', keepFloat32Below: 0 }),
    ).toThrow(/weight files of .*truncated hold 100 bytes but model\.json describes \d+; the folder mixes files/);
  });

  it('refuses non-finite weights and float16 overflow, naming the weight and the fix', () => {
    const dir = path.join(workspace, 'diverged');
    fs.cpSync(floatDir, dir, { recursive: true });
    const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
    weights.writeFloatLE(NaN, 8);
    fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
    const attempt = (quantization: WeightQuantization) => () =>
      writeQuantizedModelFolder(dir, path.join(workspace, `out-${quantization}`), { quantization, keepFloat32Below: 0 });
    expect(attempt('uint8')).toThrow(WeightQuantizationError);
    expect(attempt('uint8')).toThrow(/weight 'conv1\/kernel' holds NaN at index 2; .*retrain with a lower learning rate/);
    weights.writeFloatLE(1e5, 8);
    fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
    expect(attempt('float16')).toThrow(/reaches 100000, beyond float16's largest value 65504; export it with quantization 'uint8'/);
    expect(attempt('uint8')).not.toThrow();
  });

  it('refuses a folder without a model and writing over the source', () => {
    expect(() =>
      writeQuantizedModelFolder(path.join(workspace, 'nowhere'), path.join(workspace, 'x'), { quantization: 'uint8', keepFloat32Below: 0 }),
    ).toThrow(/cannot read .*nowhere\/model\.json: .*pass the Model artifact folder written by the train step/);
    expect(() => writeQuantizedModelFolder(floatDir, floatDir, { quantization: 'uint8', keepFloat32Below: 0 })).toThrow(
      /another folder than/,
    );
  });
});
