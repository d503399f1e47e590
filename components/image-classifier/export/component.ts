/**
 * The `export-quantized` function component: a trained Model in, the same model with its weights
 * quantized to uint8 or float16 out (the tfjs weights-manifest `quantization` format, which
 * `tf.loadLayersModel` decodes natively: a smaller download for an app, same files otherwise), and
 * the check that it is still good enough.
 *
 * Both models are scored on the test split with the model card's temperature; the step fails, after
 * writing its report, when top-1 falls by more than `maxTop1Drop` or ECE rises by more than
 * `maxEceIncrease`.
 *
 * Outputs:
 * - `quantizedModel` (system.Model): the Model folder (model.json, weights.bin, label_map.json,
 *   preprocessing.json) with quantized weights; loadTrainedModel, the serving bundle and tfjs load it.
 * - `metrics` (system.Metrics): both models' top-1, top-3 and ECE, their differences and sizes in bytes.
 * - `report` (system.Markdown): the same side by side, with how each weight was stored.
 * - parameters `top1`, `ece` (the quantized model's) and `weightBytes`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Artifact, Dataset, Markdown, Metrics, Model, functionComponent, metricsOf, t } from '../../../compiler';
import { DEFAULT_CALIBRATION_BINS, checkBinCount } from '../evaluate/calibration';
import { requireSameLabelMap } from '../evaluate/label-map-agreement';
import { MODEL_CARD_FILES } from '../evaluate/component';
import { logitsPredictor, type SplitPredictions } from '../evaluate/predict-split';
import { STEPS_IMAGE } from '../images';
import { LABEL_MAP_FILE, readLabelMap } from '../preprocess/label-map';
import { readDecisionFile } from '../serving-bundle/bundle-layout';
import { chooseTrainingBackend, parseBackendPreference } from '../train/backend-choice';
import { readImageDataset, type LabelledImage } from '../train/image-dataset';
import { loadTrainedModel } from '../train/trained-model';
import { exportReportMarkdown } from './export-report';
import { checkTolerance, compareQuantized, requireWithinTolerance, type QuantizationComparison } from './quantization-check';
import { writeQuantizedModelFolder } from './quantized-model-folder';
import { WeightQuantizationError, parseWeightQuantization } from './quantize-weights';

export const EXPORT_DEFAULTS = {
  // float16 keeps top-1 and ECE to a few 1e-4 (README's table); uint8 is 2× smaller again but can
  // lose more than a small test split's tolerance allows, so it is chosen, not assumed.
  quantization: 'float16',
  keepFloat32Below: 1024,
  maxTop1Drop: 0.01,
  maxEceIncrease: 0.01,
  bins: DEFAULT_CALIBRATION_BINS,
  backend: 'auto',
} as const;

/** Images per forward pass, as the evaluate step's. */
const PREDICT_BATCH = 64;

const log = (line: string) => console.log(`[export] ${line}`);

/** Test-split logits of the Model folder `dir`. */
async function testLogits(dir: string, images: readonly LabelledImage[]): Promise<SplitPredictions> {
  const trained = await loadTrainedModel(dir);
  try {
    const predictor = await logitsPredictor(trained.model);
    return await predictor.predict(images, { imageSize: trained.preprocessing.imageSize, batchSize: PREDICT_BATCH });
  } finally {
    trained.model.dispose();
  }
}

function comparisonMetrics(c: QuantizationComparison): Record<string, number> {
  return {
    float_top1: c.float.top1,
    quantized_top1: c.quantized.top1,
    top1_drop: c.top1Drop,
    float_top3: c.float.top3,
    quantized_top3: c.quantized.top3,
    float_ece: c.float.ece,
    quantized_ece: c.quantized.ece,
    ece_increase: c.eceIncrease,
    float_ece_uncalibrated: c.float.eceUncalibrated,
    quantized_ece_uncalibrated: c.quantized.eceUncalibrated,
    top1_agreement: c.agreement,
    temperature: c.temperature,
    test_images: c.samples,
  };
}

