import { adaptiveCalibrationError, calibrationFromBins, equalWidthBin } from '../../../../components/image-classifier/evaluate/calibration';
import { stableAscendingOrder } from '../../../../components/image-classifier/evaluate/stable-order';
import { xorshift32 } from './vectors';

/** Adaptive ECE exactly as its definition words it (equal-mass bins of the stably sorted confidences), over an index array sorted by a stable comparator. */
function naiveAdaptiveEce(confidence: number[], correct: number[], bins: number): number {
  const n = confidence.length;
  const order = confidence.map((_, i) => i).sort((a, b) => confidence[a]! - confidence[b]! || a - b);
  let ece = 0;
  for (let m = 0; m < bins; m++) {
    const members = order.slice(Math.floor((m * n) / bins), Math.floor(((m + 1) * n) / bins));
    if (members.length === 0) continue;
    const acc = members.reduce((s, i) => s + correct[i]!, 0) / members.length;
    const conf = members.reduce((s, i) => s + confidence[i]!, 0) / members.length;
    ece += (members.length / n) * Math.abs(acc - conf);
  }
  return ece;
}

describe('equalWidthBin', () => {
  test.each([10, 15])('every exact edge k/%i lands in the bin it closes ((lo, hi] bins)', (bins) => {
    for (let k = 1; k <= bins; k++) expect(equalWidthBin(k / bins, bins)).toBe(k - 1);
  });

  test('0 goes to bin 0 and values just above an edge open the next bin', () => {
    expect(equalWidthBin(0, 15)).toBe(0);
    expect(equalWidthBin(1e-300, 15)).toBe(0);
    expect(equalWidthBin(0.5 + 1e-12, 10)).toBe(5);
    expect(equalWidthBin(1, 15)).toBe(14);
  });
});

describe('calibrationFromBins', () => {
  test('skips empty bins in ECE/MCE/RMSCE but keeps them, with nulls, for the diagram', () => {
    const result = calibrationFromBins([2, 0, 2], [2, 0, 0], [1.2, 0, 1.8], 4);
    // bin 0: acc 1, conf .6 → gap .4; bin 2: acc 0, conf .9 → gap .9
    expect(result.ece).toBeCloseTo(0.5 * 0.4 + 0.5 * 0.9, 15);
    expect(result.mce).toBeCloseTo(0.9, 15);
    expect(result.rmsce).toBeCloseTo(Math.sqrt(0.5 * 0.16 + 0.5 * 0.81), 15);
    expect(result.bins[1]).toEqual({ lo: 1 / 3, hi: 2 / 3, count: 0, accuracy: null, confidence: null });
  });
});

describe('stableAscendingOrder', () => {
  test('orders ascending and keeps equal values in sample order', () => {
    const values = [0.5, 0.25, 0.5, 0, 0.25, 1, 0.5];
    expect(Array.from(stableAscendingOrder(values))).toEqual([3, 1, 4, 0, 2, 6, 5]);
  });

  test('matches a stable comparator sort on 5,000 heavily tied values', () => {
    const next = xorshift32(7);
    const values = Array.from({ length: 5000 }, () => Math.floor(next() * 37) / 37);
    const expected = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    expect(Array.from(stableAscendingOrder(Float64Array.from(values)))).toEqual(expected);
  });

  test('refuses NaN instead of returning a meaningless order', () => {
    expect(() => stableAscendingOrder([0.3, NaN])).toThrow('cannot order NaN values');
  });
});

describe('adaptiveCalibrationError', () => {
  test('ties across a bin boundary are split by original sample order (stable sort)', () => {
    // 4 samples, 2 bins of 2: the three 0.5s straddle the boundary; the stable order puts samples
    // 0 and 1 (hits) below it and sample 3 (miss) above it with the 0.9.
    const confidence = Float64Array.from([0.5, 0.5, 0.9, 0.5]);
    const correct = Uint8Array.from([1, 1, 0, 0]);
    // bin 0 = {0, 1}: acc 1, conf .5; bin 1 = {3, 2}: acc 0, conf .7
    expect(adaptiveCalibrationError(confidence, correct, 2)).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.7, 15);
  });

  test('agrees exactly with the naive definition on tied data of awkward sizes', () => {
    for (const [n, bins, levels] of [
      [1, 15, 3],
      [7, 15, 2],
      [1000, 15, 11],
      [1003, 7, 5],
    ] as const) {
      const next = xorshift32(n * 31 + bins);
      const confidence = Array.from({ length: n }, () => 0.1 + Math.floor(next() * levels) / levels);
      const correct = Array.from({ length: n }, () => (next() < 0.6 ? 1 : 0));
      expect(adaptiveCalibrationError(Float64Array.from(confidence), Uint8Array.from(correct), bins)).toBe(
        naiveAdaptiveEce(confidence, correct, bins),
      );
    }
  });
});
