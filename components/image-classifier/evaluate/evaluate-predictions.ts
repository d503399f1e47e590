/**
 * The evaluate step's computation, from validation and test logits to everything it publishes
 * (temperature, thresholds, KFP metrics), with no I/O and no model, so it is tested on the reference vectors:
 *
 * 1. fit the temperature T on the validation logits;
 * 2. choose tau and margin for the target precision on the calibrated validation split;
 * 3. score the test split before and after scaling, and the thresholds on it;
 * 4. build the Metrics scalars, the ClassificationMetrics metadata, the reliability diagram and the
 *    model.json / label_map.json contents.
 *
 * When no cut reaches the target precision the thresholds fall back to tau = 1, margin = 0 (accept
 * only certain predictions, i.e. almost always abstain) and a warning says so: the app then routes
 * nearly everything to a human rather than acting on decisions below the precision it asked for.
 */
import type { ClassificationMetricsMetadata } from '../../../compiler/dsl/metrics';
import { DEFAULT_CALIBRATION_BINS, checkBinCount } from './calibration';
import { classificationMetricsMetadata, evaluationScalars, scalarMetricsMetadata } from './kfp-metrics-metadata';
import { checkLabelNames, labelMapJson, labelsSha256, modelJson } from './model-files';
import { softmaxRows } from './probability-rows';
import { reliabilityDiagramHtml } from './reliability-diagram-html';
import { top1CorrectRoc } from './roc-points';
import { scorePredictions, type EvaluationReport } from './score-predictions';
import { fitTemperature, type TemperatureFit } from './temperature-scaling';
import {
  DEFAULT_MARGINS,
  chooseThresholdsForPrecision,
  evaluateThresholds,
  riskCoverageSweep,
  type SweepPoint,
  type ThresholdCut,
} from './thresholds';

/** Logits (n × K, row-major) and 0-based labels of one split. */
export interface SplitLogits {
  readonly logits: Float64Array | Float32Array;
  readonly labels: ArrayLike<number>;
}

export interface EvaluatePredictionsInput {
  /** Class names in class-index order (the label map). */
  readonly labels: readonly string[];
  readonly val: SplitLogits;
  readonly test: SplitLogits;
  /** Selective accuracy the thresholds must reach on the calibrated validation split. */
  readonly targetPrecision: number;
  /** Equal-width bins of ECE and the reliability diagram. @default 15 */
  readonly bins?: number;
}

/** A threshold cut must accept at least this many validation samples: a precision measured on fewer is noise. */
export const MIN_ACCEPTED_FOR_THRESHOLDS = 20;

/**
 * ...or half the validation split when it has fewer than 40 images: with a flat 20, a small split
 * (the demo's has about 15) could never reach any target, while a cut of one or two samples
 * would be noise.
 */
export function minimumAccepted(validationSamples: number): number {
  return Math.min(MIN_ACCEPTED_FOR_THRESHOLDS, Math.ceil(validationSamples / 2));
}

/** The tau/margin used when the target precision is out of reach: accept only certainty. */
export const FALLBACK_THRESHOLDS = { tau: 1, margin: 0 } as const;

export interface ThresholdChoice {
  readonly targetPrecision: number;
  /** False when no validation cut reached the target: tau/margin are then FALLBACK_THRESHOLDS. */
  readonly targetReached: boolean;
  readonly tau: number;
  readonly margin: number;
  readonly minAccepted: number;
  /** The chosen cut on the calibrated validation split (its own coverage and selective accuracy). */
  readonly validation: ThresholdCut;
  /** The same tau/margin applied to the calibrated test split. */
  readonly test: ThresholdCut;
}

export interface EvaluationOutcome {
  readonly labels: readonly string[];
  readonly labelsSha256: string;
  readonly temperature: TemperatureFit;
  readonly thresholds: ThresholdChoice;
  /** Test split after temperature scaling. */
  readonly calibrated: EvaluationReport;
  /** Test split at T = 1. */
  readonly uncalibrated: EvaluationReport;
  /** Validation split after temperature scaling. */
  readonly validation: EvaluationReport;
  /** system.Metrics metadata: flat finite numbers. */
  readonly scalars: Record<string, number>;
  /** system.ClassificationMetrics metadata: test confusion matrix and the "top-1 is correct" ROC. */
  readonly classification: ClassificationMetricsMetadata;
  readonly reliabilityHtml: string;
  readonly modelJson: string;
  readonly labelMapJson: string;
  /** Validation risk–coverage sweep per margin, for the detailed report. */
  readonly sweep: { margin: number; points: SweepPoint[] }[];
  /** Things a reviewer must know (fallback thresholds, a clamped temperature); empty when none. */
  readonly warnings: readonly string[];
}

