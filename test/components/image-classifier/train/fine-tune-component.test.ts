// The train component with a baseModel: in process (what it records on the output Model), and
// through the local runner from an importer (the base is an INPUT event of the train execution).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Dataset, Model, compilePipeline, importer, pipeline } from '../../../../compiler';
import { TRAIN_DEFAULTS, train } from '../../../../components/image-classifier/train/component';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { runPipeline } from '../../../../runner/run-pipeline';
import { classifierCompileOptions, putClassifierCommandsOnPath, repoRoot } from '../../../support/classifier-compile-options';
import { query } from '../../../runner/support';
import { syntheticImages, writeDatasetFolder } from './synthetic-shards';

const SIZE = 16;
let workspace: string;

const artifact = (name: string) => {
  const where = path.join(workspace, name);
  return { uri: where, path: where, metadata: {} as Record<string, unknown> };
};

/** The component's defaults (the executor passes every value), made small and fast. */
const inputs = (overrides: Record<string, unknown> = {}) => ({
  ...TRAIN_DEFAULTS,
  train: artifact('train'),
  val: artifact('val'),
  architecture: 'small-cnn',
  epochs: 2,
  batchSize: 8,
  learningRate: 0.01,
  imageSize: SIZE,
  filters: 8,
  blocks: 2,
  denseUnits: 16,
  dropout: 0.1,
  patience: 0,
  backend: 'wasm',
  seed: 13,
  headEpochs: 1,
  fineTuneLearningRateFactor: 0.1,
  baseModel: undefined as ReturnType<typeof artifact> | undefined,
  ...overrides,
});

async function quietly<T>(body: () => T | Promise<T>): Promise<{ result: T; lines: string[] }> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const result = await body();
    return { result, lines: log.mock.calls.map((call) => String(call[0])) };
  } finally {
    log.mockRestore();
  }
}

beforeAll(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-fine-tune-component-'));
  writeDatasetFolder(path.join(workspace, 'train'), 'train', await syntheticImages(32, SIZE, 1), SIZE, 1);
  writeDatasetFolder(path.join(workspace, 'val'), 'val', await syntheticImages(16, SIZE, 2), SIZE, 1);
  // The same images under other class names: a base trained on them needs a new head here.
  for (const split of ['train', 'val']) {
    fs.cpSync(path.join(workspace, split), path.join(workspace, `renamed-${split}`), { recursive: true });
    fs.writeFileSync(path.join(workspace, `renamed-${split}`, 'label_map.json'), '{"0": "high", "1": "low"}\n');
  }
  await quietly(() =>
    train.implementation({
      inputs: inputs({ baseModel: undefined }),
      outputs: { model: artifact('base'), metrics: artifact('base-metrics') },
    }),
  );
}, 60_000);
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

it('warm-starts from a Model of the same classes and records the base on the output Model', async () => {
  const outputs = { model: artifact('warm'), metrics: artifact('warm-metrics') };
  const { result, lines } = await quietly(() => train.implementation({ inputs: inputs({ baseModel: artifact('base') }), outputs }));
  expect(lines).toContain(
    `[train] warm start from ${path.join(workspace, 'base')}: same 2 classes, continuing to train the whole model, head included`,
  );
  expect(lines).toContain('[train] warm start: every layer trains at learning rate 0.001 (0.1 × 0.01)');
  expect(result.epochsRun).toBe(2);
  expect(outputs.model.metadata).toMatchObject({
    labels: ['dark', 'bright'],
    baseModel: { uri: path.join(workspace, 'base'), mode: 'warm-start', labels: ['dark', 'bright'], keptClasses: ['dark', 'bright'] },
    hyperparameters: { headEpochs: 1, fineTuneLearningRateFactor: 0.1 },
  });
}, 30_000);

