// The evaluate step's computation on the reference vector V3 (vectors.ts), used as both
// the val and the test split, and its fallback and input errors.
import { classificationMetricsProblems } from '../../../../compiler';
import { evaluatePredictions, minimumAccepted } from '../../../../components/image-classifier/evaluate/evaluate-predictions';
import { labelsSha256 } from '../../../../components/image-classifier/evaluate/model-files';
import { makeV3, round10 } from './vectors';

const V3_LABELS = Array.from({ length: 10 }, (_, k) => `class-${k}`);
const v3 = makeV3();

describe('on V3 as both val and test, target precision 0.9', () => {
  const outcome = evaluatePredictions({ labels: V3_LABELS, val: v3, test: v3, targetPrecision: 0.9 });

  it('fits the reference temperature and reproduces the reference metrics before and after scaling', () => {
    expect(round10(outcome.temperature.temperature)).toBe(2.0398406919);
    expect(round10(outcome.temperature.nll)).toBe(1.7313159284);
    expect(round10(outcome.temperature.nllBefore)).toBe(2.0138227757);
    expect([round10(outcome.uncalibrated.ece), round10(outcome.calibrated.ece)]).toEqual([0.1383033927, 0.1202014871]);
    expect([outcome.calibrated.top1, outcome.calibrated.top3]).toEqual([0.456, 0.64]);
    expect(outcome.warnings).toEqual([]);
  });

  it('chooses the reference thresholds (the worked example on V3) and reports them on test', () => {
    expect(minimumAccepted(1000)).toBe(20);
    const { thresholds } = outcome;
    expect(thresholds).toMatchObject({ targetPrecision: 0.9, targetReached: true, margin: 0, minAccepted: 20 });
    expect(Number(thresholds.tau.toFixed(6))).toBe(0.442533);
    expect([thresholds.validation.coverage, Number(thresholds.validation.accuracy.toFixed(6))]).toEqual([0.261, 0.900383]);
    expect(thresholds.test).toEqual(thresholds.validation); // the same split
  });

  it('publishes flat scalars, KFP ClassificationMetrics, the diagram and the model files', () => {
    expect(outcome.scalars).toMatchObject({
      samples: 1000,
      top1: 0.456,
      top3: 0.64,
      coverage: 0.261,
      margin: 0,
      target_precision: 0.9,
      target_precision_reached: 1,
      val_samples: 1000,
      val_coverage: 0.261,
      temperature_clamped: 0,
    });
    expect(round10(outcome.scalars['ece_uncalibrated']!)).toBe(0.1383033927);
    expect(Object.values(outcome.scalars).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(classificationMetricsProblems(outcome.classification)).toEqual([]);
    expect(outcome.classification.confusionMatrix!.rows.map(({ row }) => row.reduce((a, b) => a + b, 0))).toEqual([
      104, 105, 93, 95, 91, 96, 116, 112, 90, 98,
    ]);
    expect(outcome.reliabilityHtml).toContain('after temperature scaling (T = 2.0398)');
    expect(JSON.parse(outcome.modelJson)).toEqual({
      version: 1,
      tau: outcome.thresholds.tau,
      margin: 0,
      temperature: outcome.temperature.temperature,
      top1: 0.456,
      top3: 0.64,
      ece: outcome.calibrated.ece,
      labelsSha256: labelsSha256(V3_LABELS),
    });
    expect(JSON.parse(outcome.labelMapJson)).toEqual({ labels: V3_LABELS, labelsSha256: outcome.labelsSha256 });
  });
});

it('falls back to tau = 1, margin = 0 with a warning when no cut reaches the target', () => {
  // V3 twice, the copy labelled one class up: both copies of a row share a confidence, so every
  // cut takes both and no cut's selective accuracy exceeds 0.5.
  const logits = new Float64Array(2 * v3.logits.length);
  logits.set(v3.logits);
  logits.set(v3.logits, v3.logits.length);
  const labels = Int32Array.from([...v3.labels, ...Array.from(v3.labels, (y) => (y + 1) % 10)]);
  const outcome = evaluatePredictions({ labels: V3_LABELS, val: { logits, labels }, test: v3, targetPrecision: 0.9 });
  expect(outcome.thresholds).toMatchObject({ targetReached: false, tau: 1, margin: 0, minAccepted: 20 });
  expect(outcome.thresholds.test).toEqual({ tau: 1, margin: 0, coverage: 0, accuracy: 0, accepted: 0 });
  expect(outcome.scalars).toMatchObject({
    tau: 1,
    margin: 0,
    target_precision_reached: 0,
    coverage: 0,
    selective_accuracy: 0,
    val_samples: 2000,
  });
  expect(outcome.warnings).toEqual([
    `no confidence threshold reaches the target precision 0.9 on the validation split (2000 images, top-1 ${(outcome.validation.top1 * 100).toFixed(1)}%, at least 20 accepted); ` +
      'falling back to tau = 1, margin = 0, which abstains on almost every prediction. Lower targetPrecision, or improve the model.',
  ]);
  expect(outcome.validation.top1).toBeLessThanOrEqual(0.5);
  expect(JSON.parse(outcome.modelJson)).toMatchObject({ tau: 1, margin: 0 });
});

it('needs half of a small validation split, at most 20, in a threshold cut', () => {
  expect([1, 2, 15, 39, 40, 41, 100000].map(minimumAccepted)).toEqual([1, 1, 8, 20, 20, 20, 20]);
});

it('warns when the temperature hits its clamp on separable validation data', () => {
  // Two classes, every sample right with a margin: NLL keeps falling as T → 0.
  const logits = Float64Array.from([3, 0, 0, 3, 2, 0, 0, 2]);
  const labels = [0, 1, 0, 1];
  const outcome = evaluatePredictions({ labels: ['a', 'b'], val: { logits, labels }, test: { logits, labels }, targetPrecision: 0.9 });
  expect(outcome.temperature).toMatchObject({ temperature: 0.05, clamped: 'minTemperature' });
  expect(outcome.scalars['temperature_clamped']).toBe(1);
  expect(outcome.warnings[0]).toMatch(/^the fitted temperature hit its lower bound \(T = 0\.05\): the validation split is separated/);
});

it('rejects bad inputs with what to do', () => {
  const run = (overrides: Partial<Parameters<typeof evaluatePredictions>[0]>) => () =>
    evaluatePredictions({ labels: V3_LABELS, val: v3, test: v3, targetPrecision: 0.9, ...overrides });
  expect(run({ targetPrecision: 0 })).toThrow(
    'targetPrecision must be in (0, 1], got 0; it is the selective accuracy the accepted predictions must reach, e.g. 0.9',
  );
  expect(run({ bins: 0 })).toThrow('bins must be an integer >= 1, got 0');
  expect(run({ labels: V3_LABELS.slice(0, 9) })).toThrow(
    'the val split has 10000 logits for 1000 images × 9 classes; pass one row of 9 logits per image',
  );
  expect(run({ test: { logits: new Float64Array(0), labels: [] } })).toThrow(
    /^the test split has no images; the evaluate step needs both val and test images/,
  );
  expect(run({ labels: ['only'] })).toThrow('the label map has 1 class; a classifier needs at least 2');
});
