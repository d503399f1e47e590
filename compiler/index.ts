/** kfp-ts authoring API and compiler: the curated public surface. */
export { t } from './dsl/types';
export type {
  ParameterSpec,
  ParameterTypeName,
  DeclaredItemType,
  ArtifactSpec,
  ArtifactType,
  IoSpecs,
  JsonValue,
  ParameterOptions,
  ArtifactOptions,
  ListOptions,
  TaskFinalStatus,
} from './dsl/types';
export {
  artifactType,
  Artifact,
  Dataset,
  Model,
  Metrics,
  ClassificationMetrics,
  SlicedClassificationMetrics,
  HTML,
  Markdown,
  VertexModel,
  VertexEndpoint,
  VertexDataset,
  UnmanagedContainerModel,
} from './dsl/artifacts';
export { containerComponent } from './dsl/container-component';
export { functionComponent } from './dsl/function-component';
export type { FunctionComponent, FunctionContext, FunctionImplementation, InputArtifact, OutputArtifact } from './dsl/function-component';
export type { ContainerComponentProps, ContainerIo } from './dsl/container-component';
export type { Component, ArgumentsOf, ArgumentFor } from './dsl/component';
export { pipeline } from './dsl/pipeline';
export type { Pipeline, PipelineProps } from './dsl/pipeline';
export { Task } from './dsl/task';
export type { RetryDuration, RetryOptions, StringSetting } from './dsl/task';
export { customAccelerator } from './dsl/accelerators';
export type { AcceleratorType, CustomAccelerator } from './dsl/accelerators';
export { importer } from './dsl/importer';
export type { ImporterProps, ImporterMetadata } from './dsl/importer';
export { If, ParallelFor, ExitHandler, collected } from './dsl/control-flow';
export type { ConditionChain, ConditionBranches, Loop, ParallelForOptions, GroupOptions, CollectedChannel } from './dsl/control-flow';
export { fmt } from './dsl/formatted-string';
export type { FormattedString } from './dsl/formatted-string';
export { ifPresent, concat, executorInput, pipelineJob } from './dsl/placeholders';
export type {
  CommandItem,
  Placeholder,
  StructuredPlaceholder,
  ArtifactPlaceholders,
  OutputParameterPlaceholders,
} from './dsl/placeholders';
export type { ParameterChannel, ArtifactChannel, ConditionOperation, LoopItem } from './dsl/channels';
export { loadComponentFromFile, loadComponentFromText, ComponentLoadError } from './dsl/load-component';
export { KfpTsError, isKfpTsError } from './errors/kfp-ts-error';
export { PipelineValidationError, DslUsageError, formatProblem } from './dsl/errors';
export type { PipelineProblem } from './dsl/errors';
export { compilePipeline } from './synth/compile-pipeline';
export type { CompileOptions, CompileTarget } from './synth/compile-pipeline';
export { toPipelineJson, toPipelineYaml, compileToYaml } from './write-ir';
export type { IrPipelineSpec } from './ir/pipeline-spec';
export { InvalidIrError } from './ir/validate-pipeline-spec';
export type { IrProblem } from './ir/validate-pipeline-spec';
export { projectImage } from './dsl/project-image';
export type { ProjectImage } from './dsl/project-image';

// Metrics helpers: write the metadata of Metrics / ClassificationMetrics / SlicedClassificationMetrics
// outputs in the shapes the KFP UI and the Vertex console render (compiler/dsl/metrics/, pure).
export {
  metricsOf,
  classificationMetricsOf,
  slicedClassificationMetricsOf,
  classificationMetricsProblems,
  slicedClassificationMetricsProblems,
  MetricsError,
} from './dsl/metrics';
export type {
  MetadataTarget,
  MetricsLogger,
  ClassificationMetricsLogger,
  SlicedClassificationMetricsLogger,
  ClassificationMetricsMetadata,
  ConfusionMatrixMetadata,
  ConfidenceMetric,
  RocDataPoint,
  RocCurve,
  SlicedClassificationMetricsMetadata,
  EvaluationSlice,
} from './dsl/metrics';
