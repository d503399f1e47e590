/**
 * KFP v2 IR shapes (`PipelineSpec`, schemaVersion 2.1.0) in the protobuf JSON mapping, written from
 * kubeflow/pipelines api/v2alpha1/pipeline_spec.proto. These are what the compiler emits and what the
 * runner and Vertex client consume; they are never the authoring surface (see compiler/dsl).
 */

export type IrParameterType =
  | 'STRING'
  | 'NUMBER_INTEGER'
  | 'NUMBER_DOUBLE'
  | 'BOOLEAN'
  | 'LIST'
  | 'STRUCT'
  | 'TASK_FINAL_STATUS'
  | 'TASK_CONFIG';

/** A `google.protobuf.Value`: any JSON value. */
export type IrValue = null | boolean | number | string | IrValue[] | { [key: string]: IrValue };

export interface IrArtifactTypeSchema {
  schemaTitle: string;
  schemaVersion?: string;
}

export interface IrParameterSpec {
  parameterType: IrParameterType;
  defaultValue?: IrValue;
  isOptional?: boolean;
  description?: string;
}

export interface IrArtifactSpec {
  artifactType: IrArtifactTypeSchema;
  isArtifactList?: boolean;
  isOptional?: boolean;
  description?: string;
}

export interface IrInputsSpec {
  artifacts?: Record<string, IrArtifactSpec>;
  parameters?: Record<string, IrParameterSpec>;
}

export interface IrOutputsSpec {
  artifacts?: Record<string, IrArtifactSpec>;
  parameters?: Record<string, IrParameterSpec>;
}

export interface IrTaskParameterInput {
  componentInputParameter?: string;
  taskOutputParameter?: { producerTask: string; outputParameterKey: string };
  runtimeValue?: { constant: IrValue };
  taskFinalStatus?: { producerTask: string };
  parameterExpressionSelector?: string;
}

export interface IrTaskArtifactInput {
  componentInputArtifact?: string;
  taskOutputArtifact?: { producerTask: string; outputArtifactKey: string };
}

export interface IrTaskInputs {
  artifacts?: Record<string, IrTaskArtifactInput>;
  parameters?: Record<string, IrTaskParameterInput>;
}

export interface IrRetryPolicy {
  maxRetryCount?: number;
  backoffDuration?: string;
  backoffFactor?: number;
  backoffMaxDuration?: string;
}

export interface IrCachingOptions {
  enableCache?: boolean;
  cacheKey?: string;
}

export interface IrPipelineTaskSpec {
  taskInfo: { name: string };
  componentRef: { name: string };
  inputs?: IrTaskInputs;
  dependentTasks?: string[];
  cachingOptions?: IrCachingOptions;
  triggerPolicy?: { condition?: string; strategy?: 'ALL_UPSTREAM_TASKS_SUCCEEDED' | 'ALL_UPSTREAM_TASKS_COMPLETED' };
  parameterIterator?: { items: { raw?: string; inputParameter?: string }; itemInput: string };
  artifactIterator?: { items: { inputArtifact: string }; itemInput: string };
  iteratorPolicy?: { parallelismLimit: number };
  retryPolicy?: IrRetryPolicy;
}

export interface IrDagOutputs {
  artifacts?: Record<string, { artifactSelectors: { producerSubtask: string; outputArtifactKey: string }[] }>;
  parameters?: Record<
    string,
    {
      valueFromParameter?: { producerSubtask: string; outputParameterKey: string };
      valueFromOneof?: { parameterSelectors: { producerSubtask: string; outputParameterKey: string }[] };
    }
  >;
}

export interface IrDagSpec {
  tasks: Record<string, IrPipelineTaskSpec>;
  outputs?: IrDagOutputs;
}

export interface IrComponentSpec {
  inputDefinitions?: IrInputsSpec;
  outputDefinitions?: IrOutputsSpec;
  dag?: IrDagSpec;
  executorLabel?: string;
}

export interface IrResourceSpec {
  cpuLimit?: number;
  memoryLimit?: number;
  cpuRequest?: number;
  memoryRequest?: number;
  resourceCpuLimit?: string;
  resourceMemoryLimit?: string;
  resourceCpuRequest?: string;
  resourceMemoryRequest?: string;
  accelerator?: { type?: string; count?: string; resourceType?: string; resourceCount?: string };
}

export interface IrContainerSpec {
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  resources?: IrResourceSpec;
}

export interface IrImporterSpec {
  artifactUri: { constant?: IrValue; runtimeParameter?: string };
  typeSchema: IrArtifactTypeSchema;
  reimport?: boolean;
  metadata?: { [key: string]: IrValue };
}

export interface IrExecutorSpec {
  container?: IrContainerSpec;
  importer?: IrImporterSpec;
}

export interface IrPipelineSpec {
  components?: Record<string, IrComponentSpec>;
  deploymentSpec?: { executors: Record<string, IrExecutorSpec> };
  pipelineInfo: { name: string; description?: string; displayName?: string };
  root: IrComponentSpec;
  schemaVersion: string;
  sdkVersion: string;
  defaultPipelineRoot?: string;
}
