import type { ProtobufStruct, ProtobufValue } from './protobuf-struct';

/*
 * The PipelineJob messages kfp-ts sends and returns, as its own types: the fields it reads, writes
 * or shows, in the message form the Node client (protobufjs) uses. The client's own types
 * (`protos.google.cloud.aiplatform.v1.IPipelineJob`, …) are a structural match for these (see
 * test/vertex/pipeline-job-types.test.ts), but naming them in the published .d.ts would make every
 * team's `tsc` read @google-cloud/aiplatform's whole type tree, which does not type-check under
 * `module: node16` (google-auth-library imports an ES module from CommonJS) and is slow to load.
 */

/** An int64 as protobufjs gives it: a number, a decimal string or a `Long`. */
export type Int64 = number | string | { toString(): string };

/** `google.protobuf.Timestamp`. */
export interface Timestamp {
  seconds?: Int64 | null;
  nanos?: number | null;
}

/** `google.rpc.Status`: why a job or task failed or was cancelled. */
export interface RpcStatus {
  code?: number | null;
  message?: string | null;
}

/** One task of a running or finished job (`PipelineTaskDetail`); `state` is a name or its enum number. */
export interface PipelineTaskDetail {
  taskId?: Int64 | null;
  parentTaskId?: Int64 | null;
  taskName?: string | null;
  createTime?: Timestamp | null;
  startTime?: Timestamp | null;
  endTime?: Timestamp | null;
  state?: string | number | null;
  error?: RpcStatus | null;
}

export interface PipelineRuntimeConfig {
  /** The pipeline root. */
  gcsOutputDirectory?: string | null;
  parameterValues?: Record<string, ProtobufValue> | null;
}

/** A PipelineJob as Vertex AI returns it; `state` is a `PIPELINE_STATE_…` name or its enum number. */
export interface PipelineJob {
  /** `projects/P/locations/R/pipelineJobs/ID` */
  name?: string | null;
  displayName?: string | null;
  createTime?: Timestamp | null;
  startTime?: Timestamp | null;
  endTime?: Timestamp | null;
  updateTime?: Timestamp | null;
  /** The compiled IR as a protobuf Struct (see protobufStructToJson). */
  pipelineSpec?: ProtobufStruct | null;
  state?: string | number | null;
  jobDetail?: { taskDetails?: PipelineTaskDetail[] | null } | null;
  error?: RpcStatus | null;
  labels?: Record<string, string> | null;
  runtimeConfig?: PipelineRuntimeConfig | null;
  encryptionSpec?: { kmsKeyName?: string | null } | null;
  serviceAccount?: string | null;
  network?: string | null;
  templateUri?: string | null;
}

/** The PipelineJob kfp-ts creates: only what it sets, each field with the one type it sends. */
export interface NewPipelineJob {
  displayName: string;
  pipelineSpec: ProtobufStruct;
  runtimeConfig: { gcsOutputDirectory: string; parameterValues: Record<string, ProtobufValue> };
  labels?: Record<string, string>;
  serviceAccount?: string;
  network?: string;
  encryptionSpec?: { kmsKeyName: string };
}

/** `CreatePipelineJobRequest`, as kfp-ts sends it. */
export interface CreatePipelineJobRequest {
  /** `projects/P/locations/R` */
  parent: string;
  pipelineJobId: string;
  pipelineJob: NewPipelineJob;
}
