/**
 * Calibration errors from binned confidences (Guo et al. 2017, https://arxiv.org/abs/1706.04599): ECE, MCE and RMS calibration error
 * over equal-width bins, adaptive (equal-mass) ECE, and classwise ECE.
 *
 * Bins are (lo, hi] as in Guo et al. 2017 and their reference code, not torchmetrics 1.9.0's [lo, hi):
 * only a confidence exactly on an edge is affected (edge vector E: 0.525 here, 0.025 there).
 */
import { stableAscendingOrder } from './stable-order';

/** Guo et al. 2017's bin count for ECE. */
export const DEFAULT_CALIBRATION_BINS = 15;

/** One bin of a reliability diagram; `accuracy`/`confidence` are null for an empty bin. */
export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  readonly accuracy: number | null;
  readonly confidence: number | null;
}

export interface BinnedCalibration {
  /** Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)| over non-empty bins. */
  readonly ece: number;
  /** max over non-empty bins of |acc − conf|. */
  readonly mce: number;
  /** sqrt(Σ_m (|B_m| / n) · (acc − conf)²), torchmetrics' norm='l2' without debiasing. */
  readonly rmsce: number;
  /** All bins, empty ones included with count 0, for the reliability diagram. */
  readonly bins: readonly ReliabilityBin[];
}

/** Throws unless `bins` is a usable bin count. */
export function checkBinCount(bins: number, what = 'bins'): void {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`${what} must be an integer >= 1, got ${bins}`);
}

/**
 * 0-based index of the (lo, hi] bin holding `value`: `min(max(ceil(value·M) − 1, 0), M − 1)`.
 * The float64 product puts every exact edge k/M (M = 10 or 15) in the intended bin; 0 goes to bin 0.
 */
export function equalWidthBin(value: number, bins: number): number {
  const b = Math.ceil(value * bins) - 1;
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/**
 * ECE, MCE, RMSCE and the reliability bins from per-bin sums: sample count, correct count and
 * confidence sum. `samples` is n, the total over all bins.
 */
export function calibrationFromBins(
  count: ArrayLike<number>,
  correct: ArrayLike<number>,
  confidenceSum: ArrayLike<number>,
  samples: number,
): BinnedCalibration {
  const bins = count.length;
  let ece = 0;
  let mce = 0;
  let squared = 0;
  const reliability: ReliabilityBin[] = [];
  for (let m = 0; m < bins; m++) {
    // `!`: m < bins = the length of every bin array (checked on entry).
    const c = count[m]!;
    const lo = m / bins;
    const hi = (m + 1) / bins;
    if (c === 0) {
      reliability.push({ lo, hi, count: 0, accuracy: null, confidence: null });
      continue;
    }
    const accuracy = correct[m]! / c;
    const confidence = confidenceSum[m]! / c;
    const gap = Math.abs(accuracy - confidence);
    ece += (c / samples) * gap;
    squared += (c / samples) * gap * gap;
    if (gap > mce) mce = gap;
    reliability.push({ lo, hi, count: c, accuracy, confidence });
  }
  return { ece, mce, rmsce: Math.sqrt(squared), bins: reliability };
}

/**
 * Adaptive (equal-mass) ECE, top-label variant (Nguyen & O'Connor 2015; Nixon et al. 2019,
 * https://arxiv.org/abs/1904.01685): stable-sort the confidences
 * ascending, bin m takes sorted positions [⌊m·n/M⌋, ⌊(m+1)·n/M⌋), empty ranges are skipped, and the
 * bins are weighted as in ECE. `correct[i]` is 1 when sample i's top-1 prediction is right.
 */
export function adaptiveCalibrationError(confidence: Float64Array, correct: Uint8Array, bins = DEFAULT_CALIBRATION_BINS): number {
  checkBinCount(bins);
  const n = confidence.length;
  if (correct.length !== n) throw new Error(`confidence has ${n} values but correct has ${correct.length}: pass one of each per sample`);
  const order = stableAscendingOrder(confidence);
  let ece = 0;
  for (let m = 0; m < bins; m++) {
    const start = Math.floor((m * n) / bins);
    const end = Math.floor(((m + 1) * n) / bins);
    if (end === start) continue;
    let hits = 0;
    let sum = 0;
    for (let position = start; position < end; position++) {
      // `!`: position < end <= n = order.length, and order holds indices below n, the length of both arrays.
      const i = order[position]!;
      hits += correct[i]!;
      sum += confidence[i]!;
    }
    const size = end - start;
    ece += (size / n) * Math.abs(hits / size - sum / size);
  }
  return ece;
}

/**
 * Classwise ECE (Kull et al. 2019, https://arxiv.org/abs/1910.12656) from per-(class, bin) sums laid out
 * `[k * bins + m]`: every sample's score for class k binned into the same (lo, hi] bins, the fraction
 * of the bin's samples whose label is k against their mean score; mean over classes of each class's ECE.
 */
export function classwiseCalibrationError(
  count: ArrayLike<number>,
  hits: ArrayLike<number>,
  scoreSum: ArrayLike<number>,
  classes: number,
  samples: number,
): { readonly classwiseEce: number; readonly perClass: number[] } {
  const bins = count.length / classes;
  const perClass: number[] = [];
  let total = 0;
  for (let k = 0; k < classes; k++) {
    let ece = 0;
    for (let m = 0; m < bins; m++) {
      const j = k * bins + m;
      const c = count[j]!; // `!`: j < classes · bins = count.length, as are hits and scoreSum
      if (c === 0) continue;
      ece += (c / samples) * Math.abs(hits[j]! / c - scoreSum[j]! / c);
    }
    perClass.push(ece);
    total += ece;
  }
  return { classwiseEce: total / classes, perClass };
}