it('fine-tunes a Model of other classes with a new head, and the result loads as any train output', async () => {
  const outputs = { model: artifact('tuned'), metrics: artifact('tuned-metrics') };
  const { result, lines } = await quietly(() =>
    train.implementation({
      inputs: inputs({ train: artifact('renamed-train'), val: artifact('renamed-val'), baseModel: artifact('base') }),
      outputs,
    }),
  );
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^\[train\] fine-tuning .*\/base: head '[^']+' of 2 outputs replaced by one of 2; 0 class\(es\) keep their head weights; new weights: hidden, probabilities$/,
    ),
  );
  expect(lines).toContainEqual(expect.stringMatching(/^\[train\] head: epoch 1\/1: /));
  expect(lines).toContainEqual(expect.stringMatching(/^\[train\] all layers: epoch 1\/1: /));
  expect(result.epochsRun).toBe(2);
  expect(outputs.model.metadata).toMatchObject({
    labels: ['high', 'low'],
    baseModel: { mode: 'new-head', labels: ['dark', 'bright'], keptClasses: [], newLayers: ['hidden', 'probabilities'] },
  });
  const tuned = await loadTrainedModel(outputs.model.path);
  expect(tuned.labels).toEqual(['high', 'low']);
  tuned.model.dispose();
}, 30_000);

it('refuses a base model of another input size before training', async () => {
  const outputs = { model: artifact('wrong-size'), metrics: artifact('wrong-size-metrics') };
  await expect(
    quietly(() => train.implementation({ inputs: inputs({ imageSize: 24, baseModel: artifact('base') }), outputs })),
  ).rejects.toThrow(
    `the base model ${path.join(workspace, 'base')} takes input [null,16,16,3] but this run trains on 24×24×3 images; set the train step's imageSize to 16.`,
  );
  expect(fs.existsSync(path.join(outputs.model.path, 'model.json'))).toBe(false);
});

it('records the imported base model as an INPUT of the train execution when run by the runner', async () => {
  const p = pipeline({ name: 'fine-tune-lineage' }, () => {
    const trainSet = importer({ artifactUri: path.join(workspace, 'renamed-train'), artifactClass: Dataset });
    const valSet = importer({ artifactUri: path.join(workspace, 'renamed-val'), artifactClass: Dataset });
    const base = importer({ artifactUri: path.join(workspace, 'base'), artifactClass: Model });
    const tuned = train({
      train: trainSet.outputs.artifact,
      val: valSet.outputs.artifact,
      baseModel: base.outputs.artifact,
      imageSize: SIZE,
      epochs: 2,
      headEpochs: 1,
      backend: 'wasm',
    });
    return { model: tuned.outputs.model };
  });
  putClassifierCommandsOnPath();
  const metadataFile = path.join(workspace, 'metadata.sqlite');
  const result = await runPipeline(compilePipeline(p, classifierCompileOptions()), {
    pipelineRoot: path.join(workspace, 'runs'),
    metadataFile,
    workingDirectory: repoRoot,
  });
  expect(result.state).toBe('SUCCEEDED');
  const modelId = result.artifacts['model']![0]!.id;
  const [producer] = query<{ execution_id: number }>(
    metadataFile,
    'SELECT execution_id FROM Event WHERE artifact_id = ? AND type = 4',
    modelId,
  );
  const consumed = query<{ key: string; uri: string; type: string }>(
    metadataFile,
    `SELECT p.step_key AS key, a.uri, t.name AS type FROM Event e
       JOIN EventPath p ON p.event_id = e.id JOIN Artifact a ON a.id = e.artifact_id JOIN Type t ON t.id = a.type_id
      WHERE e.execution_id = ? AND e.type = 3 ORDER BY p.step_key`,
    producer!.execution_id,
  );
  expect(consumed).toEqual([
    { key: 'baseModel', uri: path.join(workspace, 'base'), type: 'system.Model' },
    { key: 'train', uri: path.join(workspace, 'renamed-train'), type: 'system.Dataset' },
    { key: 'val', uri: path.join(workspace, 'renamed-val'), type: 'system.Dataset' },
  ]);
  const metadata = result.artifacts['model']![0]!.artifact.metadata as Record<string, unknown>;
  expect(metadata['baseModel']).toMatchObject({ uri: path.join(workspace, 'base'), mode: 'new-head' });
}, 120_000);
