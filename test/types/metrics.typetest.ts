/**
 * Type-level tests of the metrics helpers: each `@ts-expect-error` line is a wrong call that must not
 * compile (`npm test` runs `tsc` first, which also fails on an unused directive); the other lines must
 * compile.
 */
import {
  ClassificationMetrics,
  Metrics,
  SlicedClassificationMetrics,
  classificationMetricsOf,
  functionComponent,
  metricsOf,
  slicedClassificationMetricsOf,
  type ClassificationMetricsMetadata,
  type ConfidenceMetric,
  type MetricsLogger,
  type RocCurve,
  type SlicedClassificationMetricsMetadata,
} from '../../compiler';

export const evaluate = functionComponent({
  name: 'evaluate',
  outputs: { metrics: Metrics, classification: ClassificationMetrics, bySlice: SlicedClassificationMetrics },
  implementation: ({ outputs }) => {
    const scalars: MetricsLogger = metricsOf(outputs.metrics).logMetric('accuracy', 0.91).logMetrics({ loss: 0.2, auc: 0.8 });
    void scalars;
    // @ts-expect-error TS2345 Argument of type 'string' is not assignable to parameter of type 'number' — a metric value is a number, not a string
    metricsOf(outputs.metrics).logMetric('accuracy', '0.91');
    // @ts-expect-error TS2554 Expected 2 arguments, but got 1 — logMetric takes a name and a value
    metricsOf(outputs.metrics).logMetric(0.91);
    // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — logMetrics takes a map of numbers
    metricsOf(outputs.metrics).logMetrics({ loss: 0.2, note: 'ok' });
    // @ts-expect-error TS2345 Argument of type 'string' is not assignable to parameter of type 'MetadataTarget' — the helpers write into an artifact (or { metadata }), not a string
    metricsOf('metrics');

    const cm = classificationMetricsOf(outputs.classification);
    cm.logConfusionMatrix(['cat', 'dog'], [[9, 1], [2, 8]])
      .logConfusionMatrixRow('cat', Float64Array.from([9, 1]))
      .logConfusionMatrixCell('dog', 'cat', 2)
      .logRocDataPoint({ fpr: 0.1, tpr: 0.8, threshold: 0.5 })
      .logRocCurve({ fpr: [0, 1], tpr: [0, 1], thresholds: [1, 0] });
    // @ts-expect-error TS2554 Expected 1 arguments, but got 3 — ROC points are named ({ fpr, tpr, threshold }), not positional: the SDK's orders differ between methods
    cm.logRocDataPoint(0.1, 0.8, 0.5);
    // @ts-expect-error TS2345 Property 'threshold' is missing in type '{ fpr: number; tpr: number; }' but required in type 'RocDataPoint' — a ROC point needs its threshold
    cm.logRocDataPoint({ fpr: 0.1, tpr: 0.8 });
    // @ts-expect-error TS2353 Object literal may only specify known properties, and 'falsePositiveRate' does not exist in type 'RocDataPoint' — the stored key names are not the argument names
    cm.logRocDataPoint({ falsePositiveRate: 0.1, recall: 0.8, confidenceThreshold: 0.5 });
    // @ts-expect-error TS2561 Object literal may only specify known properties, but 'threshold' does not exist in type 'RocCurve'. Did you mean to write 'thresholds'? — the curve's third array is `thresholds`
    cm.logRocCurve({ fpr: [0.1], tpr: [0.8], threshold: [0.5] });
    // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — confusion-matrix cells are numbers
    cm.logConfusionMatrix(['cat', 'dog'], [[9, '1'], [2, 8]]);
    // @ts-expect-error TS2345 Argument of type 'string' is not assignable to parameter of type 'readonly string[]' — the categories are a list of names, not one string
    cm.logConfusionMatrix('cat,dog', [[9, 1], [2, 8]]);
    // @ts-expect-error TS2345 Argument of type 'number' is not assignable to parameter of type 'ArrayLike<number>' — a row is a list of counts
    cm.logConfusionMatrixRow('cat', 9);

    const sliced = slicedClassificationMetricsOf(outputs.bySlice);
    sliced.logRocReading('country=US', { threshold: 0.5, tpr: 0.9, fpr: 0.1 }).loadConfusionMatrix('country=US', ['y', 'n'], [[1, 0], [0, 1]]);
    sliced.slice('country=CA').logConfusionMatrix(['y', 'n'], [[1, 0], [0, 1]]);
    // @ts-expect-error TS2554 Expected 2 arguments, but got 1 — every sliced method names its slice first
    sliced.logRocReading({ threshold: 0.5, tpr: 0.9, fpr: 0.1 });
    // @ts-expect-error TS2554 Expected 3 arguments, but got 2 — every sliced method names its slice first
    sliced.loadConfusionMatrix(['y', 'n'], [[1, 0], [0, 1]]);
  },
});

// The metadata types describe what the writers produce.
const roc: ConfidenceMetric = { confidenceThreshold: 0.5, recall: 0.9, falsePositiveRate: 0.1 };
const classification: ClassificationMetricsMetadata = {
  confusionMatrix: { annotationSpecs: [{ displayName: 'cat' }], rows: [{ row: [1] }] },
  confidenceMetrics: [roc],
};
const sliced: SlicedClassificationMetricsMetadata = { evaluationSlices: [{ slice: 'US', sliceClassificationMetrics: classification }] };
// @ts-expect-error TS2741 Property 'row' is missing in type '[number]' but required in type '{ readonly row: readonly number[]; }' — the KFP artifact wraps each row in { row } (plain arrays are Vertex's ModelEvaluation schema)
const unwrapped: ClassificationMetricsMetadata = { confusionMatrix: { annotationSpecs: [{ displayName: 'cat' }], rows: [[1]] } };
const curve: RocCurve = { fpr: Float64Array.of(0), tpr: [0], thresholds: [1] };
void [sliced, unwrapped, curve];
