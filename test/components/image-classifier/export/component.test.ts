// The export-quantized component's implementation, run in-process: a small model's test images
// labelled with the float model's own predictions (so the float top-1 is 1 and the quantized
// top-1 is the share of predictions quantization kept), its outputs, and the tolerance check
// failing, with both models' figures, on a model whose uint8 grid is ruined by one outlier weight.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { exportQuantized } from '../../../../components/image-classifier/export/component';
import { QuantizationToleranceError } from '../../../../components/image-classifier/export/quantization-check';
import { labelMapJson, modelJson } from '../../../../components/image-classifier/evaluate/model-files';
import { logitsPredictor } from '../../../../components/image-classifier/evaluate/predict-split';
import { KfpTsError } from '../../../../compiler/errors/kfp-ts-error';
import { chooseTrainingBackend } from '../../../../components/image-classifier/train/backend-choice';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { writeDatasetFolder } from '../evaluate/tiny-image-classifier';
import { SMALL_LABELS, SMALL_SIZE, seededUniform, writeSmallModelFolder } from './small-model-folder';

const TEST_IMAGES = 64;
let workspace: string;

const artifact = (name: string) => {
  const where = path.join(workspace, name);
  return { uri: where, path: where, metadata: {} as Record<string, unknown> };
};

/** Noise images labelled with the model's own top-1 class. */
async function selfLabelledImages(modelDir: string): Promise<LabelledImage[]> {
  const random = seededUniform(21);
  // Each image a random colour with ±40 noise, so the model's predictions vary between images.
  const pixels = () => {
    const colour = [256 * random(), 256 * random(), 256 * random()];
    return Uint8Array.from({ length: SMALL_SIZE * SMALL_SIZE * 3 }, (_, j) =>
      Math.min(255, Math.max(0, Math.round(colour[j % 3]! + 80 * (random() - 0.5)))),
    );
  };
  const unlabelled = await Promise.all(
    Array.from({ length: TEST_IMAGES }, async (_, i) => ({
      encoded: await sharp(pixels(), { raw: { width: SMALL_SIZE, height: SMALL_SIZE, channels: 3 } })
        .png()
        .toBuffer(),
      label: 0,
      filename: `colour-${i}.png`,
    })),
  );
  const trained = await loadTrainedModel(modelDir);
  const { logits } = await (await logitsPredictor(trained.model)).predict(unlabelled, { imageSize: SMALL_SIZE, batchSize: 32 });
  trained.model.dispose();
  const K = SMALL_LABELS.length;
  const labelled = unlabelled.map((image, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (logits[i * K + k]! > logits[i * K + best]!) best = k;
    return { ...image, label: best };
  });
  // Predictions that differ between images, or quantization could not change any.
  expect(new Set(labelled.map((image) => image.label)).size).toBeGreaterThan(1);
  return labelled;
}

function writeCard(dir: string, labels: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    modelJson({ labels, tau: 0.5, margin: 0.1, temperature: 1.25, top1: 0.9, top3: 1, ece: 0.05 }),
  );
  fs.writeFileSync(path.join(dir, 'label_map.json'), labelMapJson(labels));
}

beforeAll(async () => {
  await chooseTrainingBackend('wasm');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-export-component-'));
  for (const [name, outlier] of [
    ['model', undefined],
    ['outlier-model', 400],
  ] as const) {
    await writeSmallModelFolder(artifact(name).path, 3, outlier);
    writeDatasetFolder(artifact(`${name}-test`).path, 'test', await selfLabelledImages(artifact(name).path), SMALL_LABELS, 1);
  }
  writeCard(artifact('card').path, SMALL_LABELS);
  writeCard(artifact('other-card').path, ['w', 'x', 'y', 'z']);
}, 30_000);
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

interface Overrides {
  readonly model?: string;
  readonly card?: string;
  readonly quantization?: string;
  readonly maxTop1Drop?: number;
}

async function run(runName: string, overrides: Overrides = {}) {
  const model = overrides.model ?? 'model';
  const outputs = {
    quantizedModel: artifact(`${runName}/model`),
    metrics: artifact(`${runName}/metrics`),
    report: artifact(`${runName}/report.md`),
  };
  const inputs = {
    model: artifact(model),
    modelCard: artifact(overrides.card ?? 'card'),
    test: artifact(`${model}-test`),
    quantization: overrides.quantization ?? 'uint8',
    keepFloat32Below: 1024,
    maxTop1Drop: overrides.maxTop1Drop ?? 0.01,
    maxEceIncrease: 0.01,
    bins: 15,
    backend: 'wasm',
  };
  const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { outputs, result: await exportQuantized.implementation({ inputs, outputs }) };
  } finally {
    logs.mockRestore();
  }
}

