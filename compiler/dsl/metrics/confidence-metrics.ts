/**
 * The `confidenceMetrics` list of `system.ClassificationMetrics` metadata: ROC points, with the key
 * names the KFP SDK writes and the KFP UI / Vertex console plot (x = falsePositiveRate, y = recall,
 * the threshold as the point's label).
 */
import { describeValue } from '../../util/describe-value';
import { MetricsError } from './metrics-error';
import { isRecord } from './metadata-target';

/** One entry of `confidenceMetrics`, as stored. */
export type ConfidenceMetric = {
  readonly confidenceThreshold: number;
  readonly recall: number;
  readonly falsePositiveRate: number;
};

/** One ROC point as you log it: rates in [0, 1] at a decision threshold. */
export interface RocDataPoint {
  /** False-positive rate FP / (FP + TN), in [0, 1]. */
  readonly fpr: number;
  /** True-positive rate (recall) TP / (TP + FN), in [0, 1]. */
  readonly tpr: number;
  /** The score threshold of this point: any finite number (a probability, a logit, a margin). */
  readonly threshold: number;
}

/** A ROC curve as parallel arrays, point i being (fpr[i], tpr[i]) at thresholds[i]. */
export interface RocCurve {
  readonly fpr: ArrayLike<number>;
  readonly tpr: ArrayLike<number>;
  readonly thresholds: ArrayLike<number>;
}

function checkRate(method: string, where: string, name: 'fpr' | 'tpr', value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MetricsError(method, `${where}${name} is ${describeValue(value)}`, `pass ${name} as a finite number in [0, 1]`);
  }
  if (value < 0 || value > 1) {
    throw new MetricsError(
      method,
      `${where}${name} is ${value}, outside [0, 1]`,
      value > 1 && value <= 100
        ? `pass rates as fractions, not percentages (${value}% is ${Number((value / 100).toPrecision(12))})`
        : `pass ${name} as a rate in [0, 1]`,
    );
  }
}

/** The stored entry for a point, after checking it (`where` prefixes the field, e.g. `point 3: `). */
export function confidenceMetric(method: string, point: RocDataPoint, where = ''): ConfidenceMetric {
  if (!isRecord(point)) {
    throw new MetricsError(method, `${where}the ROC point is ${describeValue(point)}`, 'pass { fpr, tpr, threshold }');
  }
  checkRate(method, where, 'fpr', point.fpr);
  checkRate(method, where, 'tpr', point.tpr);
  const threshold: unknown = point.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new MetricsError(
      method,
      `${where}threshold is ${describeValue(threshold)}`,
      typeof threshold === 'number'
        ? 'JSON has no NaN or Infinity: drop the point or clamp its threshold (scikit-learn-style ROC code starts with an infinite threshold)'
        : 'pass the threshold as a finite number',
    );
  }
  // Key order as the SDK writes it.
  return { confidenceThreshold: threshold, recall: point.tpr, falsePositiveRate: point.fpr };
}

/** Points (fpr[i], tpr[i], thresholds[i]) after checking the three arrays have one value per point. */
export function rocCurvePoints(method: string, curve: RocCurve): RocDataPoint[] {
  const lengthOf = (values: unknown) =>
    values !== null && typeof values === 'object' && typeof (values as ArrayLike<number>).length === 'number'
      ? (values as ArrayLike<number>).length
      : undefined;
  const lengths = [lengthOf(curve?.fpr), lengthOf(curve?.tpr), lengthOf(curve?.thresholds)];
  if (lengths.some((n) => n === undefined)) {
    throw new MetricsError(
      method,
      'the curve needs fpr, tpr and thresholds arrays',
      'pass { fpr: number[], tpr: number[], thresholds: number[] }',
    );
  }
  const [fpr, tpr, thresholds] = lengths as number[];
  if (fpr !== tpr || fpr !== thresholds) {
    throw new MetricsError(
      method,
      `fpr, tpr and thresholds have ${fpr}, ${tpr} and ${thresholds} values`,
      'pass one fpr, one tpr and one threshold per ROC point: the three arrays must have the same length',
    );
  }
  return Array.from({ length: fpr! }, (_, i) => ({ fpr: curve.fpr[i]!, tpr: curve.tpr[i]!, threshold: curve.thresholds[i]! }));
}

/**
 * Appends checked points to `metadata.confidenceMetrics` (creating it); checks every point before
 * appending any.
 */
export function appendConfidenceMetrics(method: string, metadata: () => Record<string, unknown>, points: readonly RocDataPoint[]): void {
  const entries = points.map((point, i) => confidenceMetric(method, point, points.length > 1 ? `point ${i}: ` : ''));
  const record = metadata();
  const existing = record['confidenceMetrics'];
  if (existing !== undefined && !Array.isArray(existing)) {
    throw new MetricsError(
      method,
      `the metadata's confidenceMetrics is ${describeValue(existing)}, not a list`,
      'remove it, or log the ROC points into a fresh artifact',
    );
  }
  const list = (existing as ConfidenceMetric[] | undefined) ?? [];
  for (const entry of entries) list.push(entry);
  record['confidenceMetrics'] = list;
}

/**
 * Every reason the KFP UI would show an error banner instead of plotting this `confidenceMetrics`
 * list (each entry needs the three fields as numbers); empty when it plots.
 */
export function confidenceMetricsProblems(points: unknown): string[] {
  if (!Array.isArray(points)) return ['confidenceMetrics must be an array'];
  const problems: string[] = [];
  points.forEach((p, i) => {
    for (const key of ['confidenceThreshold', 'recall', 'falsePositiveRate']) {
      const value = isRecord(p) ? p[key] : undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`confidenceMetrics[${i}].${key} must be a finite number`);
    }
  });
  return problems;
}
