/**
 * Choosing the app's decision thresholds (selective classification, Geifman & El-Yaniv 2017,
 * https://arxiv.org/abs/1705.08500): accept a prediction iff its confidence
 * ĉ ≥ tau and its top-1 − top-2 margin ≥ margin, otherwise abstain. Coverage is the accepted
 * fraction; selective accuracy (the precision of the accepted top-1 decisions) is accuracy on them.
 *
 * Fit on the validation split after temperature scaling, report once on test (`evaluateThresholds`).
 * For each margin on a grid, samples with margin ≥ m are walked by descending confidence and a cut
 * is considered only between distinct confidences, so tau is always an observed confidence.
 */
import { stableAscendingOrder } from './stable-order';

/** The per-sample inputs: top-label confidence, top-1 − top-2 margin, and top-1 correctness (0/1). */
export interface SelectiveSamples {
  readonly confidence: Float64Array;
  readonly margin: Float64Array;
  readonly correct: Uint8Array;
}

export interface ThresholdCut {
  readonly tau: number;
  readonly margin: number;
  /** Accepted fraction of all samples. */
  readonly coverage: number;
  /** Accuracy on the accepted samples. */
  readonly accuracy: number;
  readonly accepted: number;
}

export interface ThresholdSearchOptions {
  /** Margin grid, tried in this order. @default [0, 0.05, 0.1, 0.2] */
  readonly margins?: readonly number[];
  /** A cut must accept at least this many samples. @default 20 */
  readonly minAccepted?: number;
}

export const DEFAULT_MARGINS: readonly number[] = [0, 0.05, 0.1, 0.2];

function checkSamples(samples: SelectiveSamples): number {
  const n = samples.confidence.length;
  if (samples.margin.length !== n || samples.correct.length !== n) {
    throw new Error(
      `confidence, margin and correct must have one value per sample; got ${n}, ${samples.margin.length} and ${samples.correct.length}`,
    );
  }
  if (n === 0) throw new Error('no samples: thresholds need at least one scored sample');
  return n;
}

/** Receives a cut as numbers, not an object: a million samples give millions of cuts. */
type CutVisitor = (tau: number, margin: number, accepted: number, hits: number) => void;

/**
 * The samples reordered by descending confidence, once for all margins: the walks below then read
 * memory in order instead of jumping through an index array at random, once per margin.
 * Order within a tie does not matter, because cuts fall only between distinct confidences.
 */
function byDescendingConfidence(samples: SelectiveSamples): SelectiveSamples {
  const n = checkSamples(samples);
  const ascending = stableAscendingOrder(samples.confidence);
  const confidence = new Float64Array(n);
  const margin = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let position = 0; position < n; position++) {
    // `!`: position < n = ascending.length, and the order holds indices below n, the length of every sample array.
    const i = ascending[n - 1 - position]!;
    confidence[position] = samples.confidence[i]!;
    margin[position] = samples.margin[i]!;
    correct[position] = samples.correct[i]!;
  }
  return { confidence, margin, correct };
}

/** Calls `visit` for every candidate cut at margin `m` of `sorted` (descending confidence), by descending tau. */
function forEachCut(sorted: SelectiveSamples, m: number, visit: CutVisitor): void {
  if (!(m >= 0 && Number.isFinite(m))) throw new Error(`margin grid value ${m} is not a finite number >= 0`);
  const { confidence, margin, correct } = sorted;
  const n = confidence.length;
  let accepted = 0;
  let hits = 0;
  let groupConfidence = NaN;
  for (let i = 0; i < n; i++) {
    if (!(margin[i]! >= m)) continue;
    const c = confidence[i]!; // `!`: i < n, the length of the sorted arrays
    if (accepted > 0 && c !== groupConfidence) visit(groupConfidence, m, accepted, hits);
    groupConfidence = c;
    accepted++;
    hits += correct[i]!;
  }
  if (accepted > 0) visit(groupConfidence, m, accepted, hits);
}

/** Every cut of every margin, in grid order. */
function forEachCutOnGrid(samples: SelectiveSamples, margins: readonly number[], visit: CutVisitor): void {
  const sorted = byDescendingConfidence(samples);
  for (const m of margins) forEachCut(sorted, m, visit);
}

/**
 * The cut with the largest coverage whose selective accuracy is at least `targetPrecision` and that
 * accepts at least `minAccepted` samples; ties go to the higher accuracy, then to the first found.
 * Returns null when no cut reaches the target: the caller must then abstain on everything or lower
 * the target.
 */
