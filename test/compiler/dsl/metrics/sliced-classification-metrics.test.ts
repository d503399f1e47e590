// system.SlicedClassificationMetrics: one ClassificationMetrics object per named slice. The SDK's own
// helpers for this class fail at kubeflow/pipelines @ 7b70c7b9 (they never create `_sliced_metrics`
// and call ClassificationMetrics methods that do not exist), so the expected JSON is what its
// `_update_metadata` writes once each slice is filled with the ClassificationMetrics methods that do
// exist: {"evaluationSlices": [{"slice", "sliceClassificationMetrics"}, …]} in first-logged order.
import {
  MetricsError,
  classificationMetricsProblems,
  slicedClassificationMetricsOf,
  slicedClassificationMetricsProblems,
} from '../../../../compiler';

const artifact = () => ({ uri: 'gs://b/sliced', path: '/gcs/b/sliced', metadata: {} as Record<string, unknown> });

describe("slicedClassificationMetricsOf: the SDK's shape", () => {
  test('ROC readings and a confusion matrix per slice, with the SDK method names', () => {
    const output = artifact();
    slicedClassificationMetricsOf(output)
      .loadRocReadings('roc_slice', [
        { threshold: 0.536, tpr: 0.526, fpr: 0.851 },
        { threshold: 0.7, tpr: 0.3, fpr: 0.4 },
      ])
      .loadConfusionMatrix(
        'conf_matrix_slice',
        ['dog', 'cat', 'horses'],
        [
          [2, 6, 0],
          [3, 5, 6],
          [5, 7, 8],
        ],
      )
      .logRocReading('roc_slice', { threshold: 0.95, tpr: 0.02, fpr: 0.05 });
    expect(JSON.stringify(output.metadata)).toBe(
      '{"evaluationSlices":[' +
        '{"slice":"roc_slice","sliceClassificationMetrics":{"confidenceMetrics":[{"confidenceThreshold":0.536,"recall":0.526,"falsePositiveRate":0.851},' +
        '{"confidenceThreshold":0.7,"recall":0.3,"falsePositiveRate":0.4},{"confidenceThreshold":0.95,"recall":0.02,"falsePositiveRate":0.05}]}},' +
        '{"slice":"conf_matrix_slice","sliceClassificationMetrics":{"confusionMatrix":{"annotationSpecs":[{"displayName":"dog"},{"displayName":"cat"},{"displayName":"horses"}],' +
        '"rows":[{"row":[2,6,0]},{"row":[3,5,6]},{"row":[5,7,8]}]}}}]}',
    );
    expect(slicedClassificationMetricsProblems(output.metadata)).toEqual([]);
  });

  test('slice(name) gives the full ClassificationMetrics writer of that slice; other metadata keys stay', () => {
    const metadata: Record<string, unknown> = { model: 'v3' };
    const sliced = slicedClassificationMetricsOf({ metadata });
    sliced.slice('country=US').logRocCurve({ fpr: [0, 1], tpr: [0, 1], thresholds: [1, 0] });
    sliced
      .setConfusionMatrixCategories('country=CA', ['yes', 'no'])
      .logConfusionMatrixRow('country=CA', 'yes', [1, 0])
      .logConfusionMatrixCell('country=CA', 'no', 'no', 1);
    expect(metadata).toEqual({
      model: 'v3',
      evaluationSlices: [
        {
          slice: 'country=US',
          sliceClassificationMetrics: {
            confidenceMetrics: [
              { confidenceThreshold: 1, recall: 0, falsePositiveRate: 0 },
              { confidenceThreshold: 0, recall: 1, falsePositiveRate: 1 },
            ],
          },
        },
        {
          slice: 'country=CA',
          sliceClassificationMetrics: {
            confusionMatrix: { annotationSpecs: [{ displayName: 'yes' }, { displayName: 'no' }], rows: [{ row: [1, 0] }, { row: [0, 1] }] },
          },
        },
      ],
    });
    const slices = metadata['evaluationSlices'] as { sliceClassificationMetrics: unknown }[];
    for (const s of slices) expect(classificationMetricsProblems(s.sliceClassificationMetrics)).toEqual([]);
  });

  test('a slice appears when something is first logged into it, not when slice(name) is called', () => {
    const metadata: Record<string, unknown> = {};
    const us = slicedClassificationMetricsOf({ metadata }).slice('US');
    expect(metadata).toEqual({});
    expect(() => us.logRocDataPoint({ fpr: 2, tpr: 0, threshold: 0 })).toThrow(MetricsError);
    expect(metadata).toEqual({});
    us.logRocDataPoint({ fpr: 0.5, tpr: 0.5, threshold: 0.5 });
    expect(metadata['evaluationSlices']).toHaveLength(1);
  });
});

