/**
 * Temperature scaling (Guo et al. 2017 §4.2, https://arxiv.org/abs/1706.04599; reference code
 * https://github.com/gpleiss/temperature_scaling): one scalar T > 0 with
 * p = softmax(z / T), fitted by minimising the mean validation NLL.
 *
 * The search runs Newton's method on β = 1/T rather than a bracketing search on T: NLL is convex and
 * smooth in β (its second derivative is the softmax-weighted variance of the logits), so Newton
 * converges quadratically from β = 1, in under 10 steps on the V3 vector, while NLL is not convex in
 * T itself. Each step needs one pass over the logits for both derivatives.
 */
import { type ScoreRows, checkFiniteRows, checkLabel, logitsFromProbabilities, rowCount, softmaxRows } from './probability-rows';

export interface TemperatureFitOptions {
  /** Lower clamp for T: separable data drives the optimum to T → 0. @default 0.05 */
  readonly minTemperature?: number;
  /** Upper clamp for T. @default 100 */
  readonly maxTemperature?: number;
  /** @default 50 */
  readonly maxIterations?: number;
  /** Stop when a Newton step changes β by less than this. @default 1e-13 */
  readonly tolerance?: number;
}

export interface TemperatureFit {
  readonly temperature: number;
  /** Mean NLL of the labels under softmax(z / temperature). */
  readonly nll: number;
  /** Mean NLL at T = 1, for the report: scaling can only lower it. */
  readonly nllBefore: number;
  readonly iterations: number;
  /** Which clamp bound the optimum lay beyond, if any (then `temperature` is that bound). */
  readonly clamped: 'minTemperature' | 'maxTemperature' | null;
  /** False when the iteration limit was reached before the step fell below the tolerance. */
  readonly converged: boolean;
}

interface Derivatives {
  readonly nll: number;
  readonly gradient: number;
  readonly curvature: number;
}

/**
 * Mean NLL(β) and its first two derivatives in β, in one pass. Logits are taken relative to each
 * row's largest logit, d = z − z_max, so softmax weights are exp(β·d) ≤ 1 (no overflow), and the
 * variance E[d²] − E[d]² does not cancel catastrophically when a row's mass sits on its top class:
 * with raw logits both terms are ≈ z_max², and on separable data the curvature rounded to 0 long
 * before the optimum.
 */
function nllDerivatives(logits: ScoreRows, labels: ArrayLike<number>, K: number, beta: number): Derivatives {
  const n = labels.length;
  let nll = 0;
  let gradient = 0;
  let curvature = 0;
  for (let i = 0; i < n; i++) {
    const base = i * K;
    // `!`: base + k < n × K = logits.length and labels[i] < K (checked on entry).
    let top = logits[base]!;
    for (let k = 1; k < K; k++) if (logits[base + k]! > top) top = logits[base + k]!;
    let sum = 0;
    let meanD = 0;
    let meanD2 = 0;
    for (let k = 0; k < K; k++) {
      const d = logits[base + k]! - top;
      const e = Math.exp(beta * d);
      sum += e;
      meanD += e * d;
      meanD2 += e * d * d;
    }
    meanD /= sum;
    meanD2 /= sum;
    const trueD = logits[base + labels[i]!]! - top;
    nll += Math.log(sum) - beta * trueD;
    gradient += meanD - trueD;
    curvature += meanD2 - meanD * meanD;
  }
  return { nll: nll / n, gradient: gradient / n, curvature: curvature / n };
}

/**
 * Fits T on validation `logits` (n × K, row-major) and 0-based `labels`. When only probabilities
 * were saved, pass `logitsFromProbabilities(p)` (or use `fitTemperatureToProbabilities`).
 *
 * Newton from β = 1 (the NLL is convex in β = 1/T, so Newton converges from there), safeguarded: the slope is first checked at both clamp bounds
 * (convexity says the optimum lies beyond a bound whose slope points outwards, so the answer is that
 * bound, e.g. on separable data), and a step that would leave the shrinking bracket, or that does not
 * halve the step before last (Newton crawls linearly on the exponential tails of separable-ish data),
 * is replaced by bisection.
 */
