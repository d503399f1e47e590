// The Model folder: model.json + weights.bin through our own tf.io handlers (no tfjs-node), plus
// label_map.json and preprocessing.json; loading gives a model that predicts exactly the same.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { buildCnn } from '../../../../components/image-classifier/train/cnn';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { predictProbabilities } from '../../../../components/image-classifier/train/predict';
import { SeededDropout } from '../../../../components/image-classifier/train/seeded-dropout';
import { loadTrainedModel, preprocessingFor, saveTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { syntheticImages } from './synthetic-shards';

const SIZE = 16;
const LABELS = ['dark', 'bright', 'grey'];
let workspace: string;
let images: LabelledImage[];

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-train-model-'));
  images = await syntheticImages(6, SIZE, 3);
});
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function smallModel(): tf.Sequential {
  return buildCnn({
    imageSize: SIZE,
    numClasses: LABELS.length,
    filters: 4,
    blocks: 2,
    kernelSize: 3,
    denseUnits: 8,
    dropout: 0.2,
    batchNorm: true,
    seed: 2,
  });
}

async function savedFolder(name: string): Promise<string> {
  const dir = path.join(workspace, name);
  const model = smallModel();
  await saveTrainedModel(dir, { model, labels: LABELS, preprocessing: preprocessingFor(SIZE) });
  model.dispose();
  return dir;
}

describe('saveTrainedModel / loadTrainedModel', () => {
  it('round-trips to a model with identical predictions, labels and preprocessing', async () => {
    const dir = path.join(workspace, 'round-trip');
    const model = smallModel();
    const before = await predictProbabilities(model, images, { imageSize: SIZE, batchSize: 4 });
    await saveTrainedModel(dir, { model, labels: LABELS, preprocessing: preprocessingFor(SIZE) });

    expect(fs.readdirSync(dir).sort()).toEqual(['label_map.json', 'model.json', 'preprocessing.json', 'weights.bin']);
    const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest).toHaveLength(1);
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe(4 * model.countParams());
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'label_map.json'), 'utf8'))).toEqual({ 0: 'dark', 1: 'bright', 2: 'grey' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8'))).toMatchObject({
      imageSize: SIZE,
      layout: 'NHWC',
      normalization: { scale: 1 / 255, offset: 0 },
    });

    const loaded = await loadTrainedModel(dir);
    expect(loaded.labels).toEqual(LABELS);
    expect(loaded.preprocessing).toEqual(preprocessingFor(SIZE));
    // The seeded dropout layers come back as stock Dropout: no custom class is needed to load.
    expect(loaded.model.layers.map((layer) => layer.getClassName())).toContain('Dropout');
    const after = await predictProbabilities(loaded.model, images, { imageSize: SIZE, batchSize: 4 });
    expect([...after]).toEqual([...before]);
    model.dispose();
    loaded.model.dispose();
  });

  it('names what is wrong with a damaged or mixed-up folder', async () => {
    const missing = await savedFolder('missing-weights');
    fs.rmSync(path.join(missing, 'weights.bin'));
    await expect(loadTrainedModel(missing)).rejects.toThrow(
      `lists weight file 'weights.bin', which is missing from ${missing}; copy the whole model folder.`,
    );

    const truncated = await savedFolder('truncated');
    const weights = fs.readFileSync(path.join(truncated, 'weights.bin'));
    fs.writeFileSync(path.join(truncated, 'weights.bin'), weights.subarray(0, weights.length - 4));
    await expect(loadTrainedModel(truncated)).rejects.toThrow(
      `the weight files of ${truncated} hold ${weights.length - 4} bytes but model.json describes ${weights.length}`,
    );

    const relabelled = await savedFolder('relabelled');
    fs.writeFileSync(path.join(relabelled, 'label_map.json'), '{"0": "a", "1": "b"}\n');
    await expect(loadTrainedModel(relabelled)).rejects.toThrow(
      'outputs 3 classes but label_map.json names 2; the folder mixes files of different runs.',
    );

    const resized = await savedFolder('resized');
    fs.writeFileSync(path.join(resized, 'preprocessing.json'), JSON.stringify(preprocessingFor(32)));
    await expect(loadTrainedModel(resized)).rejects.toThrow('takes input [null,16,16,3] but preprocessing.json says 32×32×3');

    await expect(loadTrainedModel(path.join(workspace, 'nowhere'))).rejects.toThrow(
      /^cannot read .*preprocessing\.json: .*the train step writes it into the Model folder\.$/,
    );
  });

  it('refuses labels that do not match the model outputs', async () => {
    const model = smallModel();
    await expect(
      saveTrainedModel(path.join(workspace, 'bad'), { model, labels: ['a', 'b'], preprocessing: preprocessingFor(SIZE) }),
    ).rejects.toThrow('the model outputs 3 classes but 2 labels were given');
    model.dispose();
  });
});

describe('SeededDropout', () => {
  it('draws a new mask at every training call, the same sequence for the same seed, and passes through at inference', () => {
    const x = tf.ones([1, 64]);
    const masks = (seed: number) => {
      const layer = new SeededDropout({ rate: 0.5, seed });
      return [0, 1].map(() => [...(layer.apply(x, { training: true }) as tf.Tensor).dataSync()]);
    };
    const [first, second] = masks(7);
    expect(first).not.toEqual(second);
    expect(new Set(first)).toEqual(new Set([0, 2])); // kept units are scaled by 1 / (1 − rate)
    expect(masks(7)).toEqual([first, second]);
    const inference = new SeededDropout({ rate: 0.5, seed: 7 }).apply(x) as tf.Tensor;
    expect([...inference.dataSync()]).toEqual(new Array(64).fill(1));
    expect(() => new SeededDropout({ rate: 1, seed: 1 })).toThrow('dropout rate must be in [0, 1), got 1');
  });
});
