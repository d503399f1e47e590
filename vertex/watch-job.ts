import { type PipelineJob, isTerminal, jobState, shortState, taskState } from './job-states';
import { type VertexConnection, getPipelineJob } from './pipeline-jobs';

export interface WatchOptions {
  /** First wait between polls. @default 5000 (the Python SDK's fixed interval) */
  readonly initialIntervalMs?: number;
  /** The wait grows by this factor while nothing changes… @default 1.5 */
  readonly multiplier?: number;
  /** …up to this. @default 60000 */
  readonly maxIntervalMs?: number;
  /** Told every job state change and every task state change, as one line each. */
  readonly report?: (line: string) => void;
}

/**
 * Polls a job until it reaches a terminal state (SUCCEEDED, FAILED, CANCELLED or PAUSED) and
 * returns it. The wait between polls starts short, grows while nothing changes (a long training
 * step need not be asked about every few seconds) and drops back after a change. A poll that meets
 * UNAVAILABLE is retried with backoff by getPipelineJob.
 */
export async function watchPipelineJob(name: string, connection: VertexConnection, options: WatchOptions = {}): Promise<PipelineJob> {
  const initial = options.initialIntervalMs ?? 5000;
  const multiplier = options.multiplier ?? 1.5;
  const ceiling = options.maxIntervalMs ?? 60_000;
  const report = options.report ?? (() => {});
  const seen = new JobChanges();
  let interval = initial;
  for (;;) {
    const job = await getPipelineJob(name, connection);
    const changes = seen.update(job);
    changes.forEach(report);
    const state = jobState(job);
    if (isTerminal(state)) return job;
    interval = changes.length ? initial : Math.min(ceiling, interval * multiplier);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Remembers the last job and task states seen, and says what changed since. */
class JobChanges {
  private state = '';
  private readonly tasks = new Map<string, string>();

  update(job: PipelineJob): string[] {
    const lines: string[] = [];
    const state = jobState(job);
    const finalLines: string[] = [];
    if (state !== this.state) {
      this.state = state;
      const error =
        job.error?.message && (state === 'PIPELINE_STATE_FAILED' || state === 'PIPELINE_STATE_CANCELLED') ? `: ${job.error.message}` : '';
      // A job that starts is reported before its tasks; one that ends, after them.
      (isTerminal(state) ? finalLines : lines).push(`job ${shortState(state)}${error}`);
    }
    for (const task of job.jobDetail?.taskDetails ?? []) {
      const name = task.taskName ?? String(task.taskId ?? '?');
      const taskStateText = taskState(task.state);
      if (this.tasks.get(name) === taskStateText) continue;
      this.tasks.set(name, taskStateText);
      const error = task.error?.message ? `: ${task.error.message}` : '';
      lines.push(`  task ${name}: ${taskStateText}${error}`);
    }
    return [...lines, ...finalLines];
  }
}
