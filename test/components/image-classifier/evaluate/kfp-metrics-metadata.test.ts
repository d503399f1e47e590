import { classificationMetricsProblems } from '../../../../compiler';
import {
  classificationMetricsMetadata,
  evaluationScalars,
  scalarMetricsMetadata,
} from '../../../../components/image-classifier/evaluate/kfp-metrics-metadata';
import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import {
  DEFAULT_ROC_THRESHOLDS,
  oneVsRestRoc,
  rocPoints,
  top1CorrectRoc,
} from '../../../../components/image-classifier/evaluate/roc-points';
import { scorePredictions } from '../../../../components/image-classifier/evaluate/score-predictions';
import { fitTemperature } from '../../../../components/image-classifier/evaluate/temperature-scaling';
import { chooseThresholdsForPrecision } from '../../../../components/image-classifier/evaluate/thresholds';
import { V1, makeV3 } from './vectors';

describe('system.ClassificationMetrics metadata', () => {
  test('V1: the exact shape KFP writes — annotationSpecs, rows wrapped as {row}, confidenceMetrics keys', () => {
    const report = scorePredictions(V1.probabilities, V1.labels, V1.classes);
    const metadata = classificationMetricsMetadata({
      labels: ['cat', 'dog', 'fox'],
      confusion: report.confusion,
      confidenceMetrics: top1CorrectRoc(report.scored, [0.9, 0.6, 0]),
    });
    // JSON round trip: what lands in executor_output.json is exactly this.
    expect(JSON.parse(JSON.stringify(metadata))).toEqual({
      confusionMatrix: {
        annotationSpecs: [{ displayName: 'cat' }, { displayName: 'dog' }, { displayName: 'fox' }],
        rows: [{ row: [2, 0, 1] }, { row: [1, 1, 0] }, { row: [0, 0, 0] }],
      },
      confidenceMetrics: [
        // correct: confidences .90 .55 .75; wrong: .70 .62
        { confidenceThreshold: 0.9, recall: 1 / 3, falsePositiveRate: 0 },
        { confidenceThreshold: 0.6, recall: 2 / 3, falsePositiveRate: 1 },
        { confidenceThreshold: 0, recall: 1, falsePositiveRate: 1 },
      ],
    });
    expect(Object.keys(metadata.confidenceMetrics?.[0] ?? {})).toEqual(['confidenceThreshold', 'recall', 'falsePositiveRate']);
    expect(classificationMetricsProblems(metadata)).toEqual([]);
  });

  test('the confusion matrix alone is valid metadata, and the label count must match the matrix', () => {
    const metadata = classificationMetricsMetadata({ labels: ['a', 'b'], confusion: Float64Array.from([3, 1, 0, 4]) });
    expect(metadata).toEqual({
      confusionMatrix: { annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }], rows: [{ row: [3, 1] }, { row: [0, 4] }] },
    });
    expect(() => classificationMetricsMetadata({ labels: ['a', 'b', 'c'], confusion: Float64Array.from([3, 1, 0, 4]) })).toThrow(
      'confusion matrix has 4 cells but there are 3 labels (9 cells)',
    );
  });

  test('classificationMetricsProblems lists what the KFP UI would refuse to plot', () => {
    expect(classificationMetricsProblems([])).toEqual(['metadata must be an object']);
    expect(
      classificationMetricsProblems({
        confusionMatrix: {
          annotationSpecs: [{ displayName: 'a' }, { name: 'b' }],
          rows: [
            [1, 2],
            [3, 4],
          ],
        },
        confidenceMetrics: [{ confidenceThreshold: 0.5, recall: '0.9', fpr: 0.1 }],
      }),
    ).toEqual([
      'confusionMatrix.annotationSpecs must be an array of {displayName: string}',
      'confusionMatrix.rows must be an array of {row: number[]} (each row wrapped in an object)',
      'confidenceMetrics[0].recall must be a finite number',
      'confidenceMetrics[0].falsePositiveRate must be a finite number',
    ]);
    expect(
      classificationMetricsProblems({
        confusionMatrix: {
          annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }],
          rows: [{ row: [1, 2] }, { row: [3] }, { row: [0, 0] }],
        },
      }),
    ).toEqual(['confusionMatrix has 2 annotationSpecs but 3 rows', 'confusionMatrix.rows[1].row has 1 entries, expected 2']);
  });
});

