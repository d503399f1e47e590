import { scorePredictions } from '../../../../components/image-classifier/evaluate/score-predictions';
import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { EDGE, V1, V2, V3_SEED, makeV3, round10, xorshift32 } from './vectors';
import { defined } from '../../../support/defined';

/** All scalar metrics rounded to the 10 decimals the reference values are given at (vectors.ts). */
function rounded(report: ReturnType<typeof scorePredictions>) {
  return {
    ece: round10(report.ece),
    mce: round10(report.mce),
    rmsce: round10(report.rmsce),
    adaptiveEce: round10(report.adaptiveEce),
    classwiseEce: round10(report.classwiseEce),
    brier: round10(report.brier),
    nll: round10(report.nll),
    top1: round10(report.top1),
    top3: round10(report.top3),
  };
}

describe('scorePredictions on the reference test vectors', () => {
  test('V1 (K = 3, n = 5): every metric of the table', () => {
    const report = scorePredictions(V1.probabilities, V1.labels, V1.classes);
    expect(rounded(report)).toEqual({
      ece: 0.424,
      mce: 0.7,
      rmsce: 0.4794580274,
      adaptiveEce: 0.424,
      classwiseEce: 0.3333333333,
      brier: 0.57956,
      nll: 0.9805805189,
      top1: 0.6,
      top3: 1,
    });
    expect(report.topK.map(round10)).toEqual([0.6, 0.8, 1]);
    // The hand-derived bins: confidences .90 .70 .55 .75 .62 land in 0-based bins 13, 10, 8, 11, 9.
    expect(report.reliability.flatMap((bin, m) => (bin.count > 0 ? [m] : []))).toEqual([8, 9, 10, 11, 13]);
    expect(Array.from(report.scored.confidence)).toEqual([0.9, 0.7, 0.55, 0.75, 0.62]);
    expect(Array.from(report.scored.correct)).toEqual([1, 0, 1, 1, 0]);
  });

  test('V1: confusion matrix and per-class precision/recall/F1', () => {
    const report = scorePredictions(V1.probabilities, V1.labels, V1.classes);
    // rows = true class, columns = predicted class
    expect(Array.from(report.confusion)).toEqual([2, 0, 1, 1, 1, 0, 0, 0, 0]);
    const perClass = report.classReport.perClass.map((c) => [c.precision, c.recall, c.f1, c.support, c.predicted].map(round10));
    expect(perClass).toEqual([
      [0.6666666667, 0.6666666667, 0.6666666667, 3, 3],
      [1, 0.5, 0.6666666667, 2, 1],
      [0, 0, 0, 0, 1], // never the true class: zero division reported as 0
    ]);
    expect(round10(report.classReport.macroF1)).toBe(0.4444444444);
  });

  test('V2 (K = 2, n = 8), adaptive ECE with M = 4', () => {
    const report = scorePredictions(V2.probabilities, V2.labels, V2.classes, { adaptiveBins: 4 });
    expect(rounded(report)).toMatchObject({
      ece: 0.315,
      mce: 0.55,
      rmsce: 0.3616455447,
      adaptiveEce: 0.26,
      classwiseEce: 0.41,
      brier: 0.5167,
      nll: 0.7449537816,
      top1: 0.5,
    });
    const nonEmpty = report.reliability.flatMap((bin, m) =>
      bin.count > 0 ? [[m, bin.count, round10(bin.accuracy!), round10(bin.confidence!)]] : [],
    );
    expect(nonEmpty).toEqual([
      [7, 1, 0, 0.52],
      [8, 1, 0, 0.55],
      [9, 2, 0.5, 0.635],
      [10, 1, 1, 0.7],
      [13, 2, 0.5, 0.915],
      [14, 1, 1, 0.95],
    ]);
    expect(report.classwiseEcePerClass.map(round10)).toEqual([0.41, 0.41]);
  });

  test('edge vector E: a tie predicts the lowest index, and bins are (lo, hi] (0.525, not torchmetrics 0.025)', () => {
    const report = scorePredictions(EDGE.probabilities, EDGE.labels, EDGE.classes, { bins: 10 });
    expect(Array.from(report.scored.predicted)).toEqual([0, 0]);
    expect(Array.from(report.scored.margin.map(round10))).toEqual([0, 0.1]);
    expect(round10(report.ece)).toBe(0.525);
    expect(report.reliability[4]).toEqual({ lo: 0.4, hi: 0.5, count: 1, accuracy: 1, confidence: 0.5 });
    expect(report.reliability[5]).toMatchObject({ count: 1, accuracy: 0, confidence: 0.55 });
  });

  describe('V3 (n = 1000, K = 10, seeded)', () => {
    const { logits, labels } = makeV3();

    test('the generator matches the checkpoints', () => {
      const next = xorshift32(V3_SEED);
      expect(next()).toBe(0.16844638506881893);
      expect(Array.from(logits.subarray(0, 10)).map((v) => Number(v.toFixed(6)))).toEqual([
        0.651708, 4.244283, -0.259724, 2.57943, -3.303158, -1.484244, -2.712635, -2.608867, 0.943267, -1.846133,
      ]);
      expect(Array.from(logits.subarray(10, 20)).map((v) => Number(v.toFixed(6)))).toEqual([
        3.127424, -0.349831, 0.647739, -1.341905, -0.896097, 2.905823, 2.751554, 3.880053, 2.147621, -1.840108,
      ]);
      expect(Array.from(labels.subarray(0, 10))).toEqual([1, 6, 7, 0, 1, 0, 8, 0, 9, 0]);
      const counts = new Array<number>(10).fill(0);
      for (const y of labels) counts[y]!++;
      expect(counts).toEqual([104, 105, 93, 95, 91, 96, 116, 112, 90, 98]);
      let sum = 0;
      for (const v of logits) sum += v;
      expect(Number(sum.toFixed(9))).toBe(2905.927934162);
    });

    test('softmax(z): the first results row', () => {
      const report = scorePredictions(softmaxRows(logits, 10), labels, 10);
      expect(rounded(report)).toEqual({
        ece: 0.1383033927,
        mce: 0.2431743019,
        rmsce: 0.1566562927,
        adaptiveEce: 0.137259363,
        classwiseEce: 0.0535201226,
        brier: 0.7089253732,
        nll: 2.0138227757,
        top1: 0.456,
        top3: 0.64,
      });
      expect(round10(defined(report.topK[1], 'top-2 accuracy'))).toBe(0.54);
      expect(round10(defined(report.topK[4], 'top-5 accuracy'))).toBe(0.813);
      const bins = report.reliability
        .filter((b) => b.count > 0)
        .map((b) => `${b.lo.toFixed(3)}-${b.hi.toFixed(3)}:${b.count}:${b.accuracy!.toFixed(3)}:${b.confidence!.toFixed(3)}`);
      expect(bins).toEqual([
        '0.133-0.200:1:0.000:0.196',
        '0.200-0.267:23:0.174:0.239',
        '0.267-0.333:87:0.184:0.307',
        '0.333-0.400:136:0.176:0.366',
        '0.400-0.467:131:0.221:0.434',
        '0.467-0.533:126:0.310:0.498',
        '0.533-0.600:87:0.322:0.565',
        '0.600-0.667:63:0.492:0.631',
        '0.667-0.733:65:0.600:0.701',
        '0.733-0.800:43:0.698:0.769',
        '0.800-0.867:53:0.736:0.831',
        '0.867-0.933:58:0.879:0.903',
        '0.933-1.000:127:0.992:0.972',
      ]);
      expect(report.reliability).toHaveLength(15);
      expect(report.reliability[0]).toEqual({ lo: 0, hi: 1 / 15, count: 0, accuracy: null, confidence: null });
    });

    test('softmax(z / T) with T = 2.0398406919: the second results row and its bins', () => {
      const report = scorePredictions(softmaxRows(logits, 10, 2.0398406919), labels, 10);
      expect(rounded(report)).toEqual({
        ece: 0.1202014871,
        mce: 0.3782641954,
        rmsce: 0.1612828279,
        adaptiveEce: 0.1234730383,
        classwiseEce: 0.0351451015,
        brier: 0.6942752299,
        nll: 1.7313159284,
        top1: 0.456,
        top3: 0.64,
      });
      const bins = report.reliability
        .filter((b) => b.count > 0)
        .map((b) => `${b.count}:${b.accuracy!.toFixed(3)}:${b.confidence!.toFixed(3)}`);
      expect(bins).toEqual([
        '30:0.100:0.183',
        '234:0.171:0.237',
        '269:0.275:0.298',
        '149:0.450:0.366',
        '79:0.633:0.430',
        '58:0.759:0.496',
        '40:0.950:0.572',
        '43:0.977:0.635',
        '35:1.000:0.701',
        '31:1.000:0.768',
        '26:1.000:0.834',
        '6:1.000:0.891',
      ]);
    });

    test('float32 rows give the float64 metrics of the same float32 values', () => {
      const p64 = softmaxRows(logits, 10);
      const p32 = Float32Array.from(p64);
      const from32 = scorePredictions(p32, labels, 10);
      const fromWidened = scorePredictions(Float64Array.from(p32), labels, 10);
      expect(from32.ece).toBe(fromWidened.ece);
      expect(from32.nll).toBe(fromWidened.nll);
      expect(from32.brier).toBe(fromWidened.brier);
      expect(Math.abs(from32.ece - 0.1383033927)).toBeLessThan(1e-6);
    });
  });
});