export function chooseThresholdsForPrecision(
  samples: SelectiveSamples,
  targetPrecision: number,
  options: ThresholdSearchOptions = {},
): ThresholdCut | null {
  if (!(targetPrecision >= 0 && targetPrecision <= 1)) throw new Error(`target precision must lie in [0, 1], got ${targetPrecision}`);
  return bestCut(
    samples,
    options,
    (_coverage, accuracy) => accuracy >= targetPrecision,
    (coverage, accuracy, best) => coverage > best.coverage || (coverage === best.coverage && accuracy > best.accuracy),
  );
}

/**
 * The cut with the highest selective accuracy among those with coverage ≥ `targetCoverage` (and at
 * least `minAccepted` samples); ties go to the larger coverage, then to the first found.
 */
export function chooseThresholdsForCoverage(
  samples: SelectiveSamples,
  targetCoverage: number,
  options: ThresholdSearchOptions = {},
): ThresholdCut | null {
  if (!(targetCoverage >= 0 && targetCoverage <= 1)) throw new Error(`target coverage must lie in [0, 1], got ${targetCoverage}`);
  return bestCut(
    samples,
    options,
    (coverage) => coverage >= targetCoverage,
    (coverage, accuracy, best) => accuracy > best.accuracy || (accuracy === best.accuracy && coverage > best.coverage),
  );
}

/**
 * The first cut on the grid that accepts at least `minAccepted` samples and that `admits`, replaced
 * by each later admitted cut that `beats` the best so far; null when none is admitted.
 */
function bestCut(
  samples: SelectiveSamples,
  options: ThresholdSearchOptions,
  admits: (coverage: number, accuracy: number) => boolean,
  beats: (coverage: number, accuracy: number, best: ThresholdCut) => boolean,
): ThresholdCut | null {
  const minAccepted = options.minAccepted ?? 20;
  let best: ThresholdCut | null = null;
  const n = samples.confidence.length;
  forEachCutOnGrid(samples, options.margins ?? DEFAULT_MARGINS, (tau, margin, accepted, hits) => {
    const coverage = accepted / n;
    const accuracy = hits / accepted;
    if (accepted < minAccepted || !admits(coverage, accuracy)) return;
    if (!best || beats(coverage, accuracy, best)) best = { tau, margin, coverage, accuracy, accepted };
  });
  return best;
}

/** Coverage and selective accuracy of fixed thresholds on another split (the test report). */
export function evaluateThresholds(samples: SelectiveSamples, tau: number, margin: number): ThresholdCut {
  const n = checkSamples(samples);
  let accepted = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    // `!`: i < n, the length of every sample array.
    if (samples.confidence[i]! >= tau && samples.margin[i]! >= margin) {
      accepted++;
      hits += samples.correct[i]!;
    }
  }
  return { tau, margin, coverage: accepted / n, accuracy: accepted === 0 ? 0 : hits / accepted, accepted };
}

export interface SweepPoint {
  readonly tau: number;
  readonly coverage: number;
  readonly accuracy: number;
}

/**
 * The risk–coverage sweep for the UI, per margin: (tau, coverage, accuracy) at every cut, by
 * descending tau. Selective accuracy is not monotone in tau, hence the whole curve. With many cuts
 * it keeps the first cut at or past each of `maxPointsPerMargin − 1` evenly spaced coverages, plus
 * the last cut, so a million samples give a plottable file (thinned while walking: the full curve
 * would be millions of objects).
 */
export function riskCoverageSweep(
  samples: SelectiveSamples,
  options: { readonly margins?: readonly number[]; readonly maxPointsPerMargin?: number } = {},
): { margin: number; points: SweepPoint[] }[] {
  const margins = options.margins ?? DEFAULT_MARGINS;
  const maxPoints = options.maxPointsPerMargin ?? 500;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) throw new Error(`maxPointsPerMargin must be an integer >= 2, got ${maxPoints}`);
  const sorted = byDescendingConfidence(samples);
  const n = sorted.confidence.length;
  return margins.map((margin) => {
    let kept = 0;
    for (let i = 0; i < n; i++) if (sorted.margin[i]! >= margin) kept++;
    const step = kept / (maxPoints - 1);
    const points: SweepPoint[] = [];
    let nextAccepted = 0;
    let last: SweepPoint | null = null;
    forEachCut(sorted, margin, (tau, _margin, accepted, hits) => {
      last = { tau, coverage: accepted / n, accuracy: hits / accepted };
      if (accepted >= nextAccepted && points.length < maxPoints - 1) {
        points.push(last);
        nextAccepted = accepted + step;
      }
    });
    if (last !== null && points[points.length - 1] !== last) points.push(last);
    return { margin, points };
  });
}
