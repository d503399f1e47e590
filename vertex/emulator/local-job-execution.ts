import * as path from 'node:path';
import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import { gcsUriLocalPath } from '../../compiler/util/gcs-uri-path';
import type { LocalLauncher } from '../../runner/local-launchers';
import type { ProgressReporter, TaskEvent } from '../../runner/progress';
import { runPipeline } from '../../runner/run-pipeline';
import { type ProtobufStruct, type ProtobufValue, protobufStructToJson, protobufValueToJson } from '../protobuf-struct';
import { type EmulatedJob, timestampNow } from './emulated-job';

export interface LocalExecutionSettings {
  /** gs:// URIs map to `<workDir>/gcs/<bucket>/<path>`; the ML Metadata store is `<workDir>/metadata.sqlite`. */
  readonly workDir: string;
  /** Where container commands start (the project root, as the image's working directory on Vertex). */
  readonly workingDirectory: string;
  /** Stand-ins for containers that call cloud APIs (see EmulatorOptions.localLaunchers). */
  readonly localLaunchers: readonly LocalLauncher[];
  readonly log: (line: string) => void;
}

/**
 * A gs:// URI as a local path, the way Vertex mounts buckets under /gcs/: `<workDir>/gcs/<bucket>/<path>`.
 * A URI with '.' or '..' segments, or one that would lead outside that folder, is refused (PathEscapeError).
 */
export function localPathForGcsUri(uri: string, workDir: string, what = "the job's gcsOutputDirectory"): string {
  return gcsUriLocalPath(uri, path.join(workDir, 'gcs'), what);
}

/** The cancel of each job being run locally. */
const localRuns = new WeakMap<EmulatedJob, AbortController>();

/**
 * Cancels a job's local run, if it has one (CancelPipelineJob): the runner stops its running tasks
 * and starts no more, and the job becomes CANCELLED once they have stopped (a few seconds at most).
 */
export function cancelLocalExecution(job: EmulatedJob): void {
  localRuns.get(job)?.abort(new Error('CancelPipelineJob'));
}

/**
 * Runs a received job with the local runner, on the IR exactly as it arrived (the Struct turned
 * back into JSON) and the parameters from its runtimeConfig, and keeps the job's state and task
 * details up to date as Vertex AI would: RUNNING, then SUCCEEDED or FAILED, or CANCELLED after
 * cancelLocalExecution (running tasks are stopped, the rest never start).
 */
export async function executeJobLocally(job: EmulatedJob, settings: LocalExecutionSettings): Promise<void> {
  const received = job.resource;
  const spec = protobufStructToJson(received['pipelineSpec'] as ProtobufStruct) as unknown as IrPipelineSpec;
  const runtimeConfig = (received['runtimeConfig'] ?? {}) as {
    gcsOutputDirectory?: string;
    parameterValues?: Record<string, ProtobufValue>;
  };
  const parameters = Object.fromEntries(
    Object.entries(runtimeConfig.parameterValues ?? {}).map(([name, value]) => [name, protobufValueToJson(value)]),
  );
  job.setState('PIPELINE_STATE_RUNNING');
  received['startTime'] = timestampNow();
  const tasks = new TaskDetails(job);
  const cancel = new AbortController();
  localRuns.set(job, cancel);
  // A cancel that arrived before the run started (between Create and this call).
  if (job.cancelRequested) cancel.abort(new Error('CancelPipelineJob'));
  try {
    const result = await runPipeline(spec, {
      parameters,
      pipelineRoot: localPathForGcsUri(runtimeConfig.gcsOutputDirectory ?? 'gs://emulator-default-root', settings.workDir),
      metadataFile: path.join(settings.workDir, 'metadata.sqlite'),
      workingDirectory: settings.workingDirectory,
      localLaunchers: settings.localLaunchers,
      reporter: tasks,
      signal: cancel.signal,
    });
    settings.log(`job ${job.name}: local run ${result.runId} ${result.state} (${result.runRoot})`);
    // A cancel that came after the last task finished still ends the job CANCELLED, as it was asked.
    if (job.cancelRequested || result.state === 'CANCELLED')
      job.finish('PIPELINE_STATE_CANCELLED', { code: 1, message: 'CANCELLED: the job was cancelled' });
    else if (result.state === 'SUCCEEDED') job.finish('PIPELINE_STATE_SUCCEEDED');
    else job.finish('PIPELINE_STATE_FAILED', { code: 9, message: result.error ?? 'a task failed' });
  } catch (error) {
    settings.log(`job ${job.name}: could not run: ${(error as Error).message}`);
    job.finish('PIPELINE_STATE_FAILED', { code: 3, message: (error as Error).message });
  } finally {
    localRuns.delete(job);
  }
}

type TaskState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'NOT_TRIGGERED' | 'CANCELLED';

/** Runner events as PipelineTaskDetail entries on the job (one per task path; loop iterations are `loop/i/task`). */
class TaskDetails implements ProgressReporter {
  private readonly byPath = new Map<string, Record<string, unknown>>();
  constructor(private readonly job: EmulatedJob) {}

  runStarted(): void {}
  runFinished(): void {}

  task(event: TaskEvent): void {
    switch (event.kind) {
      case 'started':
      case 'retrying':
        this.set(event.path, 'RUNNING');
        break;
      case 'succeeded':
      case 'reused':
        this.set(event.path, 'SUCCEEDED');
        break;
      case 'cached':
        // The proto's meaning of SKIPPED: "skipped due to cache hit".
        this.set(event.path, 'SKIPPED');
        break;
      case 'failed':
        this.set(event.path, 'FAILED', event.error);
        break;
      case 'cancelled':
        this.set(event.path, 'CANCELLED', event.reason);
        break;
      case 'skipped':
        this.set(event.path, event.because === 'condition' ? 'NOT_TRIGGERED' : 'CANCELLED', event.reason);
        break;
    }
  }

  private set(taskPath: string, state: TaskState, message?: string): void {
    let detail = this.byPath.get(taskPath);
    const now = timestampNow();
    if (!detail) {
      detail = { taskId: String(this.byPath.size + 1), taskName: taskPath, createTime: now };
      this.byPath.set(taskPath, detail);
    }
    detail['state'] = state;
    if (state === 'RUNNING') detail['startTime'] ??= now;
    else detail['endTime'] = now;
    if (message !== undefined && (state === 'FAILED' || state === 'CANCELLED'))
      detail['error'] = { code: state === 'FAILED' ? 9 : 1, message };
    this.job.resource['jobDetail'] = { ...(this.job.resource['jobDetail'] as object), taskDetails: [...this.byPath.values()] };
    this.job.touch();
  }
}
