/**
 * The `evaluate` function component: a trained Model and the val/test Datasets in; calibration,
 * decision thresholds and the metrics a team reviews before deploying out.
 *
 * Outputs:
 * - `metrics` (system.Metrics): flat scalars of the test split after temperature scaling (top1,
 *   top3, ece, mce, adaptive/classwise ECE, brier, nll, macro P/R/F1), the same before scaling
 *   (`*_uncalibrated`), the temperature, tau/margin with their test coverage and selective accuracy,
 *   and `target_precision_reached` (0 when the thresholds fell back to tau = 1, margin = 0). Its file
 *   is a JSON report with per-class metrics, the reliability bins and the validation risk–coverage
 *   sweep, which KFP has no viewer for.
 * - `classification` (system.ClassificationMetrics): the test confusion matrix and the ROC of "the
 *   top-1 prediction is correct" scored by the calibrated confidence, in the KFP metadata shape the
 *   Vertex console renders (`confidenceMetrics` of `system.ClassificationMetrics`).
 * - `reliability` (system.HTML): reliability diagrams before and after temperature scaling.
 * - `modelCard` (Artifact): a folder with `model.json` (version, tau, margin, temperature, top1, top3,
 *   ece, labelsSha256) and `label_map.json`, for the app; its metadata holds any warnings.
 * - parameters `top1`, `top3`, `ece`, `tau`, `margin`, `temperature`, for a pipeline condition.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Artifact, ClassificationMetrics, Dataset, HTML, Metrics, Model, functionComponent, metricsOf, t } from '../../../compiler';
import { STEPS_IMAGE } from '../images';
import { LABEL_MAP_FILE, readLabelMap } from '../preprocess/label-map';
import { chooseTrainingBackend, parseBackendPreference } from '../train/backend-choice';
import { readImageDataset } from '../train/image-dataset';
import { loadTrainedModel } from '../train/trained-model';
import { DEFAULT_CALIBRATION_BINS, checkBinCount } from './calibration';
import { checkTargetPrecision, evaluatePredictions, type EvaluationOutcome } from './evaluate-predictions';
import { requireSameLabelMap } from './label-map-agreement';
import { logitsPredictor } from './predict-split';

export const EVALUATE_DEFAULTS = { targetPrecision: 0.9, bins: DEFAULT_CALIBRATION_BINS, backend: 'auto' } as const;
/** The modelCard folder's files (label_map.json here is the evaluate library's {labels, labelsSha256} form). */
export const MODEL_CARD_FILES = { model: 'model.json', labelMap: 'label_map.json' } as const;
/** Images per forward pass: inference keeps no activations for gradients, so this can be larger than a training batch. */
const PREDICT_BATCH = 64;

const log = (line: string) => console.log(`[evaluate] ${line}`);

