// The metric values of a run: the scalar metadata of the metrics artifacts its tasks output, which
// is what Vertex AI Experiments shows as a pipeline run's metrics (google-cloud-aiplatform
// PipelineJob._query_experiment_row: the metadata of the run's system.Metrics and google.*Metrics
// artifacts, merged in order, a later key replacing an earlier one).
import type { MetadataStore, PropertyValue } from './mlmd/metadata-store';

/** The artifact types whose scalar metadata counts as metrics (KFP's and Vertex's). */
export const METRICS_ARTIFACT_TYPES: ReadonlySet<string> = new Set([
  'system.Metrics',
  'system.ClassificationMetrics',
  'google.ClassificationMetrics',
  'google.RegressionMetrics',
  'google.ForecastingMetrics',
]);

/** Properties the runner adds to an artifact that are not metric values. */
const notMetrics = new Set(['display_name', 'store_session_info']);

export type MetricValue = number | string | boolean;

/** One scalar of one metrics artifact. */
export interface RunMetric {
  /** The task path of the execution that output the artifact (e.g. `evaluate`, `for-loop-2/0/score`). */
  readonly task: string;
  /** The task's output name. */
  readonly output: string;
  readonly artifactId: number;
  readonly name: string;
  readonly value: MetricValue;
}

function scalar(value: PropertyValue): MetricValue | undefined {
  if ('double' in value) return value.double;
  if ('int' in value) return value.int;
  if ('string' in value) return value.string;
  if ('bool' in value) return value.bool;
  return undefined; // structs: confusion matrices, ROC points, lists
}

/** Every scalar metric of the run, by task in execution order, each artifact once. */
export function runMetrics(store: MetadataStore, runContextId: number): RunMetric[] {
  const metrics: RunMetric[] = [];
  const seen = new Set<number>();
  for (const execution of store.executionsInContext(runContextId)) {
    const taskPath = execution.customProperties['kfp_ts_task_path'];
    const task = taskPath && 'string' in taskPath ? taskPath.string : (execution.name ?? `execution ${execution.id}`);
    for (const event of store.eventsOfExecution(execution.id)) {
      if (event.type !== 'OUTPUT' || seen.has(event.artifactId)) continue;
      const artifact = store.getArtifact(event.artifactId);
      if (!artifact || !METRICS_ARTIFACT_TYPES.has(artifact.typeName)) continue;
      seen.add(artifact.id);
      for (const [name, property] of Object.entries(artifact.customProperties)) {
        const value = notMetrics.has(name) ? undefined : scalar(property);
        if (value !== undefined) metrics.push({ task, output: event.key ?? '', artifactId: artifact.id, name, value });
      }
    }
  }
  return metrics;
}

/** The metrics as one name → value map, later artifacts replacing earlier keys, as Vertex merges them. */
export function mergedMetrics(metrics: readonly RunMetric[]): Record<string, MetricValue> {
  const merged: Record<string, MetricValue> = {};
  for (const metric of metrics)
    Object.defineProperty(merged, metric.name, { value: metric.value, enumerable: true, writable: true, configurable: true });
  return merged;
}