export const exportQuantized = functionComponent({
  name: 'export-quantized',
  targetImage: STEPS_IMAGE,
  description:
    'Writes the trained image classifier with uint8 or float16 weights (the tfjs quantized weights format) for apps, and checks on the test split that top-1 and ECE stay within a tolerance of the float model, reporting both side by side with their sizes.',
  inputs: {
    model: Model,
    modelCard: Artifact,
    test: Dataset,
    quantization: t.string({
      default: EXPORT_DEFAULTS.quantization,
      description: "'uint8' (weights 4× smaller, per-tensor affine) or 'float16' (2× smaller, near-lossless).",
    }),
    keepFloat32Below: t.int({
      default: EXPORT_DEFAULTS.keepFloat32Below,
      description: 'Float32 weights with fewer values than this (biases, batch-norm statistics) are kept as they are; 0 quantizes all.',
    }),
    maxTop1Drop: t.float({
      default: EXPORT_DEFAULTS.maxTop1Drop,
      description: 'Largest allowed fall of test top-1 (0.01 = one point) from the float model to the quantized one.',
    }),
    maxEceIncrease: t.float({
      default: EXPORT_DEFAULTS.maxEceIncrease,
      description: 'Largest allowed rise of test ECE (temperature-scaled) from the float model to the quantized one.',
    }),
    bins: t.int({ default: EXPORT_DEFAULTS.bins, description: 'Equal-width confidence bins of ECE, as the evaluate step.' }),
    backend: t.string({ default: EXPORT_DEFAULTS.backend, description: "tfjs backend for inference, as the evaluate step's." }),
  },
  outputs: {
    quantizedModel: Model,
    metrics: Metrics,
    report: Markdown,
    top1: t.float(),
    ece: t.float(),
    weightBytes: t.int(),
  },
  implementation: async ({ inputs, outputs }) => {
    // Every input is checked before the slow part starts.
    const quantization = parseWeightQuantization(inputs.quantization);
    const requested = parseBackendPreference(inputs.backend);
    checkBinCount(inputs.bins);
    const tolerance = { maxTop1Drop: inputs.maxTop1Drop, maxEceIncrease: inputs.maxEceIncrease };
    checkTolerance(tolerance);
    const testSet = readImageDataset(inputs.test.path, 'test Dataset');
    const card = readDecisionFile(path.join(inputs.modelCard.path, MODEL_CARD_FILES.model));
    const labelsSha256 = requireSameLabelMap(
      { what: 'the model', where: inputs.model.path, labels: readLabelMap(path.join(inputs.model.path, LABEL_MAP_FILE)) },
      [{ what: 'the test Dataset', where: inputs.test.path, labels: testSet.labels }],
    );
    if (card.labelsSha256 !== labelsSha256) {
      throw new WeightQuantizationError(
        `the model card in ${inputs.modelCard.path} was made for other labels (labelsSha256 ${card.labelsSha256}) than the model in ${inputs.model.path} (${labelsSha256}); pass the modelCard the evaluate step wrote for this model.`,
      );
    }

    const folder = writeQuantizedModelFolder(inputs.model.path, outputs.quantizedModel.path, {
      quantization,
      keepFloat32Below: inputs.keepFloat32Below,
    });
    log(
      `weights ${folder.float.weights} → ${folder.quantized.weights} bytes (${quantization}); scoring both models on ${testSet.images.length} test images`,
    );
    await chooseTrainingBackend(requested, log);
    const floatLogits = await testLogits(inputs.model.path, testSet.images);
    // Loaded back through tfjs's own weight decoding, as an app will load it.
    const quantizedLogits = await testLogits(outputs.quantizedModel.path, testSet.images);
    const comparison = compareQuantized(floatLogits, quantizedLogits, card.temperature, inputs.bins);
    let failure: unknown;
    try {
      requireWithinTolerance(comparison, tolerance, quantization);
    } catch (error) {
      failure = error;
    }

    metricsOf(outputs.metrics).logMetrics({
      ...comparisonMetrics(comparison),
      float_bytes: folder.float.total,
      quantized_bytes: folder.quantized.total,
      float_weight_bytes: folder.float.weights,
      quantized_weight_bytes: folder.quantized.weights,
      max_top1_drop: tolerance.maxTop1Drop,
      max_ece_increase: tolerance.maxEceIncrease,
      within_tolerance: failure === undefined ? 1 : 0,
    });
    fs.mkdirSync(path.dirname(outputs.metrics.path), { recursive: true });
    fs.writeFileSync(
      outputs.metrics.path,
      `${JSON.stringify({ quantization, tolerance, comparison, sizes: { float: folder.float, quantized: folder.quantized }, weights: folder.weights }, null, 2)}\n`,
    );
    fs.mkdirSync(path.dirname(outputs.report.path), { recursive: true });
    fs.writeFileSync(
      outputs.report.path,
      exportReportMarkdown({ quantization, folder, comparison, tolerance, passed: failure === undefined }),
    );
    Object.assign(outputs.quantizedModel.metadata, {
      quantization,
      labels: [...testSet.labels],
      labelsSha256,
      bytes: folder.quantized.total,
      floatBytes: folder.float.total,
      top1: comparison.quantized.top1,
      ece: comparison.quantized.ece,
      floatTop1: comparison.float.top1,
      floatEce: comparison.float.ece,
    });
    log(
      `test top-1 ${comparison.float.top1.toFixed(4)} → ${comparison.quantized.top1.toFixed(4)}, ECE ${comparison.float.ece.toFixed(4)} → ${comparison.quantized.ece.toFixed(4)}, ` +
        `${folder.float.total} → ${folder.quantized.total} bytes, same top-1 on ${(100 * comparison.agreement).toFixed(2)} % of images`,
    );
    if (failure !== undefined) throw failure;
    return { top1: comparison.quantized.top1, ece: comparison.quantized.ece, weightBytes: folder.quantized.weights };
  },
});
