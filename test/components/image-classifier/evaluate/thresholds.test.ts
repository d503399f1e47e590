import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { scorePredictions } from '../../../../components/image-classifier/evaluate/score-predictions';
import { applyTemperatureToLogits, fitTemperature } from '../../../../components/image-classifier/evaluate/temperature-scaling';
import {
  type SelectiveSamples,
  chooseThresholdsForCoverage,
  chooseThresholdsForPrecision,
  evaluateThresholds,
  riskCoverageSweep,
} from '../../../../components/image-classifier/evaluate/thresholds';
import { makeV3 } from './vectors';
import { defined } from '../../../support/defined';

const samples = (confidence: number[], margin: number[], correct: number[]): SelectiveSamples => ({
  confidence: Float64Array.from(confidence),
  margin: Float64Array.from(margin),
  correct: Uint8Array.from(correct),
});

/** Every (tau, margin) pair with tau an observed confidence, scored directly by the decision rule. */
function bruteForceBestForPrecision(s: SelectiveSamples, target: number, margins: number[], minAccepted: number) {
  const n = s.confidence.length;
  let best: { coverage: number; accuracy: number } | null = null;
  for (const m of margins) {
    for (const tau of new Set(s.confidence)) {
      let accepted = 0;
      let hits = 0;
      for (let i = 0; i < n; i++) {
        if (s.confidence[i]! >= tau && s.margin[i]! >= m) {
          accepted++;
          hits += s.correct[i]!;
        }
      }
      const accuracy = hits / accepted;
      if (accepted < minAccepted || accuracy < target) continue;
      const coverage = accepted / n;
      if (!best || coverage > best.coverage || (coverage === best.coverage && accuracy > best.accuracy)) best = { coverage, accuracy };
    }
  }
  return best;
}

describe('chooseThresholdsForPrecision', () => {
  test('V3 after temperature scaling: the worked example', () => {
    const { logits, labels } = makeV3();
    const { scored } = scorePredictions(softmaxRows(logits, 10, 2.0398406919), labels, 10);
    const rows = [0.75, 0.85, 0.9, 0.95].map((target) => {
      const cut = chooseThresholdsForPrecision(scored, target, { margins: [0, 0.05, 0.1, 0.2], minAccepted: 20 })!;
      return [target, Number(cut.tau.toFixed(6)), cut.margin, Number(cut.coverage.toFixed(3)), Number(cut.accuracy.toFixed(6))];
    });
    expect(rows).toEqual([
      [0.75, 0.326769, 0.1, 0.441, 0.750567],
      [0.85, 0.398564, 0, 0.321, 0.850467],
      [0.9, 0.442533, 0, 0.261, 0.900383],
      [0.95, 0.500697, 0, 0.204, 0.95098],
    ]);
  });

  test('cuts fall only between distinct confidences: a tied group is accepted or refused whole', () => {
    // 0.9 (hit), then three tied 0.8s with one hit: cutting inside the tie could give 2/2, but only 1/1 and 2/4 are cuts.
    const s = samples([0.9, 0.8, 0.8, 0.8], [0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0]);
    expect(chooseThresholdsForPrecision(s, 0.6, { minAccepted: 1 })).toEqual({
      tau: 0.9,
      margin: 0,
      coverage: 0.25,
      accuracy: 1,
      accepted: 1,
    });
    expect(chooseThresholdsForPrecision(s, 0.5, { minAccepted: 1 })).toMatchObject({ tau: 0.8, coverage: 1, accuracy: 0.5 });
  });

  test('the largest coverage meeting the target wins; a full tie goes to the first margin of the grid', () => {
    const s = samples([0.9, 0.8, 0.7, 0.6], [0.3, 0.3, 0.3, 0.3], [1, 1, 1, 0]);
    // Every margin in the grid keeps all four samples, so all cuts tie across margins: the first margin wins.
    expect(chooseThresholdsForPrecision(s, 0.8, { margins: [0.1, 0], minAccepted: 1 })).toEqual({
      tau: 0.7,
      margin: 0.1,
      coverage: 0.75,
      accuracy: 1,
      accepted: 3,
    });
  });

  test('minAccepted excludes tiny confident groups, and an unreachable target gives null', () => {
    const s = samples([0.99, 0.6, 0.5], [0.9, 0.2, 0.1], [1, 0, 0]);
    expect(chooseThresholdsForPrecision(s, 0.9, { minAccepted: 1 })).toMatchObject({ tau: 0.99, accepted: 1 });
    expect(chooseThresholdsForPrecision(s, 0.9, { minAccepted: 2 })).toBeNull();
    expect(() => chooseThresholdsForPrecision(s, 1.5)).toThrow('target precision must lie in [0, 1], got 1.5');
  });

  test('synthetic data: the choice reaches the target, and no pair on the grid covers more (brute force)', () => {
    const { logits, labels } = makeV3(1500, 6, 99);
    const fit = fitTemperature(logits, labels, 6);
    const { scored } = scorePredictions(applyTemperatureToLogits(logits, 6, fit.temperature), labels, 6);
    const margins = [0, 0.05, 0.1, 0.2];
    for (const target of [0.7, 0.8, 0.9, 0.95]) {
      const cut = chooseThresholdsForPrecision(scored, target, { margins, minAccepted: 20 })!;
      const check = evaluateThresholds(scored, cut.tau, cut.margin);
      expect(check.accuracy).toBeGreaterThanOrEqual(target);
      expect(check).toEqual(cut);
      expect({ coverage: cut.coverage, accuracy: cut.accuracy }).toEqual(bruteForceBestForPrecision(scored, target, margins, 20));
    }
  });

  test('fitted on validation, the thresholds hold their precision on a held-out split of the same generator', () => {
    const validation = makeV3(10000, 10, 1234);
    const test = makeV3(10000, 10, 5678);
    const fit = fitTemperature(validation.logits, validation.labels, 10);
    const scoredOn = (split: typeof validation) =>
      scorePredictions(applyTemperatureToLogits(split.logits, 10, fit.temperature), split.labels, 10).scored;
    const cut = chooseThresholdsForPrecision(scoredOn(validation), 0.9)!;
    const held = evaluateThresholds(scoredOn(test), cut.tau, cut.margin);
    expect(held.accuracy).toBeGreaterThan(0.89);
    expect(Math.abs(held.coverage - cut.coverage)).toBeLessThan(0.02);
  });
});

