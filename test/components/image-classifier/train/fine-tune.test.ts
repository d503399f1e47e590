// Fine-tuning and warm starts on the wasm backend, on the tiny dark-vs-bright set: the head is
// replaced for a new label map, the base stays put while the head trains alone, every layer moves
// once unfrozen, a warm start keeps the head, and bad base models are refused with what to fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BaseModelError, baseModelLocation } from '../../../../components/image-classifier/train/base-model';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import { buildCnn, type CnnOptions } from '../../../../components/image-classifier/train/cnn';
import {
  startFromBaseModel,
  type BaseModelStartOptions,
  type FineTuneStart,
} from '../../../../components/image-classifier/train/fine-tune';
import { fineTuneClassifier } from '../../../../components/image-classifier/train/fine-tune-training';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { evaluateClassifier } from '../../../../components/image-classifier/train/predict';
import { loadTrainedModel, preprocessingFor, saveTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { trainClassifier, type TrainOptions } from '../../../../components/image-classifier/train/training-loop';
import { FileSource } from '../../../../components/image-classifier/lib/storage/file-source';
import { CLASSES } from './synthetic-shards';
import { TINY_CNN, TINY_SIZE, TINY_TRAINING, tinySplits } from './tiny-classifier';

const BN_CNN: CnnOptions = { ...TINY_CNN, batchNorm: true };
const TRAINING: TrainOptions = { ...TINY_TRAINING, decodeWorkers: 0 };
let workspace: string;
let train: LabelledImage[];
let val: LabelledImage[];
/** A trained dark/bright model folder, with batch norm, as the train step writes it. */
let baseDir: string;

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-fine-tune-'));
  ({ train, val } = await tinySplits(48, 16));
  const model = buildCnn(BN_CNN);
  await trainClassifier(model, train, val, { ...TRAINING, epochs: 2 });
  baseDir = path.join(workspace, 'base');
  await saveTrainedModel(baseDir, { model, labels: CLASSES, preprocessing: preprocessingFor(TINY_SIZE) });
  model.dispose();
}, 60_000);
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const startOptions = (labels: readonly string[], overrides: Partial<BaseModelStartOptions> = {}): BaseModelStartOptions => ({
  labels,
  input: { imageSize: TINY_SIZE, channels: 3, preprocessing: preprocessingFor(TINY_SIZE) as unknown as Record<string, unknown> },
  seed: 7,
  ...overrides,
});

/** Every variable's values by its saved name, e.g. 'conv1/kernel'. */
async function valuesByName(model: tf.LayersModel): Promise<Map<string, Float32Array>> {
  return new Map(await Promise.all(model.weights.map(async (w) => [w.originalName, (await w.read().data()) as Float32Array] as const)));
}

const same = (a: Float32Array | undefined, b: Float32Array | undefined) =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/** The tiny set relabelled as three classes of a new label map: dark → 'low', bright → 'high', mapped by index. */
const relabel = (images: readonly LabelledImage[], mapping: readonly number[]) =>
  images.map((image) => ({ ...image, label: mapping[image.label]! }));