describe('ROC points', () => {
  test('recall and false-positive rate at each threshold, in the order given; an empty class gives 0, not NaN', () => {
    const points = rocPoints([0.9, 0.8, 0.4, 0.3], [1, 0, 1, 0], [1, 0.5, 0.35, 0]);
    expect(points).toEqual([
      { confidenceThreshold: 1, recall: 0, falsePositiveRate: 0 },
      { confidenceThreshold: 0.5, recall: 0.5, falsePositiveRate: 0.5 },
      { confidenceThreshold: 0.35, recall: 1, falsePositiveRate: 0.5 },
      { confidenceThreshold: 0, recall: 1, falsePositiveRate: 1 },
    ]);
    expect(rocPoints([0.9, 0.2], [1, 1], [0.5])).toEqual([{ confidenceThreshold: 0.5, recall: 0.5, falsePositiveRate: 0 }]);
  });

  test('a score exactly on a threshold counts as accepted (score >= threshold)', () => {
    expect(rocPoints([0.5, 0.5], [1, 0], [0.5])).toEqual([{ confidenceThreshold: 0.5, recall: 1, falsePositiveRate: 1 }]);
  });

  test('one class against the rest on V1, with the default 21 descending thresholds', () => {
    const points = oneVsRestRoc(V1.probabilities, V1.labels, 3, 1);
    expect(points).toHaveLength(21);
    expect(points.map((p) => p.confidenceThreshold)).toEqual(DEFAULT_ROC_THRESHOLDS);
    // class 1 scores: .05 .20 .40 .75 .28 with positives rows 1 and 3
    expect(points.find((p) => p.confidenceThreshold === 0.3)).toEqual({ confidenceThreshold: 0.3, recall: 0.5, falsePositiveRate: 1 / 3 });
    expect(() => oneVsRestRoc(V1.probabilities, V1.labels, 3, 3)).toThrow('positiveClass is 3; pass a 0-based class index in [0, 2]');
  });
});

describe('system.Metrics metadata', () => {
  test('evaluationScalars: a flat map of finite numbers with the documented names', () => {
    const { logits, labels } = makeV3();
    const temperature = fitTemperature(logits, labels, 10);
    const uncalibrated = scorePredictions(softmaxRows(logits, 10), labels, 10);
    const calibrated = scorePredictions(softmaxRows(logits, 10, temperature.temperature), labels, 10);
    const thresholds = chooseThresholdsForPrecision(calibrated.scored, 0.9)!;
    const scalars = evaluationScalars({ calibrated, uncalibrated, temperature, thresholds });
    expect(Object.keys(scalars)).toEqual([
      'samples',
      'top1',
      'top3',
      'ece',
      'mce',
      'rmsce',
      'adaptive_ece',
      'classwise_ece',
      'brier',
      'nll',
      'macro_precision',
      'macro_recall',
      'macro_f1',
      'ece_uncalibrated',
      'mce_uncalibrated',
      'brier_uncalibrated',
      'nll_uncalibrated',
      'temperature',
      'tau',
      'margin',
      'coverage',
      'selective_accuracy',
    ]);
    expect(Object.values(scalars).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(scalars).toMatchObject({ samples: 1000, top1: 0.456, top3: 0.64, margin: 0, coverage: 0.261 });
    expect(Number(scalars.ece?.toFixed(10))).toBe(0.1202014871);
    expect(Number(scalars.ece_uncalibrated?.toFixed(10))).toBe(0.1383033927);
  });

  test('scalarMetricsMetadata refuses NaN and non-numbers, naming the metric', () => {
    expect(scalarMetricsMetadata({ accuracy: 0.9 })).toEqual({ accuracy: 0.9 });
    expect(() => scalarMetricsMetadata({ accuracy: NaN })).toThrow(
      'metric "accuracy" is NaN; system.Metrics values must be finite numbers',
    );
    expect(() => scalarMetricsMetadata({ nested: { a: 1 } as unknown as number })).toThrow('metric "nested" is an object');
  });
});