describe('scorePredictions input errors', () => {
  test('logits passed as probabilities are refused with the fix in the message', () => {
    expect(() => scorePredictions(Float64Array.from([2, -1, 0.5, 0.5]), [0, 1], 2)).toThrow(
      'probability at row 0 column 0 is 2; probabilities must lie in [0, 1] (apply softmaxRows to logits)',
    );
    expect(() => scorePredictions(Float64Array.from([0.2, 0.2, 0.5, 0.5]), [0, 1], 2)).toThrow(/probability row 0 sums to 0.4, not 1/);
  });

  test('labels outside [0, K) and length mismatches name what is wrong', () => {
    expect(() => scorePredictions(V1.probabilities, [0, 1, 3, 1, 0], 3)).toThrow(
      'label of sample 2 is 3; labels must be 0-based class indices in [0, 2]',
    );
    expect(() => scorePredictions(V1.probabilities, [0, 1, 0, 1], 3)).toThrow('probabilities has 15 values but 4 labels × 3 classes = 12');
    expect(() => scorePredictions(V1.probabilities, V1.labels, 3, { bins: 0 })).toThrow('bins must be an integer >= 1, got 0');
    expect(() => scorePredictions(Float64Array.from([NaN, 1]), [0], 2)).toThrow('probability at row 0 column 0 is NaN');
  });
});
