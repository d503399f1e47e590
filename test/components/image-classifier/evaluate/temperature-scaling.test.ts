import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { scorePredictions } from '../../../../components/image-classifier/evaluate/score-predictions';
import {
  applyTemperatureToLogits,
  applyTemperatureToProbabilities,
  fitTemperature,
  fitTemperatureToProbabilities,
} from '../../../../components/image-classifier/evaluate/temperature-scaling';
import { makeV3, round10, xorshift32 } from './vectors';

/**
 * Logits whose labels are drawn from softmax(z / trueTemperature): a model whose only
 * miscalibration is its temperature, so the NLL-optimal T converges to trueTemperature as n grows.
 */
function syntheticWithTemperature(samples: number, classes: number, trueTemperature: number, seed: number) {
  const next = xorshift32(seed);
  const logits = new Float64Array(samples * classes);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const hot = Math.floor(next() * classes);
    for (let k = 0; k < classes; k++) logits[i * classes + k] = 3 * (next() - 0.5) + (k === hot ? 4 : 0);
  }
  const p = softmaxRows(logits, classes, trueTemperature);
  for (let i = 0; i < samples; i++) {
    let u = next();
    let k = 0;
    while (k < classes - 1 && u >= p[i * classes + k]!) u -= p[i * classes + k++]!;
    labels[i] = k;
  }
  return { logits, labels };
}

describe('fitTemperature', () => {
  test('V3: T = 2.0398406919 with NLL 1.7313159284, in under 10 Newton steps', () => {
    const { logits, labels } = makeV3();
    const fit = fitTemperature(logits, labels, 10);
    expect(round10(fit.temperature)).toBe(2.0398406919);
    expect(round10(fit.nll)).toBe(1.7313159284);
    expect(round10(fit.nllBefore)).toBe(2.0138227757);
    expect(fit.iterations).toBeLessThan(10);
    expect(fit).toMatchObject({ converged: true, clamped: null });
  });

  test('the fitted T is a minimum: NLL rises on both sides', () => {
    const { logits, labels } = makeV3();
    const { temperature, nll } = fitTemperature(logits, labels, 10);
    const nllAt = (t: number) => scorePredictions(softmaxRows(logits, 10, t), labels, 10).nll;
    expect(nllAt(temperature * 0.99)).toBeGreaterThan(nll);
    expect(nllAt(temperature * 1.01)).toBeGreaterThan(nll);
  });

  test.each([
    [2.5, 11],
    [0.6, 12],
    [1, 13],
  ])('recovers a known temperature %p from 20,000 synthetic samples', (trueTemperature, seed) => {
    const { logits, labels } = syntheticWithTemperature(20000, 5, trueTemperature, seed);
    const fit = fitTemperature(logits, labels, 5);
    expect(Math.abs(fit.temperature / trueTemperature - 1)).toBeLessThan(0.03);
    expect(fit.converged).toBe(true);
  });

  test('temperature scaling never changes top-1 or top-3 accuracy, and lowers NLL on the split it was fitted on', () => {
    const { logits, labels } = syntheticWithTemperature(5000, 6, 2, 21);
    const fit = fitTemperature(logits, labels, 6);
    const before = scorePredictions(softmaxRows(logits, 6), labels, 6);
    const after = scorePredictions(applyTemperatureToLogits(logits, 6, fit.temperature), labels, 6);
    expect(after.top1).toBe(before.top1);
    expect(after.top3).toBe(before.top3);
    expect(after.nll).toBeLessThan(before.nll);
  });

  test('separable data drives T to 0: the result is the lower clamp, reported as such', () => {
    const logits = Float64Array.from([5, 0, 0, 0, 6, 1, 2, 0, 9, 0, 3, 0]);
    const fit = fitTemperature(logits, [0, 1, 2, 1], 3);
    expect(fit).toMatchObject({ temperature: 0.05, clamped: 'minTemperature', converged: true });
    expect(fitTemperature(logits, [0, 1, 2, 1], 3, { minTemperature: 0.2 }).temperature).toBe(0.2);
  });

  test('labels that always contradict the logits drive T up to the upper clamp', () => {
    const logits = Float64Array.from([5, 0, 0, 6, 2, 0]);
    const fit = fitTemperature(logits, [1, 0, 1], 2, { maxTemperature: 50 });
    expect(fit).toMatchObject({ temperature: 50, clamped: 'maxTemperature' });
  });

  test('rows of equal logits leave T at 1 (the NLL does not depend on T)', () => {
    const fit = fitTemperature(Float64Array.from([1, 1, 1, 2, 2, 2]), [0, 2], 3);
    expect(fit).toMatchObject({ temperature: 1, clamped: null, converged: true });
  });

  test('invalid input is refused with the reason', () => {
    expect(() => fitTemperature(Float64Array.from([1, Infinity]), [0], 2)).toThrow(
      'logits row 0 column 1 is Infinity; every value must be finite',
    );
    expect(() => fitTemperature(Float64Array.from([1, 0]), [2], 2)).toThrow('label of sample 0 is 2');
    expect(() => fitTemperature(Float64Array.from([1, 0]), [0], 2, { minTemperature: 0 })).toThrow('temperature clamp must satisfy');
  });
});

describe('applying a temperature', () => {
  test('to probabilities equals applying it to the logits they came from', () => {
    const { logits } = makeV3(50);
    const fromLogits = applyTemperatureToLogits(logits, 10, 2.04);
    const fromProbabilities = applyTemperatureToProbabilities(softmaxRows(logits, 10), 10, 2.04);
    let worst = 0;
    for (let j = 0; j < fromLogits.length; j++) worst = Math.max(worst, Math.abs(fromLogits[j]! - fromProbabilities[j]!));
    expect(worst).toBeLessThan(1e-15);
  });

  test('fitting on saved probabilities finds the same T as on the logits', () => {
    const { logits, labels } = makeV3();
    expect(round10(fitTemperatureToProbabilities(softmaxRows(logits, 10), labels, 10).temperature)).toBe(2.0398406919);
  });

  test('softmaxRows is max-subtracted (no overflow) and rejects a non-positive temperature', () => {
    expect(Array.from(softmaxRows(Float64Array.from([1000, 1000, -1000]), 3))).toEqual([0.5, 0.5, 0]);
    expect(() => softmaxRows(Float64Array.from([1, 2]), 2, 0)).toThrow('temperature must be a finite number > 0, got 0');
  });
});