describe('export-quantized', () => {
  it.each(['uint8', 'float16'])(
    '%s: writes the quantized Model, both models side by side and returns the quantized figures',
    async (quantization) => {
      const { outputs, result } = await run(`ok-${quantization}`, { quantization });
      const metrics = outputs.metrics.metadata;
      expect(metrics.float_top1).toBe(1);
      expect(metrics.quantized_top1).toBeGreaterThanOrEqual(0.99);
      expect(metrics.within_tolerance).toBe(1);
      expect(metrics.temperature).toBe(1.25);
      expect(metrics.test_images).toBe(TEST_IMAGES);
      expect(result.top1).toBe(metrics.quantized_top1);
      expect(result.ece).toBe(metrics.quantized_ece);
      expect(Math.abs((metrics.quantized_ece as number) - (metrics.float_ece as number))).toBeLessThanOrEqual(0.01);
      expect(result.weightBytes).toBe(fs.statSync(path.join(outputs.quantizedModel.path, 'weights.bin')).size);
      expect(metrics.quantized_weight_bytes).toBe(result.weightBytes);
      const ratio = (metrics.float_weight_bytes as number) / result.weightBytes;
      expect(ratio).toBeGreaterThan(quantization === 'uint8' ? 3.3 : 1.9);
      expect(ratio).toBeLessThan(quantization === 'uint8' ? 4 : 2);
      expect(outputs.quantizedModel.metadata).toMatchObject({ quantization, labels: SMALL_LABELS, top1: result.top1, floatTop1: 1 });

      const report = fs.readFileSync(outputs.report.path, 'utf8');
      expect(report).toContain(`# Quantized model (${quantization})`);
      expect(report).toContain('Within the tolerance (top-1 drop ≤ 0.01, ECE increase ≤ 0.01) on 64 test images');
      expect(report).toMatch(new RegExp(`\\| top-1 \\| 1\\.0000 \\| ${result.top1.toFixed(4).replace('.', '\\.')} \\|`));
      expect(report).toContain('| conv2/kernel | 1,152 |');
      const json = JSON.parse(fs.readFileSync(outputs.metrics.path, 'utf8')) as { quantization: string; weights: unknown[] };
      expect(json.quantization).toBe(quantization);
      expect(json.weights).toHaveLength(10);
    },
  );

  it('fails with both models’ figures when uint8 costs more than the tolerance, after writing its report', async () => {
    const attempt = run('outlier-uint8', { model: 'outlier-model' });
    await expect(attempt).rejects.toThrow(QuantizationToleranceError);
    await expect(attempt).rejects.toThrow(
      /^the uint8 model is not good enough on the 64 test images: top-1 fell from 1\.0000 to \d\.\d{4} \(−\d\.\d{4}, more than maxTop1Drop 0\.01\).*Keep the float model for this app, export with quantization 'float16' \(near-lossless\), or raise the tolerance/,
    );
    const report = fs.readFileSync(path.join(workspace, 'outlier-uint8/report.md'), 'utf8');
    expect(report).toContain('**Outside** the tolerance');
  });

  it('passes the same model in float16, and the uint8 one when the tolerance allows its loss', async () => {
    const float16 = await run('outlier-float16', { model: 'outlier-model', quantization: 'float16' });
    expect(float16.result.top1).toBeGreaterThanOrEqual(0.99);
    const lenient = await run('outlier-lenient', { model: 'outlier-model', maxTop1Drop: 1 });
    expect(lenient.result.top1).toBeLessThan(0.99);
  });

  it('refuses bad inputs before any work, saying what to pass', async () => {
    await expect(run('bad-quantization', { quantization: 'int4' })).rejects.toThrow(/quantization is "int4"; use 'uint8' .* or 'float16'/);
    await expect(run('bad-tolerance', { maxTop1Drop: 2 })).rejects.toThrow(KfpTsError);
    await expect(run('bad-card', { card: 'other-card' })).rejects.toThrow(
      /the model card in .*other-card was made for other labels .*pass the modelCard the evaluate step wrote for this model/,
    );
    expect(fs.existsSync(path.join(workspace, 'bad-card'))).toBe(false);
  });
});
