// system.ClassificationMetrics: classificationMetricsOf(...) writes the confusion matrix and ROC points
// in the exact metadata the KFP SDK's ClassificationMetrics writes (expected JSON below is the SDK's
// json.dumps(metadata, separators=(',', ':')) for the same calls, kubeflow/pipelines @ 7b70c7b9,
// sdk/python/kfp/dsl/types/artifact_types.py; the calls follow its artifact_types_test.py with the
// rates as fractions).
import { MetricsError, classificationMetricsOf, classificationMetricsProblems } from '../../../../compiler';

const artifact = () => ({ uri: 'gs://b/cm', path: '/gcs/b/cm', metadata: {} as Record<string, unknown> });

describe("classificationMetricsOf: the SDK's shapes", () => {
  test('points, categories, a row and cells (the SDK test_complex_metrics calls)', () => {
    // metrics.log_roc_data_point(threshold=0.1, tpr=0.982, fpr=0.962)
    // metrics.log_roc_data_point(threshold=0.243, tpr=0.245, fpr=0.984)
    // metrics.set_confusion_matrix_categories(['dog', 'cat', 'horses'])
    // metrics.log_confusion_matrix_row('dog', [2, 6, 0])
    // metrics.log_confusion_matrix_cell('cat', 'dog', 3)
    // metrics.log_confusion_matrix_cell('horses', 'horses', 3)
    const output = artifact();
    classificationMetricsOf(output)
      .logRocDataPoint({ threshold: 0.1, tpr: 0.982, fpr: 0.962 })
      .logRocDataPoint({ threshold: 0.243, tpr: 0.245, fpr: 0.984 })
      .setConfusionMatrixCategories(['dog', 'cat', 'horses'])
      .logConfusionMatrixRow('dog', [2, 6, 0])
      .logConfusionMatrixCell('cat', 'dog', 3)
      .logConfusionMatrixCell('horses', 'horses', 3);
    expect(JSON.stringify(output.metadata)).toBe(
      '{"confidenceMetrics":[{"confidenceThreshold":0.1,"recall":0.982,"falsePositiveRate":0.962},{"confidenceThreshold":0.243,"recall":0.245,"falsePositiveRate":0.984}],' +
        '"confusionMatrix":{"annotationSpecs":[{"displayName":"dog"},{"displayName":"cat"},{"displayName":"horses"}],"rows":[{"row":[2,6,0]},{"row":[3,0,0]},{"row":[0,0,3]}]}}',
    );
    expect(classificationMetricsProblems(output.metadata)).toEqual([]);
  });

  test('a whole curve and a whole matrix (the SDK test_complex_metrics_bulk_loading calls)', () => {
    // metrics.log_roc_curve(fpr=[0.851, 0.4, 0.05], tpr=[0.526, 0.3, 0.02], threshold=[0.536, 0.7, 0.95])
    // metrics.log_confusion_matrix(['dog', 'cat', 'horses'], [[2, 6, 0], [3, 5, 6], [5, 7, 8]])
    const output = artifact();
    classificationMetricsOf(output)
      .logRocCurve({ fpr: [0.851, 0.4, 0.05], tpr: [0.526, 0.3, 0.02], thresholds: [0.536, 0.7, 0.95] })
      .logConfusionMatrix(
        ['dog', 'cat', 'horses'],
        [
          [2, 6, 0],
          [3, 5, 6],
          [5, 7, 8],
        ],
      );
    expect(JSON.stringify(output.metadata)).toBe(
      '{"confidenceMetrics":[{"confidenceThreshold":0.536,"recall":0.526,"falsePositiveRate":0.851},{"confidenceThreshold":0.7,"recall":0.3,"falsePositiveRate":0.4},' +
        '{"confidenceThreshold":0.95,"recall":0.02,"falsePositiveRate":0.05}],' +
        '"confusionMatrix":{"annotationSpecs":[{"displayName":"dog"},{"displayName":"cat"},{"displayName":"horses"}],"rows":[{"row":[2,6,0]},{"row":[3,5,6]},{"row":[5,7,8]}]}}',
    );
  });

  test("typed arrays are accepted and copied; the logged rows do not alias the caller's arrays", () => {
    const output = artifact();
    const row = [1, 2];
    const counts = Float64Array.from([3, 4]);
    classificationMetricsOf(output)
      .logConfusionMatrix(['a', 'b'], [row, counts])
      .logRocCurve({ fpr: Float64Array.from([0.25]), tpr: Float32Array.from([0.5]), thresholds: Float64Array.from([0.5]) });
    row[0] = 99;
    counts[0] = 99;
    expect(output.metadata).toEqual({
      confusionMatrix: { annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }], rows: [{ row: [1, 2] }, { row: [3, 4] }] },
      confidenceMetrics: [{ confidenceThreshold: 0.5, recall: 0.5, falsePositiveRate: 0.25 }],
    });
    expect(Array.isArray((output.metadata['confusionMatrix'] as { rows: { row: unknown }[] }).rows[1]!.row)).toBe(true);
  });

  test('logRocDataPoints appends objects; points accumulate across calls, keeping other keys', () => {
    const metadata: Record<string, unknown> = { note: 1 };
    classificationMetricsOf({ metadata })
      .logRocDataPoint({ fpr: 0, tpr: 0, threshold: 1 })
      .logRocDataPoints([
        { fpr: 0.5, tpr: 0.75, threshold: 0.5 },
        { fpr: 1, tpr: 1, threshold: 0 },
      ]);
    expect(metadata).toEqual({
      note: 1,
      confidenceMetrics: [
        { confidenceThreshold: 1, recall: 0, falsePositiveRate: 0 },
        { confidenceThreshold: 0.5, recall: 0.75, falsePositiveRate: 0.5 },
        { confidenceThreshold: 0, recall: 1, falsePositiveRate: 1 },
      ],
    });
  });

  test('setConfusionMatrixCategories (again) starts a zero matrix; logConfusionMatrix replaces the matrix', () => {
    const metadata: Record<string, unknown> = {};
    const writer = classificationMetricsOf({ metadata }).logConfusionMatrix(
      ['a', 'b'],
      [
        [1, 2],
        [3, 4],
      ],
    );
    writer.setConfusionMatrixCategories(['x', 'y', 'z']);
    expect(metadata['confusionMatrix']).toEqual({
      annotationSpecs: [{ displayName: 'x' }, { displayName: 'y' }, { displayName: 'z' }],
      rows: [{ row: [0, 0, 0] }, { row: [0, 0, 0] }, { row: [0, 0, 0] }],
    });
    writer.logConfusionMatrixCell('x', 'y', 0.5); // a normalized matrix holds fractions
    expect((metadata['confusionMatrix'] as { rows: { row: number[] }[] }).rows[0]!.row).toEqual([0, 0.5, 0]);
  });

  test('edits a confusion matrix already in the metadata (e.g. written by another writer)', () => {
    const metadata: Record<string, unknown> = {
      confusionMatrix: { annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }], rows: [{ row: [0, 0] }, { row: [0, 0] }] },
    };
    classificationMetricsOf({ metadata }).logConfusionMatrixRow('b', [5, 6]);
    expect(metadata['confusionMatrix']).toEqual({
      annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }],
      rows: [{ row: [0, 0] }, { row: [5, 6] }],
    });
  });
});