function checkSplit(name: string, split: SplitLogits, classes: number): void {
  if (split.labels.length === 0)
    throw new Error(
      `the ${name} split has no images; the evaluate step needs both val and test images (give preprocess val and test fractions > 0)`,
    );
  if (split.logits.length !== split.labels.length * classes) {
    throw new Error(
      `the ${name} split has ${split.logits.length} logits for ${split.labels.length} images × ${classes} classes; pass one row of ${classes} logits per image`,
    );
  }
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Throws unless `targetPrecision` is in (0, 1]. */
export function checkTargetPrecision(targetPrecision: number): void {
  if (!(targetPrecision > 0 && targetPrecision <= 1)) {
    throw new Error(
      `targetPrecision must be in (0, 1], got ${targetPrecision}; it is the selective accuracy the accepted predictions must reach, e.g. 0.9`,
    );
  }
}

export function evaluatePredictions(input: EvaluatePredictionsInput): EvaluationOutcome {
  const { labels, val, test, targetPrecision } = input;
  const bins = input.bins ?? DEFAULT_CALIBRATION_BINS;
  checkLabelNames(labels);
  checkBinCount(bins);
  checkTargetPrecision(targetPrecision);
  const K = labels.length;
  if (K < 2) throw new Error(`the label map has ${K} class; a classifier needs at least 2`);
  checkSplit('val', val, K);
  checkSplit('test', test, K);
  const warnings: string[] = [];

  const temperature = fitTemperature(val.logits, val.labels, K);
  if (temperature.clamped) {
    warnings.push(
      `the fitted temperature hit its ${temperature.clamped === 'minTemperature' ? 'lower' : 'upper'} bound (T = ${temperature.temperature}): ` +
        (temperature.clamped === 'minTemperature'
          ? 'the validation split is separated with a margin, so calibration is not measurable on it; use a larger or harder val split.'
          : 'the model is close to uninformative on the validation split.'),
    );
  }
  const T = temperature.temperature;
  const validation = scorePredictions(softmaxRows(val.logits, K, T), val.labels, K, { bins });
  const calibrated = scorePredictions(softmaxRows(test.logits, K, T), test.labels, K, { bins });
  const uncalibrated = scorePredictions(softmaxRows(test.logits, K, 1), test.labels, K, { bins });

  const minAccepted = minimumAccepted(validation.samples);
  const cut = chooseThresholdsForPrecision(validation.scored, targetPrecision, { minAccepted });
  const { tau, margin } = cut ?? FALLBACK_THRESHOLDS;
  if (!cut) {
    warnings.push(
      `no confidence threshold reaches the target precision ${targetPrecision} on the validation split (${validation.samples} images, top-1 ${pct(validation.top1)}, ` +
        `at least ${minAccepted} accepted); falling back to tau = ${tau}, margin = ${margin}, which abstains on almost every prediction. ` +
        'Lower targetPrecision, or improve the model.',
    );
  }
  const thresholds: ThresholdChoice = {
    targetPrecision,
    targetReached: cut !== null,
    tau,
    margin,
    minAccepted,
    validation: cut ?? evaluateThresholds(validation.scored, tau, margin),
    test: evaluateThresholds(calibrated.scored, tau, margin),
  };

  const scalars = scalarMetricsMetadata({
    ...evaluationScalars({ calibrated, uncalibrated, temperature, thresholds: thresholds.test }),
    target_precision: targetPrecision,
    target_precision_reached: thresholds.targetReached ? 1 : 0,
    val_samples: validation.samples,
    val_coverage: thresholds.validation.coverage,
    val_selective_accuracy: thresholds.validation.accuracy,
    val_nll_uncalibrated: temperature.nllBefore,
    val_nll: temperature.nll,
    temperature_clamped: temperature.clamped ? 1 : 0,
  });

  const classification = classificationMetricsMetadata({
    labels,
    confusion: calibrated.confusion,
    confidenceMetrics: top1CorrectRoc(calibrated.scored),
  });
  const reliabilityHtml = reliabilityDiagramHtml({
    title: `Reliability diagram, test split (${calibrated.samples} images, ${K} classes)`,
    series: [
      { name: 'before temperature scaling', bins: uncalibrated.reliability, ece: uncalibrated.ece, mce: uncalibrated.mce },
      { name: `after temperature scaling (T = ${T.toFixed(4)})`, bins: calibrated.reliability, ece: calibrated.ece, mce: calibrated.mce },
    ],
    scalars: {
      top1: calibrated.top1,
      top3: calibrated.top3,
      ece: calibrated.ece,
      ece_uncalibrated: uncalibrated.ece,
      temperature: T,
      tau,
      margin,
      coverage: thresholds.test.coverage,
      target_precision_reached: scalars['target_precision_reached']!,
    },
  });

  return {
    labels,
    labelsSha256: labelsSha256(labels),
    temperature,
    thresholds,
    calibrated,
    uncalibrated,
    validation,
    scalars,
    classification,
    reliabilityHtml,
    modelJson: modelJson({ labels, tau, margin, temperature: T, top1: calibrated.top1, top3: calibrated.top3, ece: calibrated.ece }),
    labelMapJson: labelMapJson(labels),
    sweep: riskCoverageSweep(validation.scored, { margins: DEFAULT_MARGINS }),
    warnings,
  };
}
