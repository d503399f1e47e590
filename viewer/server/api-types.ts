/**
 * The viewer's JSON API, shared by the server (viewer/server) and the page (viewer/web). Every
 * route is a GET under /api/ except the predict proxy; times are Unix milliseconds.
 */

/** A node's state as the page colours it. */
export type NodeState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cached' | 'cancelled' | 'not-run';

export type RunState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

/** GET /api/runs?pipeline=&state=&experiment=&metrics=a,b&limit=&offset= */
export interface RunsPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly runs: readonly RunRow[];
  /** The names a metrics column may show (numeric values of the store's system.Metrics artifacts). */
  readonly metricNames: readonly string[];
  readonly pipelines: readonly string[];
  readonly experiments: readonly string[];
}

/** What the runs list and a run's page both show of a run. */
export interface RunHeader {
  readonly runId: string;
  readonly pipeline: string;
  readonly experiment?: string;
  readonly state: RunState;
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface RunRow extends RunHeader {
  /** The chosen metrics, from the run's system.Metrics artifacts (the newest value of each name). */
  readonly metrics: Readonly<Record<string, number>>;
}

/** GET /api/runs/:runId, and each message of GET /api/runs/:runId/events (server-sent events). */
export interface RunView extends RunHeader {
  readonly pipelineRoot: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The run's DAG from the IR it ran (or, for runs recorded without it, from its executions alone). */
  readonly graph: GraphDag;
  readonly artifacts: readonly ArtifactSummary[];
  /** Whether the graph came from the run's IR (false: executions only, no edges, no pending tasks). */
  readonly fromSpec: boolean;
}

export type NodeKind = 'container' | 'importer' | 'dag' | 'condition' | 'loop' | 'iteration' | 'exit-handler';

/** One DAG level: its nodes and the dependencies between them. */
export interface GraphDag {
  readonly nodes: readonly GraphNode[];
  /** [upstream task, downstream task] by node name in this DAG. */
  readonly edges: readonly (readonly [string, string])[];
}

export interface GraphNode {
  /** The task name in its DAG (for an iteration, its index). */
  readonly name: string;
  /** The task's display name (taskInfo.name), left out when it is `name` (most tasks: a large run's JSON stays small). */
  readonly label?: string;
  /** The task path, which names its output folder and its page. */
  readonly path: string;
  readonly kind: NodeKind;
  readonly state: NodeState;
  readonly executionId?: number;
  /** Sub-DAGs (conditions, exit handlers, nested pipelines), a loop's iterations. */
  readonly children?: GraphDag;
}

export interface ArtifactSummary {
  readonly id: number;
  readonly type: string;
  readonly uri: string;
  /** The output name (or the task path and output name, in a run's list). */
  readonly name: string;
  readonly producerPath?: string;
}

export interface ArtifactEventRef extends ArtifactSummary {
  readonly key: string;
}

/** GET /api/executions/:id */
export interface TaskView {
  readonly executionId: number;
  readonly runId?: string;
  readonly path: string;
  readonly type: string;
  readonly state: NodeState;
  readonly mlmdState: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly durationMs: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly inputArtifacts: readonly ArtifactEventRef[];
  readonly outputArtifacts: readonly ArtifactEventRef[];
  readonly cacheFingerprint?: string;
  /** On a cache hit: the execution whose outputs it reused, and that execution's run. */
  readonly cachedFrom?: { readonly executionId: number; readonly runId?: string; readonly path?: string };
  readonly image?: string;
  /** The resolved command line of the last attempt, when the runner recorded it. */
  readonly command?: readonly string[];
  readonly attempt?: number;
  /** maxRetryCount from the task's retryPolicy in the IR. */
  readonly maxRetries?: number;
  readonly hasLog: boolean;
  /** Every other custom property, as plain values. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** GET /api/executions/:id/log?all=1 */
export interface LogView {
  readonly text: string;
  readonly size: number;
  /** true when `text` is the end of a longer log (the tail, or the first `limit` bytes of "all"). */
  readonly truncated: boolean;
}

/** GET /api/artifacts/:id */
export interface ArtifactView {
  readonly id: number;
  readonly type: string;
  readonly uri: string;
  readonly name: string;
  readonly state: string;
  readonly createdAt: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Whether the URI is a local path under the pipeline root the viewer may serve. */
  readonly local: boolean;
  /** Files of a folder artifact (or the artifact's own file), bounded. */
  readonly files: readonly FileEntry[];
  readonly producers: readonly ExecutionRef[];
}

export interface FileEntry {
  /** Relative to the artifact's URI ('' for a file artifact). */
  readonly path: string;
  readonly size: number;
  readonly kind: 'image' | 'text' | 'html' | 'markdown' | 'other';
}

export interface ExecutionRef {
  readonly executionId: number;
  readonly runId?: string;
  readonly path: string;
  readonly state: NodeState;
  readonly key: string;
}

/** GET /api/artifacts/:id/lineage?depth=N: the connected graph of artifacts and executions. */
export interface LineageView {
  readonly root: number;
  readonly artifacts: readonly ArtifactSummary[];
  readonly executions: readonly (ExecutionRef & { readonly type: string })[];
  /** artifact → execution (INPUT) and execution → artifact (OUTPUT). */
  readonly edges: readonly {
    readonly artifactId: number;
    readonly executionId: number;
    readonly type: 'INPUT' | 'OUTPUT';
    readonly key: string;
  }[];
  /** true when the depth limit cut the graph. */
  readonly truncated: boolean;
}

/** GET /api/compare?runs=a,b,c */
export interface CompareView {
  readonly runs: readonly CompareRun[];
  /** Parameter names whose values differ between the runs. */
  readonly differingParameters: readonly string[];
}

export interface CompareRun {
  readonly runId: string;
  readonly pipeline: string;
  readonly state: RunState;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, number>>;
  /** Training curves from Metrics metadata `curves`. */
  readonly curves?: Readonly<Record<string, readonly number[]>>;
  /** ROC points from ClassificationMetrics confidenceMetrics. */
  readonly roc?: readonly { readonly fpr: number; readonly tpr: number }[];
  readonly cachedTasks: readonly string[];
  readonly tasks: readonly { readonly path: string; readonly state: NodeState }[];
}

/** GET /api/endpoints */
export interface EndpointsView {
  readonly endpoints: readonly EndpointView[];
  /** The background prediction server, when it runs. */
  readonly serverUrl?: string;
}

export interface EndpointView {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly createTime: string;
  readonly trafficSplit: Readonly<Record<string, number>>;
  readonly deployedModels: readonly {
    readonly id: string;
    readonly model: string;
    readonly modelVersionId: string;
    readonly displayName: string;
    readonly artifactUri: string;
  }[];
  readonly predictPath: string;
}

/** The body of an error answer. */
export interface ApiError {
  readonly error: string;
}