describe('startFromBaseModel', () => {
  it('replaces the class layer for a label map sharing classes, keeps the features, the hidden head layers and the columns of shared classes', async () => {
    const base = await loadTrainedModel(baseDir);
    const baseValues = await valuesByName(base.model);
    const start = await startFromBaseModel(baseDir, baseDir, startOptions(['bright', 'dim', 'dark']));
    try {
      expect(start.mode).toBe('new-head');
      expect(start.model.outputs[0]!.shape).toEqual([null, 3]);
      // The head is every layer after global pooling, all trained while the features are frozen.
      expect(start.head.map((layer) => layer.name)).toEqual(['dropout_hidden', 'hidden', 'dropout_output', 'probabilities']);
      expect(start.record).toMatchObject({
        uri: baseDir,
        mode: 'new-head',
        labels: ['dark', 'bright'],
        keptClasses: ['bright', 'dark'],
        newLayers: ['probabilities'],
      });
      const values = await valuesByName(start.model);
      for (const [name, value] of baseValues)
        if (!name.startsWith('probabilities/')) expect([name, same(values.get(name), value)]).toEqual([name, true]);
      // New column j of the kernel (features × classes): 'bright' (new 0) is old 1, 'dark' (new 2) is old 0.
      const features = (base.model.getLayer('probabilities').getWeights()[0] as tf.Tensor2D).shape[0];
      const oldKernel = baseValues.get('probabilities/kernel')!;
      const newKernel = values.get('probabilities/kernel')!;
      const column = (kernel: Float32Array, classes: number, c: number) =>
        Array.from({ length: features }, (_, f) => kernel[f * classes + c]);
      expect(column(newKernel, 3, 0)).toEqual(column(oldKernel, 2, 1));
      expect(column(newKernel, 3, 2)).toEqual(column(oldKernel, 2, 0));
      expect(column(newKernel, 3, 1)).not.toEqual(column(oldKernel, 2, 0));
      expect(Array.from(values.get('probabilities/bias')!)).toEqual([
        baseValues.get('probabilities/bias')![1],
        0,
        baseValues.get('probabilities/bias')![0],
      ]);
    } finally {
      start.model.dispose();
      base.model.dispose();
    }
  });

  it('starts the whole head again from seeded weights when no class is shared (include_top=False), keeping the features', async () => {
    const base = await loadTrainedModel(baseDir);
    const baseValues = await valuesByName(base.model);
    const first = await startFromBaseModel(baseDir, baseDir, startOptions(['high', 'low', 'middle']));
    const again = await startFromBaseModel(baseDir, baseDir, startOptions(['high', 'low', 'middle']));
    const otherSeed = await startFromBaseModel(baseDir, baseDir, startOptions(['high', 'low', 'middle'], { seed: 8 }));
    try {
      expect(first.head.map((layer) => layer.name)).toEqual(['dropout_hidden', 'hidden', 'dropout_output', 'probabilities']);
      expect(first.record).toMatchObject({ mode: 'new-head', keptClasses: [], newLayers: ['hidden', 'probabilities'] });
      // The same layers under the same names (a functional model lists its input layer, a Sequential not).
      const names = (model: tf.LayersModel) =>
        model.layers.filter((layer) => layer.getClassName() !== 'InputLayer').map((layer) => layer.name);
      expect(names(first.model)).toEqual(names(base.model));
      const values = await valuesByName(first.model);
      for (const [name, value] of baseValues) {
        const inHead = name.startsWith('hidden/') || name.startsWith('probabilities/');
        expect([name, same(values.get(name), value)]).toEqual([name, !inHead]);
      }
      expect(values.get('hidden/kernel')!.length).toBe(baseValues.get('hidden/kernel')!.length);
      expect(Array.from(values.get('hidden/bias')!).every((v) => v === 0)).toBe(true);
      // Seeded: the same seed draws the same new head, another seed another.
      expect(await valuesByName(again.model)).toEqual(values);
      expect(same((await valuesByName(otherSeed.model)).get('hidden/kernel'), values.get('hidden/kernel'))).toBe(false);
    } finally {
      for (const start of [first, again, otherSeed]) start.model.dispose();
      base.model.dispose();
    }
  });

  it('rebuilds a head with batch norm and activations as they started, and lets its batch norm learn its statistics', async () => {
    const dir = path.join(workspace, 'batch-norm-head');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [TINY_SIZE, TINY_SIZE, 3], filters: 2, kernelSize: 3, name: 'conv' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 4, name: 'hidden' }),
        tf.layers.batchNormalization({ name: 'hidden_bn', momentum: 0.5 }),
        tf.layers.activation({ activation: 'relu', name: 'hidden_relu' }),
        tf.layers.dense({ units: 2, activation: 'softmax', name: 'probabilities' }),
      ],
    });
    // Moving statistics and gamma away from their initial values, as a trained base has them.
    model.getLayer('hidden_bn').setWeights([tf.fill([4], 2), tf.fill([4], 0.5), tf.fill([4], 3), tf.fill([4], 4)]);
    await saveTrainedModel(dir, { model, labels: CLASSES, preprocessing: preprocessingFor(TINY_SIZE) });
    model.dispose();
    const start = await startFromBaseModel(dir, dir, startOptions(['high', 'low']));
    try {
      expect(start.head.map((layer) => `${layer.name}:${layer.getClassName()}`)).toEqual([
        'hidden:Dense',
        'hidden_bn:BatchNormalization',
        'hidden_relu:Activation',
        'probabilities:Dense',
      ]);
      expect(start.record.newLayers).toEqual(['hidden', 'hidden_bn', 'probabilities']);
      const bn = start.model.getLayer('hidden_bn');
      expect(bn.getConfig()['momentum']).toBe(0.5);
      expect(await Promise.all(bn.getWeights().map((w) => w.array()))).toEqual([
        [1, 1, 1, 1],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 1, 1],
      ]);
      // In training mode a new head's batch norm updates its moving statistics (it is not held to the base's).
      const x = tf.randomUniform([4, TINY_SIZE, TINY_SIZE, 3], 0, 1, 'float32', 3);
      tf.dispose(start.model.apply(x, { training: true }) as tf.Tensor);
      x.dispose();
      expect(Array.from(await bn.getWeights()[2]!.data()).some((v) => v !== 0)).toBe(true);
    } finally {
      start.model.dispose();
    }
  });

  it('starts a warm start from the base itself when the label map is the same', async () => {
    const base = await loadTrainedModel(baseDir);
    const start = await startFromBaseModel(baseDir, baseDir, startOptions(CLASSES));
    try {
      expect(start.mode).toBe('warm-start');
      expect(start.record).toMatchObject({ mode: 'warm-start', labels: CLASSES, keptClasses: CLASSES });
      const [baseValues, values] = [await valuesByName(base.model), await valuesByName(start.model)];
      expect([...values.keys()].sort()).toEqual([...baseValues.keys()].sort());
      for (const [name, value] of baseValues) expect([name, same(values.get(name), value)]).toEqual([name, true]);
    } finally {
      start.model.dispose();
      base.model.dispose();
    }
  });

  it('reads the classifier part of a serving bundle, and gs:// URIs through the FUSE mount', async () => {
    const bundle = path.join(workspace, 'bucket', 'bundle');
    fs.cpSync(baseDir, path.join(bundle, 'classifier'), { recursive: true });
    fs.writeFileSync(path.join(bundle, 'serving.json'), JSON.stringify({ format: 'kfp-ts.image-classifier', version: 1, labels: CLASSES }));
    const files = new FileSource({ fuseRoot: workspace, gcsAccess: 'fuse' });
    const uri = 'gs://bucket/bundle';
    expect(baseModelLocation({ uri, path: '/gcs/bucket/bundle' })).toBe(uri);
    expect(baseModelLocation({ uri: '/local/model', path: '/local/model' })).toBe('/local/model');
    const start = await startFromBaseModel(uri, uri, startOptions(CLASSES, { files }));
    expect(start.record).toMatchObject({ uri, modelFolder: 'gs://bucket/bundle/classifier', mode: 'warm-start' });
    start.model.dispose();
  });
});