describe('classificationMetricsOf: errors say what is wrong and how to fix it, and write nothing', () => {
  const threeByThree = () => {
    const metadata: Record<string, unknown> = {};
    const writer = classificationMetricsOf({ metadata }).setConfusionMatrixCategories(['dog', 'cat', 'horses']);
    return { metadata, writer, before: JSON.stringify(metadata) };
  };

  test('a row of the wrong length (the SDK: "Invalid row. Expected size: 3 got: 2")', () => {
    const { metadata, writer, before } = threeByThree();
    expect(() => writer.logConfusionMatrixRow('dog', [1, 2])).toThrow(
      'logConfusionMatrixRow: the row for "dog" has 2 values, but there are 3 categories (dog, cat, horses) — pass one count per category, in the order of the categories',
    );
    expect(JSON.stringify(metadata)).toBe(before);
  });

  test('an unknown category (the SDK: "Invalid category: cow passed. Expected one of: [...]")', () => {
    const { writer } = threeByThree();
    expect(() => writer.logConfusionMatrixRow('cow', [1, 2, 3])).toThrow(
      'logConfusionMatrixRow: unknown category "cow"; the confusion matrix has "dog", "cat", "horses" — use one of those names',
    );
    // The SDK names the row category when the column is unknown; this names the unknown one.
    expect(() => writer.logConfusionMatrixCell('dog', 'cow', 1)).toThrow('logConfusionMatrixCell: unknown category "cow"');
  });

  test('a row or cell before any categories', () => {
    const writer = classificationMetricsOf(artifact());
    expect(() => writer.logConfusionMatrixRow('dog', [1])).toThrow(
      'logConfusionMatrixRow: there is no confusion matrix yet — call setConfusionMatrixCategories(categories) (or logConfusionMatrix) first',
    );
    expect(() => writer.logConfusionMatrixCell('dog', 'dog', 1)).toThrow('logConfusionMatrixCell: there is no confusion matrix yet');
  });

  test("a matrix that is not square over the categories (the SDK: \"Invalid matrix: [[1, 2]] passed for categories: ['a', 'b']\")", () => {
    const metadata: Record<string, unknown> = {};
    const writer = classificationMetricsOf({ metadata });
    expect(() => writer.logConfusionMatrix(['a', 'b'], [[1, 2]])).toThrow(
      'logConfusionMatrix: the matrix has 1 rows, but there are 2 categories — pass a square matrix with one row per category (true class), in the order of the categories',
    );
    expect(() => writer.logConfusionMatrix(['a', 'b'], [[1, 2], [3]])).toThrow(
      'logConfusionMatrix: the row for "b" has 1 values, but there are 2 categories (a, b)',
    );
    expect(metadata).toEqual({}); // the SDK sets the categories before it checks the matrix; nothing is written here
  });

  test('NaN, Infinity, negative or non-numeric counts', () => {
    const { writer } = threeByThree();
    expect(() => writer.logConfusionMatrixRow('dog', [1, NaN, 0])).toThrow(
      'logConfusionMatrixRow: the cell ("dog", "cat") is NaN — confusion-matrix cells must be finite numbers ≥ 0 (counts, or fractions of a normalized matrix)',
    );
    expect(() => writer.logConfusionMatrixCell('cat', 'cat', -1)).toThrow('the cell ("cat", "cat") is -1');
    expect(() => writer.logConfusionMatrixCell('cat', 'cat', Infinity)).toThrow('the cell ("cat", "cat") is Infinity');
    expect(() => writer.logConfusionMatrixRow('dog', ['1', 2, 3] as unknown as number[])).toThrow(
      'the cell ("dog", "dog") is the string "1"',
    );
  });

  test('empty, duplicate or non-string categories', () => {
    const writer = classificationMetricsOf(artifact());
    expect(() => writer.setConfusionMatrixCategories([])).toThrow(
      'setConfusionMatrixCategories: the confusion matrix has no categories — pass the class names in class-index order',
    );
    expect(() =>
      writer.logConfusionMatrix(
        ['a', 'a'],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow('logConfusionMatrix: category "a" appears twice — give every class a distinct name: rows and cells are addressed by name');
    expect(() => writer.setConfusionMatrixCategories(['a', 2 as unknown as string])).toThrow('category 1 is 2, not a string');
  });

  test('a malformed confusion matrix already in the metadata', () => {
    const metadata: Record<string, unknown> = { confusionMatrix: { annotationSpecs: [{ displayName: 'a' }], rows: [[1]] } };
    expect(() => classificationMetricsOf({ metadata }).logConfusionMatrixCell('a', 'a', 1)).toThrow(
      "logConfusionMatrixCell: the metadata's confusionMatrix is malformed (confusionMatrix.rows must be an array of {row: number[]} (each row wrapped in an object)) — start it again",
    );
  });

  test('ROC arrays of different lengths (the SDK: "Length of fpr, tpr and threshold must be the same. Got lengths 1, 2 and 1 respectively.")', () => {
    const metadata: Record<string, unknown> = {};
    expect(() => classificationMetricsOf({ metadata }).logRocCurve({ fpr: [0.1], tpr: [0.2, 0.3], thresholds: [0.5] })).toThrow(
      'logRocCurve: fpr, tpr and thresholds have 1, 2 and 1 values — pass one fpr, one tpr and one threshold per ROC point: the three arrays must have the same length',
    );
    expect(() => classificationMetricsOf({ metadata }).logRocCurve({ fpr: [0.1], tpr: [0.2] } as never)).toThrow(
      'logRocCurve: the curve needs fpr, tpr and thresholds arrays',
    );
    expect(metadata).toEqual({});
  });

  test('rates outside [0, 1] (percentages), NaN rates and infinite thresholds; a bad point writes none of the curve', () => {
    const metadata: Record<string, unknown> = {};
    const writer = classificationMetricsOf({ metadata });
    expect(() => writer.logRocDataPoint({ fpr: 96.2, tpr: 0.5, threshold: 0.1 })).toThrow(
      'logRocDataPoint: fpr is 96.2, outside [0, 1] — pass rates as fractions, not percentages (96.2% is 0.962)',
    );
    expect(() => writer.logRocDataPoint({ fpr: 0.1, tpr: -0.5, threshold: 0.1 })).toThrow(
      'logRocDataPoint: tpr is -0.5, outside [0, 1] — pass tpr as a rate in [0, 1]',
    );
    expect(() => writer.logRocDataPoint({ fpr: 0.1, tpr: NaN, threshold: 0.1 })).toThrow(
      'logRocDataPoint: tpr is NaN — pass tpr as a finite number in [0, 1]',
    );
    expect(() => writer.logRocCurve({ fpr: [0, 0.5], tpr: [0, 1], thresholds: [Infinity, 0.5] })).toThrow(
      'logRocCurve: point 0: threshold is Infinity — JSON has no NaN or Infinity: drop the point or clamp its threshold',
    );
    expect(metadata).toEqual({});
  });

  test('a confidenceMetrics key that is not a list', () => {
    const metadata: Record<string, unknown> = { confidenceMetrics: { a: 1 } };
    expect(() => classificationMetricsOf({ metadata }).logRocDataPoint({ fpr: 0, tpr: 0, threshold: 1 })).toThrow(
      "logRocDataPoint: the metadata's confidenceMetrics is an object, not a list",
    );
  });

  test('every error is a MetricsError', () => {
    expect(() => classificationMetricsOf(artifact()).setConfusionMatrixCategories([])).toThrow(MetricsError);
    expect(() => classificationMetricsOf({ metadata: [] as never })).toThrow('classificationMetricsOf: the target has no metadata record');
  });
});

describe('classificationMetricsProblems: what the KFP UI would refuse to plot', () => {
  test('valid metadata, with extra keys beside the two it plots, has no problems', () => {
    expect(classificationMetricsProblems({ test: 1 })).toEqual([]);
    expect(classificationMetricsProblems([])).toEqual(['metadata must be an object']);
  });

  test('specs without displayName, unwrapped rows, fields missing or not numbers', () => {
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
  });

  test('rows that do not match the specs, null cells (NaN after JSON), a non-list confidenceMetrics', () => {
    expect(
      classificationMetricsProblems({
        confusionMatrix: {
          annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }],
          rows: [{ row: [1, 2] }, { row: [3] }, { row: [null, 0] }],
        },
        confidenceMetrics: {},
      }),
    ).toEqual([
      'confusionMatrix has 2 annotationSpecs but 3 rows',
      'confusionMatrix.rows[1].row has 1 entries, expected 2',
      'confusionMatrix.rows[2].row must hold only numbers',
      'confidenceMetrics must be an array',
    ]);
    expect(classificationMetricsProblems({ confusionMatrix: 'x' })).toEqual([
      'confusionMatrix must be an object with annotationSpecs and rows',
    ]);
  });
});
