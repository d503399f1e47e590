// The JSON that `kfp-ts runs --json` and `kfp-ts run-info --json` print. These shapes are an
// interface for scripts: fields are only ever added, never renamed or removed. Times are ISO 8601
// UTC strings, durations milliseconds, states MLMD execution states (COMPLETE, FAILED, CANCELED,
// RUNNING, CACHED, …), metric values numbers (strings or booleans where a step logged those).
import type { RunOverview } from '../../runner/experiment-runs';
import type { RunMetric } from '../../runner/run-metrics';
import type { RunDetails } from '../../runner/run-history';

/** One run: `runs --json` prints `{ "runs": [RunJson…] }` (with `"experiment"` under `--experiment`). */
export interface RunJson {
  readonly runId: string;
  readonly pipelineName: string;
  readonly state: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly experiments: readonly string[];
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Every metric of the run's metrics artifacts, merged by name (a later artifact wins, as on Vertex AI). */
  readonly metrics: Readonly<Record<string, number | string | boolean>>;
  readonly taskCounts: Readonly<Record<string, number>>;
}

/** `run-info --json`. */
export interface RunInfoJson extends RunJson {
  readonly pipelineRoot: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Each metric with where it came from (metrics above merges these). */
  readonly metricValues: readonly { task: string; output: string; artifactId: number; name: string; value: number | string | boolean }[];
  readonly tasks: readonly {
    path: string;
    type: string;
    state: string;
    executionId: number;
    durationMs: number;
    /** The execution this task's cache hit reused. */
    cachedFrom?: string;
    outputs: Readonly<Record<string, unknown>>;
    outputArtifacts: readonly { key: string; id: number; uri: string }[];
  }[];
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export function runJson(run: RunOverview): RunJson {
  return {
    runId: run.runId,
    pipelineName: run.pipelineName,
    state: run.state,
    startedAt: isoTime(run.startedAt),
    durationMs: Math.round(run.durationMs),
    experiments: run.experiments,
    parameters: run.parameters,
    metrics: run.metrics,
    taskCounts: run.taskCounts,
  };
}

export function runInfoJson(overview: RunOverview, details: RunDetails, metrics: readonly RunMetric[]): RunInfoJson {
  return {
    ...runJson(overview),
    pipelineRoot: details.pipelineRoot,
    outputs: details.outputs,
    metricValues: metrics.map((m) => ({ task: m.task, output: m.output, artifactId: m.artifactId, name: m.name, value: m.value })),
    tasks: details.tasks.map((task) => ({
      path: task.path,
      type: task.type,
      state: task.state,
      executionId: task.executionId,
      durationMs: Math.round(task.durationMs),
      ...(task.cachedFrom !== undefined ? { cachedFrom: task.cachedFrom } : {}),
      outputs: task.outputs,
      outputArtifacts: task.outputArtifacts,
    })),
  };
}