describe('chooseThresholdsForCoverage', () => {
  test('the most accurate cut that still covers the target share; ties go to larger coverage', () => {
    const s = samples([0.9, 0.8, 0.7, 0.6, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5], [1, 0, 1, 1, 0]);
    // cuts: 1/1 cov .2, 1/2 .4, 2/3 .6, 3/4 .8, 3/5 1
    expect(chooseThresholdsForCoverage(s, 0.5, { minAccepted: 1 })).toMatchObject({ tau: 0.6, coverage: 0.8, accuracy: 0.75 });
    expect(chooseThresholdsForCoverage(s, 0.1, { minAccepted: 1 })).toMatchObject({ tau: 0.9, coverage: 0.2, accuracy: 1 });
  });
});

describe('riskCoverageSweep', () => {
  test('lists every cut by descending tau per margin', () => {
    const s = samples([0.9, 0.8, 0.8, 0.6], [0.5, 0.05, 0.5, 0.5], [1, 1, 0, 0]);
    expect(riskCoverageSweep(s, { margins: [0, 0.1] })).toEqual([
      {
        margin: 0,
        points: [
          { tau: 0.9, coverage: 0.25, accuracy: 1 },
          { tau: 0.8, coverage: 0.75, accuracy: 2 / 3 },
          { tau: 0.6, coverage: 1, accuracy: 0.5 },
        ],
      },
      {
        margin: 0.1,
        points: [
          { tau: 0.9, coverage: 0.25, accuracy: 1 },
          { tau: 0.8, coverage: 0.5, accuracy: 0.5 },
          { tau: 0.6, coverage: 0.75, accuracy: 1 / 3 },
        ],
      },
    ]);
  });

  test('thins a long curve to at most maxPointsPerMargin points, keeping both ends', () => {
    const { logits, labels } = makeV3(5000);
    const { scored } = scorePredictions(softmaxRows(logits, 10), labels, 10);
    const curve = defined(riskCoverageSweep(scored, { margins: [0], maxPointsPerMargin: 50 })[0], 'the margin-0 curve');
    expect(curve.points.length).toBeLessThanOrEqual(50);
    expect(curve.points.length).toBeGreaterThan(40);
    expect(curve.points[0]?.coverage).toBe(1 / 5000);
    expect(curve.points.at(-1)?.coverage).toBe(1);
    for (const [j, point] of curve.points.entries())
      if (j > 0) expect(point.tau).toBeLessThan(defined(curve.points[j - 1], `point ${j - 1}`).tau);
  });
});