describe('slicedClassificationMetricsOf: errors', () => {
  test("name the slice and the method (the SDK-named method, or the slice writer's)", () => {
    const sliced = slicedClassificationMetricsOf(artifact()).loadConfusionMatrix(
      'US',
      ['a', 'b'],
      [
        [1, 0],
        [0, 1],
      ],
    );
    expect(() => sliced.logConfusionMatrixRow('US', 'a', [1])).toThrow(
      'logConfusionMatrixRow (slice "US"): the row for "a" has 1 values, but there are 2 categories (a, b)',
    );
    expect(() => sliced.logConfusionMatrixCell('US', 'a', 'c', 1)).toThrow('logConfusionMatrixCell (slice "US"): unknown category "c"');
    expect(() => sliced.loadRocReadings('US', [{ fpr: 0.1, tpr: 0.2, threshold: NaN }])).toThrow(
      'loadRocReadings (slice "US"): threshold is NaN',
    );
    expect(() => sliced.logConfusionMatrixRow('CA', 'a', [1, 0])).toThrow(
      'logConfusionMatrixRow (slice "CA"): there is no confusion matrix yet',
    );
    expect(() => sliced.slice('US').logConfusionMatrix(['a'], [[-1]])).toThrow(
      'logConfusionMatrix (slice "US"): the cell ("a", "a") is -1',
    );
  });

  test('an empty slice name, a malformed evaluationSlices', () => {
    expect(() => slicedClassificationMetricsOf(artifact()).logRocReading('', { fpr: 0, tpr: 0, threshold: 0 })).toThrow(
      'logRocReading: the slice name is the string "", not a non-empty string — name the slice after what selects its rows, e.g. "country=US"',
    );
    const metadata: Record<string, unknown> = { evaluationSlices: [{ slice: 'US' }] };
    expect(() => slicedClassificationMetricsOf({ metadata }).slice('US').setConfusionMatrixCategories(['a'])).toThrow(
      "the metadata's evaluationSlices is not a list of { slice, sliceClassificationMetrics }",
    );
  });
});

describe('slicedClassificationMetricsProblems', () => {
  test('checks each slice as ClassificationMetrics, naming the slice', () => {
    expect(slicedClassificationMetricsProblems({})).toEqual([]);
    expect(slicedClassificationMetricsProblems('x')).toEqual(['metadata must be an object']);
    expect(slicedClassificationMetricsProblems({ evaluationSlices: {} })).toEqual(['evaluationSlices must be an array']);
    expect(
      slicedClassificationMetricsProblems({
        evaluationSlices: [
          { slice: 'US', sliceClassificationMetrics: { confidenceMetrics: [{ confidenceThreshold: 0.5, recall: 0.9 }] } },
          { slice: 3, sliceClassificationMetrics: 'x' },
          7,
        ],
      }),
    ).toEqual([
      'evaluationSlices[0] (US): confidenceMetrics[0].falsePositiveRate must be a finite number',
      'evaluationSlices[1].slice must be a string',
      'evaluationSlices[1].sliceClassificationMetrics must be an object',
      'evaluationSlices[2] must be an object with slice and sliceClassificationMetrics',
    ]);
  });
});
