/**
 * The float and the quantized model scored side by side on the same test images, with the
 * temperature the evaluate step fitted for the float model (what an app that ships the quantized
 * weights with the released model card computes), and the check that quantization cost at most
 * the stated top-1 and ECE.
 */
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { checkBinCount } from '../evaluate/calibration';
import type { SplitPredictions } from '../evaluate/predict-split';
import { softmaxRows } from '../evaluate/probability-rows';
import { scorePredictions } from '../evaluate/score-predictions';

export interface ModelScores {
  readonly top1: number;
  readonly top3: number;
  /** ECE (equal-width bins) of the temperature-scaled probabilities. */
  readonly ece: number;
  /** ECE of the raw softmax (temperature 1). */
  readonly eceUncalibrated: number;
}

export interface QuantizationComparison {
  readonly samples: number;
  readonly temperature: number;
  readonly float: ModelScores;
  readonly quantized: ModelScores;
  /** float top-1 − quantized top-1 (negative when quantization happened to help). */
  readonly top1Drop: number;
  /** quantized ECE − float ECE. */
  readonly eceIncrease: number;
  /** Share of test images whose top-1 class is the same under both models. */
  readonly agreement: number;
  /** Largest change of any calibrated class probability of any image. */
  readonly maxProbabilityChange: number;
}

export interface QuantizationTolerance {
  readonly maxTop1Drop: number;
  readonly maxEceIncrease: number;
}

/** The quantized model lost more than the tolerance allows; the message gives both models' figures. */
export class QuantizationToleranceError extends KfpTsError {
  override readonly name = 'QuantizationToleranceError';
}

/** Throws unless each tolerance is a number in [0, 1]. */
export function checkTolerance(tolerance: QuantizationTolerance): void {
  for (const [name, value] of Object.entries(tolerance)) {
    if (!(typeof value === 'number' && value >= 0 && value <= 1))
      throw new KfpTsError(`${name} is ${value}; it must be a number in [0, 1] (0.01 allows one point of top-1 or ECE).`);
  }
}

function scores(
  logits: SplitPredictions,
  temperature: number,
  bins: number,
): ModelScores & { readonly probabilities: Float64Array; readonly predicted: Int32Array } {
  const probabilities = softmaxRows(logits.logits, logits.classes, temperature);
  const calibrated = scorePredictions(probabilities, logits.labels, logits.classes, { bins });
  const raw = scorePredictions(softmaxRows(logits.logits, logits.classes), logits.labels, logits.classes, { bins });
  return {
    top1: calibrated.top1,
    top3: calibrated.top3,
    ece: calibrated.ece,
    eceUncalibrated: raw.ece,
    probabilities,
    predicted: calibrated.scored.predicted,
  };
}

/** Scores both models' logits of the same images (same order) at `temperature`. */
export function compareQuantized(
  float: SplitPredictions,
  quantized: SplitPredictions,
  temperature: number,
  bins: number,
): QuantizationComparison {
  checkBinCount(bins);
  if (
    float.classes !== quantized.classes ||
    float.labels.length !== quantized.labels.length ||
    float.labels.some((label, i) => label !== quantized.labels[i])
  ) {
    throw new Error(
      `the float and quantized predictions are of different images or classes (${float.labels.length}×${float.classes} vs ${quantized.labels.length}×${quantized.classes}); predict the same split with both models.`,
    );
  }
  const a = scores(float, temperature, bins);
  const b = scores(quantized, temperature, bins);
  let same = 0;
  for (let i = 0; i < a.predicted.length; i++) if (a.predicted[i] === b.predicted[i]) same++;
  let maxProbabilityChange = 0;
  for (let j = 0; j < a.probabilities.length; j++)
    maxProbabilityChange = Math.max(maxProbabilityChange, Math.abs(a.probabilities[j]! - b.probabilities[j]!));
  const strip = ({ top1, top3, ece, eceUncalibrated }: ModelScores): ModelScores => ({ top1, top3, ece, eceUncalibrated });
  return {
    samples: float.labels.length,
    temperature,
    float: strip(a),
    quantized: strip(b),
    top1Drop: a.top1 - b.top1,
    eceIncrease: b.ece - a.ece,
    agreement: same / a.predicted.length,
    maxProbabilityChange,
  };
}

/** Differences within this of the limit pass: the figures are ratios of counts, not exact decimals. */
const ROUNDING_SLACK = 1e-9;

/** Throws QuantizationToleranceError, with both models' figures, when a limit is exceeded. */
export function requireWithinTolerance(comparison: QuantizationComparison, tolerance: QuantizationTolerance, quantization: string): void {
  checkTolerance(tolerance);
  const problems: string[] = [];
  const { float, quantized } = comparison;
  if (comparison.top1Drop > tolerance.maxTop1Drop + ROUNDING_SLACK) {
    problems.push(
      `top-1 fell from ${float.top1.toFixed(4)} to ${quantized.top1.toFixed(4)} (−${comparison.top1Drop.toFixed(4)}, more than maxTop1Drop ${tolerance.maxTop1Drop})`,
    );
  }
  if (comparison.eceIncrease > tolerance.maxEceIncrease + ROUNDING_SLACK) {
    problems.push(
      `ECE rose from ${float.ece.toFixed(4)} to ${quantized.ece.toFixed(4)} (+${comparison.eceIncrease.toFixed(4)}, more than maxEceIncrease ${tolerance.maxEceIncrease})`,
    );
  }
  if (problems.length === 0) return;
  const alternative = quantization === 'uint8' ? "export with quantization 'float16' (near-lossless), " : '';
  throw new QuantizationToleranceError(
    `the ${quantization} model is not good enough on the ${comparison.samples} test images: ${problems.join('; ')}. ` +
      `Keep the float model for this app, ${alternative}or raise the tolerance if the loss is acceptable (one image of ${comparison.samples} is ${(1 / comparison.samples).toFixed(4)} of top-1).`,
  );
}
