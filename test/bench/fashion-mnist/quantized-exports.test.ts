// The bench's quantization figures on a finished run's folder: a small model whose uint8 export
// is ruined by one outlier weight (test/components/image-classifier/export/small-model-folder.ts),
// its test images labelled with the float model's own predictions (float top-1 is 1), laid out as
// the local runner leaves a run: each step's executor_output.json naming its artifacts' folders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {
  type QuantizationFigures,
  RunOutputsError,
  quantizationInputsOf,
  scoreQuantizedExports,
} from '../../../bench/fashion-mnist/quantized-exports';
import { quantizationTable } from '../../../bench/fashion-mnist/quantization-table';
import { labelMapJson, modelJson } from '../../../components/image-classifier/evaluate/model-files';
import { logitsPredictor } from '../../../components/image-classifier/evaluate/predict-split';
import { chooseTrainingBackend } from '../../../components/image-classifier/train/backend-choice';
import type { LabelledImage } from '../../../components/image-classifier/train/image-dataset';
import { loadTrainedModel } from '../../../components/image-classifier/train/trained-model';
import { writeDatasetFolder } from '../../components/image-classifier/evaluate/tiny-image-classifier';
import {
  SMALL_LABELS,
  SMALL_SIZE,
  seededUniform,
  writeSmallModelFolder,
} from '../../components/image-classifier/export/small-model-folder';

const TEST_IMAGES = 48;
let workspace: string;
let runRoot: string;

/** Noisy single-colour images labelled with the model's top-1 class. */
async function selfLabelledImages(modelDir: string): Promise<LabelledImage[]> {
  const random = seededUniform(7);
  const images = await Promise.all(
    Array.from({ length: TEST_IMAGES }, async (_, i) => {
      const colour = [256 * random(), 256 * random(), 256 * random()];
      const pixels = Uint8Array.from({ length: SMALL_SIZE * SMALL_SIZE * 3 }, (_, j) =>
        Math.min(255, Math.max(0, Math.round(colour[j % 3]! + 80 * (random() - 0.5)))),
      );
      return {
        encoded: await sharp(pixels, { raw: { width: SMALL_SIZE, height: SMALL_SIZE, channels: 3 } })
          .png()
          .toBuffer(),
        label: 0,
        filename: `colour-${i}.png`,
      };
    }),
  );
  const trained = await loadTrainedModel(modelDir);
  const { logits } = await (await logitsPredictor(trained.model)).predict(images, { imageSize: SMALL_SIZE, batchSize: 16 });
  trained.model.dispose();
  const K = SMALL_LABELS.length;
  return images.map((image, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (logits[i * K + k]! > logits[i * K + best]!) best = k;
    return { ...image, label: best };
  });
}

/** `<run>/<task>/executor_output.json` recording artifact `name` at `uri`. */
function recordOutput(run: string, task: string, name: string, uri: string): void {
  fs.mkdirSync(path.join(run, task), { recursive: true });
  fs.writeFileSync(
    path.join(run, task, 'executor_output.json'),
    JSON.stringify({ parameterValues: {}, artifacts: { [name]: { artifacts: [{ name, uri, metadata: {} }] } } }),
  );
}

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-quantization-'));
  runRoot = path.join(workspace, 'outputs', 'image-classifier', 'image-classifier-1');
  const model = path.join(runRoot, 'train', 'model');
  await writeSmallModelFolder(model, 3, 400);
  const test = path.join(runRoot, 'preprocess', 'test');
  writeDatasetFolder(test, 'test', await selfLabelledImages(model), SMALL_LABELS, 1);
  const card = path.join(runRoot, 'evaluate', 'modelCard');
  fs.mkdirSync(card, { recursive: true });
  fs.writeFileSync(
    path.join(card, 'model.json'),
    modelJson({ labels: SMALL_LABELS, tau: 0.5, margin: 0.1, temperature: 1.25, top1: 1, top3: 1, ece: 0.05 }),
  );
  fs.writeFileSync(path.join(card, 'label_map.json'), labelMapJson(SMALL_LABELS));
  recordOutput(runRoot, 'train', 'model', model);
  recordOutput(runRoot, 'evaluate', 'modelCard', `file://${card}`);
  recordOutput(runRoot, 'preprocess', 'test', test);
}, 30_000);
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

