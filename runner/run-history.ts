import { plainValue } from './artifact-records';
import type { ArtifactRecord, ExecutionRecord, MetadataStore, PropertyValue } from './mlmd/metadata-store';

/** One run as `kfp-ts runs` lists it. */
export interface RunListing {
  readonly runId: string;
  readonly pipelineName: string;
  readonly state: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly taskCounts: Readonly<Record<string, number>>;
}

export interface TaskRecord {
  readonly executionId: number;
  readonly path: string;
  readonly type: string;
  readonly state: string;
  readonly durationMs: number;
  readonly cachedFrom?: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly outputArtifacts: readonly { key: string; id: number; uri: string }[];
}

export interface RunDetails extends RunListing {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly pipelineRoot: string;
  readonly tasks: readonly TaskRecord[];
}

const stringProperty = (value: PropertyValue | undefined) => (value && 'string' in value ? value.string : undefined);
const structProperty = (value: PropertyValue | undefined) =>
  (value && 'struct' in value ? (plainValue(value) as Record<string, unknown>) : {}) as Record<string, unknown>;

/** Execution id → the name of the context of this type that holds it (its pipeline, or its run). */
function contextNameByExecution(store: MetadataStore, contextType: 'system.Pipeline' | 'system.PipelineRun'): Map<number, string> {
  const byExecution = new Map<number, string>();
  for (const context of store.listContexts(contextType)) {
    for (const execution of store.executionsInContext(context.id)) byExecution.set(execution.id, context.name);
  }
  return byExecution;
}

/**
 * The name of the context of this type that holds one execution: an indexed lookup, so showing one
 * run or one artifact reads that run's rows only, however many runs the store holds.
 */
function contextNameOf(
  store: MetadataStore,
  executionId: number,
  contextType: 'system.Pipeline' | 'system.PipelineRun',
): string | undefined {
  return store.contextsOfExecution(executionId, contextType)[0]?.name;
}

export function listRuns(store: MetadataStore, pipelineName?: string): RunListing[] {
  const pipelines = contextNameByExecution(store, 'system.Pipeline');
  const listings: RunListing[] = [];
  for (const context of store.listContexts('system.PipelineRun')) {
    const executions = store.executionsInContext(context.id);
    const root = executions.find((e) => e.name === `run/${context.name}`);
    if (!root) continue;
    const pipeline = pipelines.get(root.id) ?? '?';
    if (pipelineName !== undefined && pipeline !== pipelineName) continue;
    listings.push(listing(context.name, pipeline, root, executions));
  }
  return listings.sort((a, b) => a.startedAt - b.startedAt);
}

function listing(runId: string, pipelineName: string, root: ExecutionRecord, executions: readonly ExecutionRecord[]): RunListing {
  const taskCounts: Record<string, number> = {};
  for (const execution of executions) {
    if (execution.typeName === 'system.DAGExecution') continue;
    taskCounts[execution.state] = (taskCounts[execution.state] ?? 0) + 1;
  }
  return {
    runId,
    pipelineName,
    state: root.state,
    startedAt: root.createTime,
    durationMs: root.updateTime - root.createTime,
    taskCounts,
  };
}

export function runDetails(store: MetadataStore, runId: string): RunDetails | undefined {
  const context = store.findContext('system.PipelineRun', runId);
  if (!context) return undefined;
  const executions = store.executionsInContext(context.id);
  const root = executions.find((e) => e.name === `run/${runId}`);
  if (!root) return undefined;
  const tasks: TaskRecord[] = executions
    .filter((e) => e.id !== root.id && stringProperty(e.customProperties['kfp_ts_task_path']) !== undefined)
    .map((e) => ({
      executionId: e.id,
      path: stringProperty(e.customProperties['kfp_ts_task_path'])!,
      type: e.typeName,
      state: e.state,
      durationMs: e.updateTime - e.createTime,
      ...(stringProperty(e.customProperties['cached_execution_id']) !== undefined
        ? { cachedFrom: stringProperty(e.customProperties['cached_execution_id'])! }
        : {}),
      outputs: structProperty(e.customProperties['outputs']),
      outputArtifacts: store
        .eventsOfExecution(e.id)
        .filter((event) => event.type === 'OUTPUT')
        .map((event) => ({ key: event.key ?? '', id: event.artifactId, uri: store.getArtifact(event.artifactId)?.uri ?? '' })),
    }));
  return {
    ...listing(runId, contextNameOf(store, root.id, 'system.Pipeline') ?? '?', root, executions),
    parameters: structProperty(root.customProperties['inputs']),
    outputs: structProperty(root.customProperties['outputs']),
    pipelineRoot: stringProperty(context.customProperties['pipeline_root']) ?? '',
    tasks,
  };
}

export interface ExecutionSummary {
  readonly executionId: number;
  readonly path: string;
  readonly type: string;
  readonly state: string;
  readonly runId?: string;
  readonly key: string;
}

export interface Lineage {
  readonly artifact: ArtifactRecord;
  /** The executions that wrote it (an importer, a task, and tasks that hit the cache on it). */
  readonly producedBy: readonly (ExecutionSummary & { inputs: readonly { key: string; artifact: ArtifactRecord }[] })[];
  readonly consumedBy: readonly ExecutionSummary[];
}

/** What produced an artifact, from which inputs, and what consumed it. */
export function lineageOf(store: MetadataStore, artifactId: number): Lineage | undefined {
  const artifact = store.getArtifact(artifactId);
  if (!artifact) return undefined;
  const summary = (executionId: number, key: string): ExecutionSummary => {
    const execution = store.getExecution(executionId)!;
    const runId = contextNameOf(store, executionId, 'system.PipelineRun');
    return {
      executionId,
      path: stringProperty(execution.customProperties['kfp_ts_task_path']) ?? execution.name ?? `execution ${executionId}`,
      type: execution.typeName,
      state: execution.state,
      ...(runId !== undefined ? { runId } : {}),
      key,
    };
  };
  const events = store.eventsOfArtifact(artifactId);
  return {
    artifact,
    producedBy: events
      .filter((e) => e.type === 'OUTPUT')
      .map((e) => ({
        ...summary(e.executionId, e.key ?? ''),
        inputs: store
          .eventsOfExecution(e.executionId)
          .filter((input) => input.type === 'INPUT')
          .map((input) => ({ key: input.key ?? '', artifact: store.getArtifact(input.artifactId)! })),
      })),
    consumedBy: events.filter((e) => e.type === 'INPUT').map((e) => summary(e.executionId, e.key ?? '')),
  };
}
