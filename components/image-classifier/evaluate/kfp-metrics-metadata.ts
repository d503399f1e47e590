/**
 * Metadata of the KFP metrics artifacts the evaluate component writes (ml-metrics.md §8): a
 * container puts these objects under `artifacts.<name>.artifacts[0].metadata` of its executor
 * output, and the KFP UI / Vertex console render them from there.
 *
 * - `system.Metrics`: a flat map from metric name to number, shown as a scalar table.
 * - `system.ClassificationMetrics`: `confusionMatrix` ({annotationSpecs, rows: [{row}]}) and
 *   `confidenceMetrics` (ROC points). This is the KFP artifact shape, not Vertex's
 *   ModelEvaluation schema (plain row arrays, {id, displayName} specs): the two must not be mixed.
 */
import type { ConfusionCounts } from './class-report';
import type { ConfidenceMetricsEntry } from './roc-points';
import type { EvaluationReport } from './score-predictions';
import type { TemperatureFit } from './temperature-scaling';
import type { ThresholdCut } from './thresholds';

export interface ConfusionMatrixMetadata {
  readonly annotationSpecs: readonly { readonly displayName: string }[];
  /** `rows[i].row[j]`: samples of true class i predicted as class j. */
  readonly rows: readonly { readonly row: readonly number[] }[];
}

export interface ClassificationMetricsMetadata {
  readonly confusionMatrix?: ConfusionMatrixMetadata;
  readonly confidenceMetrics?: readonly ConfidenceMetricsEntry[];
}

/** The `confusionMatrix` object from K × K counts (`[true * K + predicted]`) and the class names in index order. */
export function confusionMatrixMetadata(labels: readonly string[], confusion: ConfusionCounts): ConfusionMatrixMetadata {
  const K = labels.length;
  if (confusion.length !== K * K) {
    throw new Error(`confusion matrix has ${confusion.length} cells but there are ${K} labels (${K * K} cells): pass one name per class`);
  }
  return {
    annotationSpecs: labels.map((displayName) => ({ displayName })),
    rows: labels.map((_, i) => ({ row: Array.from(confusion.subarray(i * K, (i + 1) * K)) })),
  };
}

/**
 * `system.ClassificationMetrics` metadata. Pass `confidenceMetrics` from `top1CorrectRoc` or
 * `oneVsRestRoc`, and name the artifact after the question it answers (e.g. `roc-top1-correct`).
 * The result is checked with `classificationMetricsProblems` before it is returned.
 */
export function classificationMetricsMetadata(input: {
  readonly labels: readonly string[];
  readonly confusion?: ConfusionCounts;
  readonly confidenceMetrics?: readonly ConfidenceMetricsEntry[];
}): ClassificationMetricsMetadata {
  const metadata: { confusionMatrix?: ConfusionMatrixMetadata; confidenceMetrics?: ConfidenceMetricsEntry[] } = {};
  if (input.confusion) metadata.confusionMatrix = confusionMatrixMetadata(input.labels, input.confusion);
  if (input.confidenceMetrics) metadata.confidenceMetrics = input.confidenceMetrics.map((entry) => ({ ...entry }));
  const problems = classificationMetricsProblems(metadata);
  if (problems.length > 0) throw new Error(`invalid ClassificationMetrics metadata:\n- ${problems.join('\n- ')}`);
  return metadata;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every reason the KFP UI would show an error banner instead of a plot for this metadata (the checks
 * of its MetricsVisualizations viewer, ml-metrics.md §8.2); empty when it renders.
 */
export function classificationMetricsProblems(metadata: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(metadata)) return ['metadata must be an object'];
  const matrix = metadata['confusionMatrix'];
  if (matrix !== undefined) {
    if (!isRecord(matrix)) {
      problems.push('confusionMatrix must be an object with annotationSpecs and rows');
    } else {
      const specs = matrix['annotationSpecs'];
      const rows = matrix['rows'];
      if (!Array.isArray(specs) || !specs.every((s) => isRecord(s) && typeof s['displayName'] === 'string')) {
        problems.push('confusionMatrix.annotationSpecs must be an array of {displayName: string}');
      }
      if (!Array.isArray(rows) || !rows.every((r) => isRecord(r) && Array.isArray(r['row']))) {
        problems.push('confusionMatrix.rows must be an array of {row: number[]} (each row wrapped in an object)');
      } else if (Array.isArray(specs)) {
        if (rows.length !== specs.length) problems.push(`confusionMatrix has ${specs.length} annotationSpecs but ${rows.length} rows`);
        rows.forEach((r, i) => {
          const row = (r as { row: unknown[] }).row;
          if (row.length !== specs.length) problems.push(`confusionMatrix.rows[${i}].row has ${row.length} entries, expected ${specs.length}`);
          if (!row.every((v) => typeof v === 'number' && Number.isFinite(v))) problems.push(`confusionMatrix.rows[${i}].row must hold only numbers`);
        });
      }
    }
  }
  const points = metadata['confidenceMetrics'];
  if (points !== undefined) {
    if (!Array.isArray(points)) {
      problems.push('confidenceMetrics must be an array');
    } else {
      points.forEach((p, i) => {
        for (const key of ['confidenceThreshold', 'recall', 'falsePositiveRate']) {
          const value = isRecord(p) ? p[key] : undefined;
          if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`confidenceMetrics[${i}].${key} must be a finite number`);
        }
      });
    }
  }
  return problems;
}

/**
 * `system.Metrics` metadata: checks that the map is flat and every value is a finite number (JSON has
 * no NaN, and nested objects would show as text), and returns a copy with the keys in a stable order.
 */
export function scalarMetricsMetadata(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`metric "${name}" is ${String(value)}; system.Metrics values must be finite numbers`);
    }
    out[name] = value;
  }
  return out;
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
    Object.assign(values, { tau: thresholds.tau, margin: thresholds.margin, coverage: thresholds.coverage, selective_accuracy: thresholds.accuracy });
  }
  return scalarMetricsMetadata(values);
}
