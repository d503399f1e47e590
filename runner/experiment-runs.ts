// The runs of an experiment with their parameters and metrics: what `kfp-ts runs --experiment`
// prints, and what Vertex AI Experiments shows as the experiment's table of runs.
import { plainValue } from './artifact-records';
import { experimentsOfRun, runContextsOfExperiment } from './mlmd/experiment-context';
import type { ContextRecord, MetadataStore } from './mlmd/metadata-store';
import { mergedMetrics, runMetrics, type MetricValue } from './run-metrics';

/** A run with its parameters and metrics (one row of an experiment's table). */
export interface RunOverview {
  readonly runId: string;
  readonly pipelineName: string;
  /** The run's root execution state (RUNNING, COMPLETE, FAILED, CANCELED), or UNKNOWN without one. */
  readonly state: string;
  /** Unix milliseconds. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** The experiments the run belongs to. */
  readonly experiments: readonly string[];
  /** Its tasks' executions by state (COMPLETE, CACHED, FAILED, …). */
  readonly taskCounts: Readonly<Record<string, number>>;
}

/** The experiment's runs, oldest first; undefined when the store has no such experiment. */
export function experimentRuns(store: MetadataStore, experiment: string): RunOverview[] | undefined {
  const contexts = runContextsOfExperiment(store, experiment);
  if (!contexts) return undefined;
  return contexts.map((context) => runOverview(store, context)).sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
}

/** The overview of the run whose `system.PipelineRun` context this is. */
export function runOverview(store: MetadataStore, context: ContextRecord): RunOverview {
  const executions = store.executionsInContext(context.id);
  const root = executions.find((execution) => execution.name === `run/${context.name}`);
  const taskCounts: Record<string, number> = {};
  for (const execution of executions) {
    if (execution.typeName !== 'system.DAGExecution') taskCounts[execution.state] = (taskCounts[execution.state] ?? 0) + 1;
  }
  const inputs = root?.customProperties['inputs'];
  const pipeline = store.linkedContexts(context.id, 'parents', 'system.Pipeline')[0];
  return {
    runId: context.name,
    pipelineName: pipeline?.name ?? '?',
    state: root?.state ?? 'UNKNOWN',
    startedAt: root?.createTime ?? context.createTime,
    durationMs: root ? root.updateTime - root.createTime : 0,
    parameters: inputs ? (plainValue(inputs) as Record<string, unknown>) : {},
    metrics: mergedMetrics(runMetrics(store, context.id)),
    experiments: experimentsOfRun(store, context.id),
    taskCounts,
  };
}