describe('quantizationInputsOf', () => {
  it("finds the Model, the model card and the test split from the steps' executor outputs", () => {
    expect(quantizationInputsOf(runRoot)).toEqual({
      model: path.join(runRoot, 'train', 'model'),
      modelCard: path.join(runRoot, 'evaluate', 'modelCard'),
      test: path.join(runRoot, 'preprocess', 'test'),
    });
  });

  it('says what is wrong with a folder that is not a finished run', () => {
    const bad = path.join(workspace, 'bad-run');
    expect(() => quantizationInputsOf(path.join(workspace, 'nowhere'))).toThrow(/nowhere is not a folder; pass a run folder/);
    fs.mkdirSync(bad, { recursive: true });
    expect(() => quantizationInputsOf(bad)).toThrow(
      /train[/\\]executor_output\.json is missing: .*bad-run is not a finished image-classifier run folder/,
    );
    recordOutput(bad, 'train', 'metrics', path.join(bad, 'train', 'metrics'));
    expect(() => quantizationInputsOf(bad)).toThrow(/records no 'model' artifact/);
    recordOutput(bad, 'train', 'model', 'gs://bucket/run/train/model');
    expect(() => quantizationInputsOf(bad)).toThrow(/the train step's 'model' is at gs:\/\/bucket\/run\/train\/model, not on this machine/);
    recordOutput(bad, 'train', 'model', path.join(bad, 'gone'));
    expect(() => quantizationInputsOf(bad)).toThrow(RunOutputsError);
  });
});

describe('scoreQuantizedExports', () => {
  it('scores float32, float16 and uint8 side by side, and reports a uint8 export over the tolerance instead of failing', async () => {
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    let figures: QuantizationFigures;
    try {
      figures = await scoreQuantizedExports(quantizationInputsOf(runRoot), path.join(workspace, 'exports'));
    } finally {
      logs.mockRestore();
    }
    expect(figures).toMatchObject({
      testImages: TEST_IMAGES,
      temperature: 1.25,
      maxTop1Drop: 0.01,
      maxEceIncrease: 0.01,
      keepFloat32Below: 1024,
    });
    const [float32, float16, uint8] = figures.rows;
    expect(figures.rows.map((row) => row.weights)).toEqual(['float32', 'float16', 'uint8']);
    expect(float32).toMatchObject({ top1: 1, top3: 1, sameTop1AsFloat32: null, withinTolerance: null, report: null });
    expect(float16).toMatchObject({ withinTolerance: true, toleranceError: null });
    expect(float16!.top1).toBeGreaterThanOrEqual(0.99);
    expect(uint8!.withinTolerance).toBe(false);
    expect(uint8!.toleranceError).toMatch(/^the uint8 model is not good enough on the 48 test images: top-1 fell from 1\.0000/);
    expect(uint8!.top1).toBeLessThan(0.99);
    expect(uint8!.sameTop1AsFloat32).toBe(uint8!.top1);
    expect(float32!.weightBytes).toBe(fs.statSync(path.join(runRoot, 'train', 'model', 'weights.bin')).size);
    for (const row of [float16!, uint8!]) {
      expect(row.weightBytes).toBe(fs.statSync(path.join(workspace, 'exports', row.weights, 'model', 'weights.bin')).size);
      expect(fs.readFileSync(row.report!, 'utf8')).toContain(`# Quantized model (${row.weights})`);
    }
    expect(float32!.weightBytes / float16!.weightBytes).toBeGreaterThan(1.9);
    expect(float32!.weightBytes / uint8!.weightBytes).toBeGreaterThan(3.3);

    const lines = quantizationTable(figures).split('\n');
    expect(lines[0]).toBe('| weights | top-1 | top-3 | ECE (temperature-scaled) | same top-1 as float32 | weights bytes |');
    expect(lines[2]).toBe(
      `| float32 | 1.0000 | 1.0000 | ${float32!.ece.toFixed(4)} | — | ${float32!.weightBytes.toLocaleString('en-US')} |`,
    );
    expect(lines[4]).toBe(
      `| uint8 | ${uint8!.top1.toFixed(4)} | ${uint8!.top3.toFixed(4)} | ${uint8!.ece.toFixed(4)} | ${(100 * uint8!.top1).toFixed(2)} % | ${uint8!.weightBytes.toLocaleString('en-US')} |`,
    );
    expect(lines).toContain("- float16 within the export step's tolerance (top-1 drop ≤ 0.01, ECE increase ≤ 0.01)");
    expect(
      lines.some((line) =>
        line.startsWith(
          "- uint8 EXCEEDED the export step's tolerance (top-1 drop ≤ 0.01, ECE increase ≤ 0.01): the uint8 model is not good enough",
        ),
      ),
    ).toBe(true);
  }, 60_000);
});
