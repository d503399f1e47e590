/** What the runner tells people about, as it happens. */
export type TaskEvent =
  /** Ready, but waiting for one of the run's container slots (`parallelism`); nothing is recorded in ML Metadata until it starts. */
  | { readonly kind: 'queued'; readonly path: string }
  | { readonly kind: 'started'; readonly path: string; readonly attempt: number }
  | { readonly kind: 'succeeded'; readonly path: string; readonly durationMs: number }
  | { readonly kind: 'cached'; readonly path: string; readonly cachedExecutionId: number }
  | { readonly kind: 'reused'; readonly path: string }
  | { readonly kind: 'failed'; readonly path: string; readonly durationMs: number; readonly error: string; readonly logTail?: string }
  | { readonly kind: 'retrying'; readonly path: string; readonly attempt: number; readonly delayMs: number; readonly error: string }
  /** The run was cancelled while the task ran (or waited to run): its processes were stopped. */
  | { readonly kind: 'cancelled'; readonly path: string; readonly durationMs: number; readonly reason: string }
  /** `condition`: its trigger condition was false; `upstream`: a task it needs failed, or the run is stopping (a failure or a cancel). */
  | { readonly kind: 'skipped'; readonly path: string; readonly because: 'condition' | 'upstream'; readonly reason: string };

export interface ProgressReporter {
  runStarted(info: { runId: string; pipelineName: string; runRoot: string; metadataFile: string }): void;
  task(event: TaskEvent): void;
  runFinished(summary: RunSummary): void;
}

export interface TaskSummary {
  readonly path: string;
  readonly state: 'succeeded' | 'cached' | 'reused' | 'failed' | 'cancelled' | 'skipped' | 'not-run';
  readonly durationMs?: number;
  readonly error?: string;
  readonly logTail?: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  readonly durationMs: number;
  readonly tasks: readonly TaskSummary[];
}

/** A reporter that says nothing (library use and tests). */
export const silentReporter: ProgressReporter = {
  runStarted() {},
  task() {},
  runFinished() {},
};
