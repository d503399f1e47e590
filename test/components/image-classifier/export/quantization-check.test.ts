// Scoring the float and quantized models side by side from their logits, and the tolerance check's
// decisions and messages.
import { KfpTsError } from '../../../../compiler/errors/kfp-ts-error';
import type { SplitPredictions } from '../../../../components/image-classifier/evaluate/predict-split';
import {
  QuantizationToleranceError,
  compareQuantized,
  requireWithinTolerance,
} from '../../../../components/image-classifier/export/quantization-check';

/** Two classes; row i has logits [z_i, 0] and label labels[i]. */
function predictions(z: readonly number[], labels: readonly number[]): SplitPredictions {
  return { logits: Float64Array.from(z.flatMap((v) => [v, 0])), labels: Int32Array.from(labels), classes: 2 };
}

const LABELS = [0, 0, 0, 0, 1, 1, 1, 1];
const FLOAT = predictions([3, 2, 1, 0.5, -3, -2, -1, -0.5], LABELS); // all right
const ONE_FLIPPED = predictions([3, 2, 1, -0.1, -3, -2, -1, -0.5], LABELS); // row 3 now predicts class 1

describe('compareQuantized', () => {
  it('scores identical logits as identical', () => {
    const c = compareQuantized(FLOAT, FLOAT, 1.5, 15);
    expect(c).toMatchObject({ samples: 8, temperature: 1.5, top1Drop: 0, eceIncrease: 0, agreement: 1, maxProbabilityChange: 0 });
    expect(c.float.top1).toBe(1);
    expect(c.float).toEqual(c.quantized);
  });

  it('measures the top-1 drop, agreement and probability change of a flipped prediction', () => {
    const c = compareQuantized(FLOAT, ONE_FLIPPED, 1, 15);
    expect(c.float.top1).toBe(1);
    expect(c.quantized.top1).toBe(7 / 8);
    expect(c.top1Drop).toBeCloseTo(1 / 8, 12);
    expect(c.agreement).toBe(7 / 8);
    // p(class 0) of row 3: σ(0.5) → σ(−0.1).
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(c.maxProbabilityChange).toBeCloseTo(sigmoid(0.5) - sigmoid(-0.1), 12);
    expect(c.eceIncrease).toBeCloseTo(c.quantized.ece - c.float.ece, 15);
  });

  it('applies the temperature to both models', () => {
    const cold = compareQuantized(FLOAT, FLOAT, 0.25, 15);
    const hot = compareQuantized(FLOAT, FLOAT, 4, 15);
    // Every prediction is right, so ECE is 1 − mean confidence: smaller when the softmax is sharper.
    expect(cold.float.ece).toBeLessThan(hot.float.ece);
    expect(cold.float.eceUncalibrated).toBe(hot.float.eceUncalibrated);
  });

  it('refuses predictions of different images', () => {
    expect(() => compareQuantized(FLOAT, predictions([1], [0]), 1, 15)).toThrow(/different images or classes \(8×2 vs 1×2\)/);
    expect(() => compareQuantized(FLOAT, predictions([3, 2, 1, 0.5, -3, -2, -1, -0.5], [1, 0, 0, 0, 1, 1, 1, 1]), 1, 15)).toThrow(
      /different images/,
    );
  });
});

describe('requireWithinTolerance', () => {
  const flipped = compareQuantized(FLOAT, ONE_FLIPPED, 1, 15);

  it('passes within the tolerance, the limit included', () => {
    expect(() => requireWithinTolerance(flipped, { maxTop1Drop: 0.125, maxEceIncrease: 1 }, 'uint8')).not.toThrow();
    expect(() =>
      requireWithinTolerance(compareQuantized(ONE_FLIPPED, FLOAT, 1, 15), { maxTop1Drop: 0, maxEceIncrease: 1 }, 'uint8'),
    ).not.toThrow(); // quantization helped
  });

  it('fails with both models’ figures and what to do', () => {
    const check = () => requireWithinTolerance(flipped, { maxTop1Drop: 0.01, maxEceIncrease: 1 }, 'uint8');
    expect(check).toThrow(QuantizationToleranceError);
    expect(check).toThrow(
      "the uint8 model is not good enough on the 8 test images: top-1 fell from 1.0000 to 0.8750 (−0.1250, more than maxTop1Drop 0.01). Keep the float model for this app, export with quantization 'float16' (near-lossless), or raise the tolerance if the loss is acceptable (one image of 8 is 0.1250 of top-1).",
    );
  });

  it('reports an ECE rise alone, and together with a top-1 drop', () => {
    const worse = compareQuantized(FLOAT, predictions([1, 1, 1, -0.1, -1, -1, -1, -1], LABELS), 1, 15);
    expect(() => requireWithinTolerance(worse, { maxTop1Drop: 0.01, maxEceIncrease: 0.01 }, 'float16')).toThrow(
      /^the float16 model is not good enough on the 8 test images: top-1 fell from 1\.0000 to 0\.8750 \(−0\.1250, more than maxTop1Drop 0\.01\); ECE rose from \d\.\d{4} to \d\.\d{4} \(\+\d\.\d{4}, more than maxEceIncrease 0\.01\)\. Keep the float model for this app, or raise the tolerance/,
    );
    const eceOnly = compareQuantized(FLOAT, predictions([1, 1, 1, 1, -1, -1, -1, -1], LABELS), 1, 15);
    expect(eceOnly.top1Drop).toBe(0);
    expect(eceOnly.eceIncrease).toBeGreaterThan(0.01);
    expect(() => requireWithinTolerance(eceOnly, { maxTop1Drop: 0.01, maxEceIncrease: 0.01 }, 'uint8')).toThrow(
      /^the uint8 model is not good enough on the 8 test images: ECE rose from/,
    );
  });

  it('refuses a tolerance outside [0, 1]', () => {
    expect(() => requireWithinTolerance(flipped, { maxTop1Drop: -0.1, maxEceIncrease: 0.01 }, 'uint8')).toThrow(KfpTsError);
    expect(() => requireWithinTolerance(flipped, { maxTop1Drop: 0.01, maxEceIncrease: 2 }, 'uint8')).toThrow(
      /maxEceIncrease is 2; it must be a number in \[0, 1\]/,
    );
  });
});