describe('fineTuneClassifier', () => {
  // 'dark' and 'bright' under new names: a new head (hidden layer included) that has to learn them from the kept features.
  const labels = ['high', 'low'];
  const mapping = [1, 0];

  async function fineTune(
    settings: { headEpochs: number; learningRateFactor: number },
    epochs: number,
  ): Promise<{
    start: FineTuneStart;
    before: Map<string, Float32Array>;
    after: Map<string, Float32Array>;
    result: Awaited<ReturnType<typeof fineTuneClassifier>>;
  }> {
    const start = await startFromBaseModel(baseDir, baseDir, startOptions(labels));
    const before = await valuesByName(start.model);
    const result = await fineTuneClassifier(
      start,
      relabel(train, mapping),
      relabel(val, mapping),
      { ...TRAINING, epochs, numClasses: 2 },
      settings,
    );
    return { start, before, after: await valuesByName(start.model), result };
  }

  it('trains only the new head while the base is frozen, batch-norm statistics included', async () => {
    const { start, before, after, result } = await fineTune({ headEpochs: 2, learningRateFactor: 0.1 }, 2);
    try {
      expect(result.epochsRun).toBe(2);
      for (const [name, value] of before) {
        const inHead = name.startsWith('hidden/') || name.startsWith('probabilities/');
        expect([name, same(after.get(name), value)]).toEqual([name, !inHead]);
      }
      expect(start.model.layers.every((layer) => layer.trainable)).toBe(true);
    } finally {
      start.model.dispose();
    }
  }, 30_000);

  it('then trains every layer at the lower rate, the moving statistics kept, and numbers the epochs across both phases', async () => {
    const lines: string[] = [];
    const start = await startFromBaseModel(baseDir, baseDir, startOptions(labels));
    const before = await valuesByName(start.model);
    try {
      const result = await fineTuneClassifier(
        start,
        relabel(train, mapping),
        relabel(val, mapping),
        { ...TRAINING, epochs: 3, numClasses: 2, schedule: 'constant', log: (line) => lines.push(line) },
        { headEpochs: 1, learningRateFactor: 0.1 },
      );
      const after = await valuesByName(start.model);
      expect(result.history.map((epoch) => epoch.epoch)).toEqual([1, 2, 3]);
      expect(result.history.map((epoch) => epoch.learningRate)).toEqual([0.01, 0.001, 0.001]);
      expect(lines).toContain('training the new head alone for 1 epoch(s), the base frozen');
      expect(lines.some((line) => line.startsWith('all layers: epoch 2/2: '))).toBe(true);
      for (const [name, value] of before) {
        const statistic = /moving_(mean|variance)$/.test(name);
        expect([name, same(after.get(name), value)]).toEqual([name, statistic]);
      }
      const scored = await evaluateClassifier(start.model, relabel(val, mapping), { imageSize: TINY_SIZE, batchSize: 8 });
      expect(scored.accuracy).toBe(result.best.valAccuracy);
    } finally {
      start.model.dispose();
    }
  }, 30_000);

  it('continues a warm start with the base head, and the saved model loads as the train step writes it', async () => {
    const start = await startFromBaseModel(baseDir, baseDir, startOptions(CLASSES));
    const before = await valuesByName(start.model);
    const out = path.join(workspace, 'warm');
    try {
      // A one-epoch run with the recipe's one-epoch warm-up: the warm-up is cut to fit the phase.
      const result = await fineTuneClassifier(
        start,
        train,
        val,
        { ...TRAINING, epochs: 1, warmupEpochs: 1, schedule: 'constant' },
        { headEpochs: 3, learningRateFactor: 0.5 },
      );
      expect(result.history.map((epoch) => epoch.learningRate)).toEqual([0.005]);
      const after = await valuesByName(start.model);
      expect(same(after.get('probabilities/kernel'), before.get('probabilities/kernel'))).toBe(false);
      expect(same(after.get('conv1/kernel'), before.get('conv1/kernel'))).toBe(false);
      await saveTrainedModel(out, { model: start.model, labels: CLASSES, preprocessing: preprocessingFor(TINY_SIZE) });
    } finally {
      start.model.dispose();
    }
    const reloaded = await loadTrainedModel(out);
    expect(await valuesByName(reloaded.model)).toEqual(await valuesByName((await loadTrainedModel(out)).model));
    const scored = await evaluateClassifier(reloaded.model, val, { imageSize: TINY_SIZE, batchSize: 8 });
    expect(scored.accuracy).toBeGreaterThanOrEqual(0.9);
    reloaded.model.dispose();
  }, 30_000);

  it('is reproducible from the seed, dropout included', async () => {
    const first = await fineTune({ headEpochs: 1, learningRateFactor: 0.1 }, 2);
    const second = await fineTune({ headEpochs: 1, learningRateFactor: 0.1 }, 2);
    expect(second.after).toEqual(first.after);
    first.start.model.dispose();
    second.start.model.dispose();
  }, 60_000);

  it('frees what it allocates', async () => {
    const before = tf.memory().numTensors;
    const { start } = await fineTune({ headEpochs: 1, learningRateFactor: 0.1 }, 2);
    start.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});

describe('base models that cannot be used', () => {
  /** A copy of the base folder, changed by `change`. */
  function brokenCopy(name: string, change: (dir: string) => void): string {
    const dir = path.join(workspace, name);
    fs.cpSync(baseDir, dir, { recursive: true });
    change(dir);
    return dir;
  }
  const editJson = (file: string, edit: (json: Record<string, any>) => void) => {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json);
    fs.writeFileSync(file, JSON.stringify(json));
  };
  const start = (dir: string, overrides: Partial<BaseModelStartOptions> = {}) =>
    startFromBaseModel(dir, dir, startOptions(CLASSES, overrides));

  it('names a different input size and says which imageSize to set', async () => {
    const wrongSize = startOptions(CLASSES, {
      input: { imageSize: 32, channels: 3, preprocessing: preprocessingFor(32) as unknown as Record<string, unknown> },
    });
    await expect(startFromBaseModel(baseDir, baseDir, wrongSize)).rejects.toThrow(
      new BaseModelError(
        `the base model ${baseDir} takes input [null,16,16,3] but this run trains on 32×32×3 images; set the train step's imageSize to 16.`,
      ),
    );
  });

  it('names different channels', async () => {
    await expect(start(baseDir, { input: { imageSize: TINY_SIZE, channels: 1, preprocessing: {} } })).rejects.toThrow(
      `takes input [null,16,16,3] but this run trains on 16×16×1 images; set the train step's imageSize to 16 and give it 3-channel images.`,
    );
  });

  it('names preprocessing that differs from this run', async () => {
    const dir = brokenCopy('other-normalization', (d) =>
      editJson(path.join(d, 'preprocessing.json'), (json) => (json['normalization'] = { scale: 2 / 255, offset: -1 })),
    );
    await expect(start(dir)).rejects.toThrow(`was trained on images prepared with normalization {"scale":0.00784313725490196,"offset":-1}`);
  });

  it('refuses a model without a recognizable head', async () => {
    const dir = path.join(workspace, 'no-head');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [TINY_SIZE, TINY_SIZE, 3], filters: 2, kernelSize: 3, name: 'conv' }),
        tf.layers.globalAveragePooling2d({ name: 'pool' }),
        tf.layers.dense({ units: 2, activation: 'relu', name: 'scores' }),
      ],
    });
    await saveTrainedModel(dir, { model, labels: CLASSES, preprocessing: preprocessingFor(TINY_SIZE) });
    model.dispose();
    await expect(start(dir)).rejects.toThrow(
      `the base model ${dir} has no recognizable classification head: its output layer is 'scores' (Dense, activation relu); fine-tuning replaces a final Dense layer with softmax activation`,
    );
  });

  it('accepts a linear Dense followed by a softmax activation as the head', async () => {
    const dir = path.join(workspace, 'separate-softmax');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [TINY_SIZE, TINY_SIZE, 3], filters: 2, kernelSize: 3, name: 'conv' }),
        tf.layers.globalAveragePooling2d({ name: 'pool' }),
        tf.layers.dense({ units: 2, name: 'logits' }),
        tf.layers.activation({ activation: 'softmax', name: 'softmax' }),
      ],
    });
    await saveTrainedModel(dir, { model, labels: CLASSES, preprocessing: preprocessingFor(TINY_SIZE) });
    model.dispose();
    const started = await startFromBaseModel(dir, dir, startOptions(['a', 'b', 'c']));
    expect(started.model.layers.map((layer) => layer.name)).toEqual(['conv_input', 'conv', 'pool', 'logits']);
    expect(started.model.outputs[0]!.shape).toEqual([null, 3]);
    started.model.dispose();
  });

  it('names unreadable and inconsistent model files', async () => {
    const missing = path.join(workspace, 'nothing-here');
    await expect(start(missing)).rejects.toThrow(
      `the base model has no model.json: ${missing}/model.json does not exist; pass the Model artifact of a train step`,
    );
    const notJson = brokenCopy('not-json', (d) => fs.writeFileSync(path.join(d, 'model.json'), '{"modelTopology": '));
    await expect(start(notJson)).rejects.toThrow(`the base model's model.json ${notJson}/model.json is not JSON`);
    const graph = brokenCopy('graph-model', (d) => editJson(path.join(d, 'model.json'), (json) => delete json['modelTopology']));
    await expect(start(graph)).rejects.toThrow('is not a tfjs Layers model.json (it needs modelTopology and weightsManifest)');
    const noWeights = brokenCopy('no-weights', (d) => fs.rmSync(path.join(d, 'weights.bin')));
    await expect(start(noWeights)).rejects.toThrow(`the base model has no weight file: ${noWeights}/weights.bin does not exist`);
    const outside = brokenCopy('outside', (d) =>
      editJson(path.join(d, 'model.json'), (json) => (json['weightsManifest'][0].paths = ['../base/weights.bin'])),
    );
    await expect(start(outside)).rejects.toThrow(`lists weight file "../base/weights.bin", which is not a path inside the model folder`);
    const short = brokenCopy('short', (d) => fs.truncateSync(path.join(d, 'weights.bin'), 100));
    await expect(start(short)).rejects.toThrow(`the weight files of the base model ${short} hold 100 bytes but model.json describes`);
    const tooLong = brokenCopy('too-long', (d) => fs.appendFileSync(path.join(d, 'weights.bin'), Buffer.alloc(8)));
    await expect(start(tooLong)).rejects.toThrow(/cannot read the base model's weight file .*too-long\/weights\.bin: .*too large|larger/);
    const labels = brokenCopy('three-labels', (d) => fs.writeFileSync(path.join(d, 'label_map.json'), '{"0": "a", "1": "b", "2": "c"}'));
    await expect(start(labels)).rejects.toThrow(`the base model ${labels} has 2 outputs but its label_map.json names 3 classes`);
    const renamed = brokenCopy('renamed-weight', (d) =>
      editJson(path.join(d, 'model.json'), (json) => (json['weightsManifest'][0].weights[0].name = 'other/kernel')),
    );
    await expect(start(renamed)).rejects.toThrow(`the weights of ${renamed} do not fit its model.json`);
    const bundle = brokenCopy('foreign-bundle', (d) => fs.writeFileSync(path.join(d, 'serving.json'), '{"format": "something-else"}'));
    await expect(start(bundle)).rejects.toThrow(`${bundle}/serving.json is not a kfp-ts serving bundle`);
  });
});
