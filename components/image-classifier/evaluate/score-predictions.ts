/**
 * Every accuracy, calibration and proper-score metric from probability rows and labels, in one pass over the matrix
 * (plus one sort of the top-label confidences for adaptive ECE): top-k accuracy, ECE/MCE/RMSCE with
 * reliability bins, adaptive ECE, classwise ECE, Brier score, NLL, the confusion matrix and
 * per-class precision/recall/F1.
 *
 * One fused pass because at a million rows the cost is memory traffic: each row is read once and
 * feeds every accumulator while it is in cache.
 */
import {
  DEFAULT_CALIBRATION_BINS,
  type ReliabilityBin,
  adaptiveCalibrationError,
  calibrationFromBins,
  checkBinCount,
  classwiseCalibrationError,
  equalWidthBin,
} from './calibration';
import { type ClassReport, type ConfusionCounts, classReport } from './class-report';
import { PROBABILITY_FLOOR, ROW_SUM_TOLERANCE, type ScoreRows, checkLabel, rowCount } from './probability-rows';
import { itemAt } from '../../../compiler/util/checked-access';

export interface ScoreOptions {
  /** Equal-width bins for ECE, MCE, RMSCE, classwise ECE and the reliability diagram. @default 15 */
  readonly bins?: number;
  /** Equal-mass bins for adaptive ECE. @default the value of `bins` */
  readonly adaptiveBins?: number;
}

/** What the threshold search and the ROC points need per sample. */
export interface ScoredSamples {
  /** Top-label confidence ĉ = max_k p_k. */
  readonly confidence: Float64Array;
  /** p(1) − p(2), the gap between the two largest probabilities (0 on a tie). */
  readonly margin: Float64Array;
  /** 1 when the top-1 prediction (ties to the lowest index) equals the label. */
  readonly correct: Uint8Array;
  /** argmax_k p_k, ties to the lowest index. */
  readonly predicted: Int32Array;
}

export interface EvaluationReport {
  readonly samples: number;
  readonly classes: number;
  /** `topK[k − 1]` = top-k accuracy, for k = 1..K (top-K is 1). */
  readonly topK: readonly number[];
  readonly top1: number;
  /** Top-3 accuracy (exactly 1 when K ≤ 3). */
  readonly top3: number;
  readonly ece: number;
  readonly mce: number;
  readonly rmsce: number;
  readonly adaptiveEce: number;
  readonly classwiseEce: number;
  /** Each class's term of classwise ECE (before the mean over classes). */
  readonly classwiseEcePerClass: readonly number[];
  /** Multiclass Brier score, in [0, 2]. */
  readonly brier: number;
  /** Mean negative log-likelihood, natural log, probabilities floored at 1e-12. */
  readonly nll: number;
  readonly reliability: readonly ReliabilityBin[];
  /** K × K counts, `[true * K + predicted]`. */
  readonly confusion: ConfusionCounts;
  readonly classReport: ClassReport;
  readonly scored: ScoredSamples;
}

/**
 * Scores `probabilities` (n × K, row-major, rows summing to 1) against `labels` (0-based class
 * indices). Throws, naming the row, on a non-finite or out-of-range probability, a row that does not
 * sum to 1 (usually logits passed by mistake: apply `softmaxRows` first) or a bad label.
 */
export function scorePredictions(
  probabilities: ScoreRows,
  labels: ArrayLike<number>,
  classes: number,
  options: ScoreOptions = {},
): EvaluationReport {
  const bins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  const adaptiveBins = options.adaptiveBins ?? bins;
  checkBinCount(bins);
  checkBinCount(adaptiveBins, 'adaptiveBins');
  const n = rowCount(probabilities, classes, labels);
  const K = classes;
  // Local bindings for what the hot loop calls: compiled to CommonJS (the jest transform and
  // project/register-ts), every use of an imported name goes through a module getter, which cost
  // ~40% of this function's time at a million rows.
  const binOf = equalWidthBin;
  const labelCheck = checkLabel;
  const floor = PROBABILITY_FLOOR;
  const sumTolerance = ROW_SUM_TOLERANCE;

  const confidence = new Float64Array(n);
  const margin = new Float64Array(n);
  const correct = new Uint8Array(n);
  const predicted = new Int32Array(n);
  const rankCounts = new Float64Array(K);
  const confusion = new Float64Array(K * K);
  const binCount = new Float64Array(bins);
  const binCorrect = new Float64Array(bins);
  const binConfidence = new Float64Array(bins);
  const classBinCount = new Float64Array(K * bins);
  const classBinHits = new Float64Array(K * bins);
  const classBinScore = new Float64Array(K * bins);
  let brierSum = 0;
  let logLikelihood = 0;

  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    labelCheck(y, i, K);
    const base = i * K;
    const trueScore = probabilities[base + y]!;
    let best = -Infinity;
    let second = -Infinity;
    let argmax = 0;
    let rank = 0;
    let rowSum = 0;
    let rowBrier = 0;
    for (let k = 0; k < K; k++) {
      const p = probabilities[base + k]!;
      if (!(p >= 0 && p <= 1)) {
        throw new Error(`probability at row ${i} column ${k} is ${p}; probabilities must lie in [0, 1] (apply softmaxRows to logits)`);
      }
      rowSum += p;
      // Strict > keeps the lowest index on a tie, and sends the tied value to `second` (margin 0).
      if (p > best) {
        second = best;
        best = p;
        argmax = k;
      } else if (p > second) {
        second = p;
      }
      if (p > trueScore || (p === trueScore && k < y)) rank++;
      const residual = k === y ? p - 1 : p;
      rowBrier += residual * residual;
      const cell = k * bins + binOf(p, bins);
      classBinCount[cell]!++;
      classBinScore[cell]! += p;
      if (k === y) classBinHits[cell]!++;
    }
    if (Math.abs(rowSum - 1) > sumTolerance) {
      throw new Error(`probability row ${i} sums to ${rowSum}, not 1: pass softmax probabilities (softmaxRows converts logits)`);
    }
    const hit = argmax === y ? 1 : 0;
    confidence[i] = best;
    margin[i] = best - second;
    correct[i] = hit;
    predicted[i] = argmax;
    rankCounts[rank]!++;
    confusion[y * K + argmax]!++;
    const b = binOf(best, bins);
    binCount[b]!++;
    binCorrect[b]! += hit;
    binConfidence[b]! += best;
    brierSum += rowBrier;
    logLikelihood += Math.log(Math.max(trueScore, floor));
  }

  const topK: number[] = [];
  let within = 0;
  for (let k = 0; k < K; k++) {
    within += rankCounts[k]!;
    topK.push(within / n);
  }
  const binned = calibrationFromBins(binCount, binCorrect, binConfidence, n);
  const classwise = classwiseCalibrationError(classBinCount, classBinHits, classBinScore, K, n);
  return {
    samples: n,
    classes: K,
    topK,
    top1: itemAt(topK, 0, 'top-k accuracy'),
    top3: itemAt(topK, Math.min(3, K) - 1, 'top-k accuracy'),
    ece: binned.ece,
    mce: binned.mce,
    rmsce: binned.rmsce,
    adaptiveEce: adaptiveCalibrationError(confidence, correct, adaptiveBins),
    classwiseEce: classwise.classwiseEce,
    classwiseEcePerClass: classwise.perClass,
    brier: brierSum / n,
    nll: -logLikelihood / n,
    reliability: binned.bins,
    confusion,
    classReport: classReport(confusion, K),
    scored: { confidence, margin, correct, predicted },
  };
}
