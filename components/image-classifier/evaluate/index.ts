/**
 * The evaluate component's library: metrics, temperature scaling, thresholds and the output files.
 * Definitions and test vectors: shared/reference/ml-metrics.md.
 */
export * from './calibration';
export * from './class-report';
export * from './kfp-metrics-metadata';
export * from './model-files';
export * from './probability-rows';
export * from './reliability-diagram-html';
export * from './roc-points';
export * from './score-predictions';
export * from './stable-order';
export * from './temperature-scaling';
export * from './thresholds';
