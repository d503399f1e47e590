/**
 * Metrics helpers: typed writers of the metadata of `system.Metrics`, `system.ClassificationMetrics`
 * and `system.SlicedClassificationMetrics` outputs, in the shapes the KFP UI and the Vertex console
 * render. Pure (no Node.js imports), so a step bundled with esbuild can carry them.
 */
export { MetricsError } from './metrics-error';
export type { MetadataTarget } from './metadata-target';
export { metricsOf } from './metrics';
export type { MetricsLogger } from './metrics';
export type { ConfusionMatrixMetadata } from './confusion-matrix';
export type { ConfidenceMetric, RocCurve, RocDataPoint } from './confidence-metrics';
export { classificationMetricsOf, classificationMetricsProblems } from './classification-metrics';
export type { ClassificationMetricsLogger, ClassificationMetricsMetadata } from './classification-metrics';
export { slicedClassificationMetricsOf, slicedClassificationMetricsProblems } from './sliced-classification-metrics';
export type {
  EvaluationSlice,
  SlicedClassificationMetricsLogger,
  SlicedClassificationMetricsMetadata,
} from './sliced-classification-metrics';
