/**
 * ROC points for the `confidenceMetrics` list of a KFP `system.ClassificationMetrics` artifact
 * (the shape KFP's `ClassificationMetrics.log_roc_curve` writes, sdk/python/kfp/dsl/types/artifact_types.py
 * in kubeflow/pipelines): at each threshold t, recall = TP/P and falsePositiveRate = FP/N among
 * samples scored ≥ t.
 *
 * A multiclass model needs a binary question per curve: "is the top-1 prediction correct", scored by
 * the top-label confidence (`top1CorrectRoc`), or one class against the rest (`oneVsRestRoc`).
 */
import type { ConfidenceMetric } from '../../../compiler/dsl/metrics';
import { type ScoreRows, checkLabel, rowCount } from './probability-rows';

/** 1.00, 0.95, …, 0.05, 0.00: descending, so the curve runs from (0, 0) towards (1, 1). */
export const DEFAULT_ROC_THRESHOLDS: readonly number[] = Array.from({ length: 21 }, (_, j) => (20 - j) / 20);

/**
 * ROC points at `thresholds` (in the order given) for `scores` against 0/1 `positive` flags. A rate
 * whose denominator is 0 (no positives, or no negatives) is reported as 0, since the UI accepts only
 * numbers.
 */
export function rocPoints(
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
  thresholds: readonly number[] = DEFAULT_ROC_THRESHOLDS,
): ConfidenceMetric[] {
  if (scores.length !== positive.length) {
    throw new Error(`scores has ${scores.length} values but positive has ${positive.length}: pass one flag per score`);
  }
  for (const t of thresholds) if (!Number.isFinite(t)) throw new Error(`ROC threshold ${t} is not a finite number`);
  const ascending = [...new Set(thresholds)].sort((a, b) => a - b);
  // Histogram of "how many thresholds does this score reach", then a suffix sum: O(n log G).
  const positivesReaching = new Float64Array(ascending.length + 1);
  const negativesReaching = new Float64Array(ascending.length + 1);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    // `!`: i < scores.length, and the binary search keeps lo, mid within ascending's length.
    const s = scores[i]!;
    let lo = 0;
    let hi = ascending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ascending[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    if (positive[i]) {
      positivesReaching[lo]!++;
      positives++;
    } else {
      negativesReaching[lo]!++;
    }
  }
  const negatives = scores.length - positives;
  // accepted at ascending[j] = samples that reach more than j thresholds.
  const truePositivesAt = new Map<number, number>();
  const falsePositivesAt = new Map<number, number>();
  let tp = 0;
  let fp = 0;
  for (let j = ascending.length - 1; j >= 0; j--) {
    // `!`: j + 1 <= ascending.length, the last index of the reaching counts.
    tp += positivesReaching[j + 1]!;
    fp += negativesReaching[j + 1]!;
    truePositivesAt.set(ascending[j]!, tp);
    falsePositivesAt.set(ascending[j]!, fp);
  }
  return thresholds.map((t) => ({
    confidenceThreshold: t,
    recall: positives === 0 ? 0 : truePositivesAt.get(t)! / positives,
    falsePositiveRate: negatives === 0 ? 0 : falsePositivesAt.get(t)! / negatives,
  }));
}

/** ROC of "the top-1 prediction is correct", scored by the top-label confidence. */
export function top1CorrectRoc(
  scored: { readonly confidence: Float64Array; readonly correct: Uint8Array },
  thresholds: readonly number[] = DEFAULT_ROC_THRESHOLDS,
): ConfidenceMetric[] {
  return rocPoints(scored.confidence, scored.correct, thresholds);
}

/** ROC of class `positiveClass` against the rest, scored by its probability column. */
export function oneVsRestRoc(
  probabilities: ScoreRows,
  labels: ArrayLike<number>,
  classes: number,
  positiveClass: number,
  thresholds: readonly number[] = DEFAULT_ROC_THRESHOLDS,
): ConfidenceMetric[] {
  const n = rowCount(probabilities, classes, labels);
  if (!(Number.isInteger(positiveClass) && positiveClass >= 0 && positiveClass < classes)) {
    throw new Error(`positiveClass is ${positiveClass}; pass a 0-based class index in [0, ${classes - 1}]`);
  }
  const scores = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // `!`: i < n, and probabilities holds n × classes values (checked above).
    checkLabel(labels[i]!, i, classes);
    scores[i] = probabilities[i * classes + positiveClass]!;
    positive[i] = labels[i] === positiveClass ? 1 : 0;
  }
  return rocPoints(scores, positive, thresholds);
}
