/**
 * The evaluate component's KFP metrics metadata (the shapes of KFP's `Metrics` and
 * `ClassificationMetrics`, sdk/python/kfp/dsl/types/artifact_types.py in kubeflow/pipelines), written with kfp-ts's metrics
 * helpers (compiler/dsl/metrics), which own the generic shapes and checks:
 *
 * - `system.Metrics`: the evaluation's scalar table (`evaluationScalars`).
 * - `system.ClassificationMetrics`: the test confusion matrix from the flat K × K counts the scoring
 *   code keeps, and the ROC points of `roc-points.ts`.
 */
import {
  classificationMetricsOf,
  metricsOf,
  type ClassificationMetricsMetadata,
  type ConfidenceMetric,
} from '../../../compiler/dsl/metrics';
import type { ConfusionCounts } from './class-report';
import type { EvaluationReport } from './score-predictions';
import type { TemperatureFit } from './temperature-scaling';
import type { ThresholdCut } from './thresholds';

/** K × K counts (`[true * K + predicted]`) as K rows, after checking there are K × K of them. */
function confusionRows(labels: readonly string[], confusion: ConfusionCounts): Float64Array[] {
  const K = labels.length;
  if (confusion.length !== K * K) {
    throw new Error(`confusion matrix has ${confusion.length} cells but there are ${K} labels (${K * K} cells): pass one name per class`);
  }
  return labels.map((_, i) => confusion.subarray(i * K, (i + 1) * K));
}

/**
 * `system.ClassificationMetrics` metadata. Pass `confidenceMetrics` from `top1CorrectRoc` or
 * `oneVsRestRoc`, and name the artifact after the question it answers (e.g. `roc-top1-correct`).
 */
export function classificationMetricsMetadata(input: {
  readonly labels: readonly string[];
  readonly confusion?: ConfusionCounts;
  readonly confidenceMetrics?: readonly ConfidenceMetric[];
}): ClassificationMetricsMetadata {
  const metadata: Record<string, unknown> = {};
  const writer = classificationMetricsOf({ metadata });
  if (input.confusion) writer.logConfusionMatrix(input.labels, confusionRows(input.labels, input.confusion));
  if (input.confidenceMetrics) {
    writer.logRocDataPoints(
      input.confidenceMetrics.map((p) => ({ fpr: p.falsePositiveRate, tpr: p.recall, threshold: p.confidenceThreshold })),
    );
  }
  return metadata as ClassificationMetricsMetadata;
}

/** `system.Metrics` metadata: `values` checked (flat, finite numbers) and copied in their order. */
export function scalarMetricsMetadata(values: Readonly<Record<string, number>>): Record<string, number> {
  const metadata: Record<string, number> = {};
  metricsOf({ metadata }).logMetrics(values);
  return metadata;
}

/**
 * The evaluate component's scalar table: the test-split metrics after temperature scaling, the same
 * before scaling (suffix `_uncalibrated`), the temperature, and the thresholds with their test-split
 * coverage and selective accuracy.
 */
export function evaluationScalars(input: {
  readonly calibrated: EvaluationReport;
  readonly uncalibrated?: EvaluationReport;
  readonly temperature?: TemperatureFit;
  readonly thresholds?: ThresholdCut;
}): Record<string, number> {
  const { calibrated: r, uncalibrated: u, temperature, thresholds } = input;
  const values: Record<string, number> = {
    samples: r.samples,
    top1: r.top1,
    top3: r.top3,
    ece: r.ece,
    mce: r.mce,
    rmsce: r.rmsce,
    adaptive_ece: r.adaptiveEce,
    classwise_ece: r.classwiseEce,
    brier: r.brier,
    nll: r.nll,
    macro_precision: r.classReport.macroPrecision,
    macro_recall: r.classReport.macroRecall,
    macro_f1: r.classReport.macroF1,
  };
  if (u) Object.assign(values, { ece_uncalibrated: u.ece, mce_uncalibrated: u.mce, brier_uncalibrated: u.brier, nll_uncalibrated: u.nll });
  if (temperature) values['temperature'] = temperature.temperature;
  if (thresholds) {
    Object.assign(values, {
      tau: thresholds.tau,
      margin: thresholds.margin,
      coverage: thresholds.coverage,
      selective_accuracy: thresholds.accuracy,
    });
  }
  return scalarMetricsMetadata(values);
}