export function fitTemperature(
  logits: ScoreRows,
  labels: ArrayLike<number>,
  classes: number,
  options: TemperatureFitOptions = {},
): TemperatureFit {
  const minTemperature = options.minTemperature ?? 0.05;
  const maxTemperature = options.maxTemperature ?? 100;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-13;
  if (!(minTemperature > 0 && maxTemperature >= minTemperature && Number.isFinite(maxTemperature))) {
    throw new Error(
      `temperature clamp must satisfy 0 < minTemperature <= maxTemperature < Infinity, got [${minTemperature}, ${maxTemperature}]`,
    );
  }
  const n = rowCount(logits, classes, labels, 'logits');
  checkFiniteRows(logits, classes, 'logits');
  const labelCheck = checkLabel; // a local binding: imported names are module getters under CommonJS
  for (let i = 0; i < n; i++) labelCheck(labels[i]!, i, classes);
  const at = (beta: number) => nllDerivatives(logits, labels, classes, beta);

  const atOne = at(1);
  const maxBeta = 1 / minTemperature;
  const minBeta = 1 / maxTemperature;
  const atMaxBeta = at(maxBeta);
  if (atMaxBeta.gradient < 0) {
    return {
      temperature: minTemperature,
      nll: atMaxBeta.nll,
      nllBefore: atOne.nll,
      iterations: 0,
      clamped: 'minTemperature',
      converged: true,
    };
  }
  const atMinBeta = at(minBeta);
  if (atMinBeta.gradient > 0) {
    return {
      temperature: maxTemperature,
      nll: atMinBeta.nll,
      nllBefore: atOne.nll,
      iterations: 0,
      clamped: 'maxTemperature',
      converged: true,
    };
  }

  // Invariant: slope(lo) <= 0 <= slope(hi), so the minimum lies in [lo, hi].
  let lo = minBeta;
  let hi = maxBeta;
  let beta = Math.min(Math.max(1, lo), hi);
  let current = beta === 1 ? atOne : at(beta);
  let lastStep = hi - lo;
  let stepBeforeLast = hi - lo;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const { gradient, curvature } = current;
    if (gradient === 0) {
      converged = true;
      break;
    }
    if (gradient < 0) lo = beta;
    else hi = beta;
    iterations++;
    let next = curvature > 0 ? beta - gradient / curvature : NaN;
    // A Newton step below the tolerance is convergence, even when rounding puts it on a bracket end.
    const tiny = Math.abs(next - beta) < tolerance;
    if (!tiny && (!(next > lo && next < hi) || Math.abs(next - beta) > stepBeforeLast / 2)) next = lo + (hi - lo) / 2;
    const step = Math.abs(next - beta);
    stepBeforeLast = lastStep;
    lastStep = step;
    beta = next;
    current = at(beta);
    if (step < tolerance || hi - lo < tolerance) {
      converged = true;
      break;
    }
  }
  return { temperature: 1 / beta, nll: current.nll, nllBefore: atOne.nll, iterations, clamped: null, converged };
}

/** `fitTemperature` for saved probabilities: logits are recovered as ln(max(p, 1e-12)). */
export function fitTemperatureToProbabilities(
  probabilities: ScoreRows,
  labels: ArrayLike<number>,
  classes: number,
  options: TemperatureFitOptions = {},
): TemperatureFit {
  return fitTemperature(logitsFromProbabilities(probabilities), labels, classes, options);
}

/** Calibrated probabilities softmax(z / T) from logits. */
export function applyTemperatureToLogits(logits: ScoreRows, classes: number, temperature: number): Float64Array {
  return softmaxRows(logits, classes, temperature);
}

/** Calibrated probabilities from probabilities: softmax(ln(max(p, 1e-12)) / T), i.e. p^(1/T) renormalised. */
export function applyTemperatureToProbabilities(probabilities: ScoreRows, classes: number, temperature: number): Float64Array {
  return softmaxRows(logitsFromProbabilities(probabilities), classes, temperature);
}
