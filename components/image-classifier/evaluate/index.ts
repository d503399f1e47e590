/**
 * The evaluate component's library: metrics, temperature scaling, thresholds and the output files.
 * The definitions follow Guo et al. 2017 (https://arxiv.org/abs/1706.04599) for ECE and
 * temperature scaling; each module names its source.
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