/** The JSON file of the Metrics artifact: everything the scalar table cannot show. */
function detailedReport(outcome: EvaluationOutcome, logitsSource: string): unknown {
  const { calibrated, uncalibrated, thresholds, temperature } = outcome;
  return {
    scalars: outcome.scalars,
    labels: outcome.labels,
    labelsSha256: outcome.labelsSha256,
    logitsSource,
    temperature,
    thresholds,
    perClass: calibrated.classReport.perClass.map((metrics, k) => ({ label: outcome.labels[k], ...metrics })),
    confusionMatrix: outcome.classification.confusionMatrix,
    reliability: { calibrated: calibrated.reliability, uncalibrated: uncalibrated.reliability },
    validationRiskCoverage: outcome.sweep,
    warnings: outcome.warnings,
  };
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export const evaluate = functionComponent({
  name: 'evaluate',
  targetImage: STEPS_IMAGE,
  description:
    'Scores a trained image classifier on the test split: top-1/top-3, ECE and other calibration metrics, per-class P/R/F1 and the confusion matrix; fits temperature scaling and chooses the confidence threshold tau and margin for a target precision on the val split.',
  inputs: {
    model: Model,
    val: Dataset,
    test: Dataset,
    targetPrecision: t.float({
      default: EVALUATE_DEFAULTS.targetPrecision,
      description: 'Selective accuracy (precision of the accepted predictions) that tau and margin must reach on the calibrated val split.',
    }),
    bins: t.int({ default: EVALUATE_DEFAULTS.bins, description: 'Equal-width confidence bins of ECE and the reliability diagram.' }),
    backend: t.string({
      default: EVALUATE_DEFAULTS.backend,
      description:
        "tfjs backend for inference, as the train step's: 'auto' (tensorflow, webgpu, wasm, cpu: the first that works) or one of them.",
    }),
  },
  outputs: {
    metrics: Metrics,
    classification: ClassificationMetrics,
    reliability: HTML,
    modelCard: Artifact,
    top1: t.float(),
    top3: t.float(),
    ece: t.float(),
    tau: t.float(),
    margin: t.float(),
    temperature: t.float(),
  },
  implementation: async ({ inputs, outputs }) => {
    const { targetPrecision, bins } = inputs;
    // Every input is checked before the slow part starts.
    const requested = parseBackendPreference(inputs.backend);
    checkBinCount(bins);
    checkTargetPrecision(targetPrecision);
    const valSet = readImageDataset(inputs.val.path, 'val Dataset');
    const testSet = readImageDataset(inputs.test.path, 'test Dataset');
    // The label maps are compared before the model is loaded, so a mismatch fails fast.
    const labelsSha256 = requireSameLabelMap(
      { what: 'the model', where: inputs.model.path, labels: readLabelMap(path.join(inputs.model.path, LABEL_MAP_FILE)) },
      [
        { what: 'the val Dataset', where: inputs.val.path, labels: valSet.labels },
        { what: 'the test Dataset', where: inputs.test.path, labels: testSet.labels },
      ],
    );
    const backend = await chooseTrainingBackend(requested, log);
    const trained = await loadTrainedModel(inputs.model.path);
    try {
      const predictor = await logitsPredictor(trained.model);
      const options = { imageSize: trained.preprocessing.imageSize, batchSize: PREDICT_BATCH };
      log(
        `val: ${valSet.images.length} images; test: ${testSet.images.length}; ${trained.labels.length} classes; logits from ${predictor.source}`,
      );
      const val = await predictor.predict(valSet.images, options);
      const test = await predictor.predict(testSet.images, options);

      const outcome = evaluatePredictions({ labels: trained.labels, val, test, targetPrecision, bins });
      for (const warning of outcome.warnings) console.warn(`[evaluate] warning: ${warning}`);
      const { scalars, thresholds, calibrated } = outcome;

      metricsOf(outputs.metrics).logMetrics(scalars);
      writeJson(outputs.metrics.path, detailedReport(outcome, predictor.source));

      // Built (and checked) with classificationMetricsOf in evaluatePredictions; the file holds the same object.
      Object.assign(outputs.classification.metadata, outcome.classification);
      writeJson(outputs.classification.path, outcome.classification);

      fs.mkdirSync(path.dirname(outputs.reliability.path), { recursive: true });
      fs.writeFileSync(outputs.reliability.path, outcome.reliabilityHtml);

      fs.mkdirSync(outputs.modelCard.path, { recursive: true });
      fs.writeFileSync(path.join(outputs.modelCard.path, MODEL_CARD_FILES.model), outcome.modelJson);
      fs.writeFileSync(path.join(outputs.modelCard.path, MODEL_CARD_FILES.labelMap), outcome.labelMapJson);
      Object.assign(outputs.modelCard.metadata, {
        labels: [...trained.labels],
        labelsSha256,
        tau: thresholds.tau,
        margin: thresholds.margin,
        temperature: outcome.temperature.temperature,
        targetPrecision,
        targetPrecisionReached: thresholds.targetReached,
        top1: calibrated.top1,
        top3: calibrated.top3,
        ece: calibrated.ece,
        backend: backend.backend,
        logitsSource: predictor.source,
        warnings: [...outcome.warnings],
      });

      log(
        `test: top-1 ${calibrated.top1.toFixed(4)}, top-3 ${calibrated.top3.toFixed(4)}, ECE ${calibrated.ece.toFixed(4)} (uncalibrated ${outcome.uncalibrated.ece.toFixed(4)}), ` +
          `T = ${outcome.temperature.temperature.toFixed(4)}, tau = ${thresholds.tau.toFixed(4)}, margin = ${thresholds.margin}, test coverage ${thresholds.test.coverage.toFixed(4)}`,
      );
      return {
        top1: calibrated.top1,
        top3: calibrated.top3,
        ece: calibrated.ece,
        tau: thresholds.tau,
        margin: thresholds.margin,
        temperature: outcome.temperature.temperature,
      };
    } finally {
      trained.model.dispose();
    }
  },
});
