import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { containedPath, pathSegmentFor } from '../compiler/util/contained-path';
import type { RuntimeArtifact } from '../compiler/ir/executor-protocol';
import type { RuntimeValues } from './executor/placeholders';
import type { LocalLauncher } from './local-launchers';
import type { MetadataStore } from './mlmd/metadata-store';
import type { ProgressReporter } from './progress';
import type { TaskSlots } from './task-slots';

/** An artifact as the runner passes it around: its MLMD id and its runtime form. */
export interface ArtifactRef {
  readonly id: number;
  readonly artifact: RuntimeArtifact;
}

/** What a task (or a DAG, or a loop) produced and how it ended. */
export interface TaskOutcome {
  /**
   * `skipped`: its condition was false; `not-run`: upstream failed, or the run is failing fast or
   * was cancelled before it started; `cancelled`: the run was cancelled while it ran (for a DAG or a
   * loop: while any of its tasks ran).
   */
  readonly state: 'succeeded' | 'cached' | 'failed' | 'cancelled' | 'skipped' | 'not-run';
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, readonly ArtifactRef[]>>;
  readonly executionId?: number;
  readonly error?: string;
}

/** The error of tasks, DAGs and runs stopped or never started because the run was cancelled. */
export const cancelledReason = 'the run was cancelled';

/** A task finished in an earlier attempt of a resumed run, keyed by task path. */
export interface CompletedTask {
  readonly executionId: number;
  readonly state: 'succeeded' | 'cached';
  readonly parameters: Record<string, unknown>;
  readonly artifacts: Record<string, ArtifactRef[]>;
}

/** Everything shared by the tasks of one run. */
export interface RunContext {
  readonly spec: IrPipelineSpec;
  readonly runId: string;
  readonly pipelineName: string;
  /** `<pipeline-root>/<pipeline-name>/<run-id>`: every output of the run lives below it. */
  readonly runRoot: string;
  readonly pipelineRoot: string;
  readonly store: MetadataStore;
  readonly pipelineContextId: number;
  readonly runContextId: number;
  /** The container tasks running at once, and the queue of those waiting for a slot. */
  readonly containerSlots: TaskSlots;
  /** Vertex's run-level enable_caching: true/false rewrites every task; undefined honours the IR. */
  readonly cachingOverride?: boolean;
  readonly taskTimeoutMs?: number;
  /**
   * Where container commands start: the project root, which stands for the image's working
   * directory (function components name their module relative to it).
   */
  readonly workingDirectory: string;
  /** Working directories by image reference (see RunPipelineOptions.imageWorkingDirectories). */
  readonly imageWorkingDirectories: Readonly<Record<string, string>>;
  readonly reporter: ProgressReporter;
  readonly runtime: Omit<RuntimeValues, 'taskName' | 'taskId'>;
  /** Tasks already done in an earlier attempt of this run (`--resume`). */
  readonly completed: ReadonlyMap<string, CompletedTask>;
  /** Set once a task fails: no new task starts except those that run whatever upstream did. */
  failing: boolean;
  /** The run's cancel: once aborted no task starts (exit tasks neither) and running tasks are stopped. */
  readonly signal?: AbortSignal;
  /** A forced cancel: running task processes get SIGKILL at once instead of SIGTERM and a grace period. */
  readonly killSignal?: AbortSignal;
  /** The stand-ins the run was given for containers that would call a cloud API. */
  readonly localLaunchers: readonly LocalLauncher[];
  /**
   * The environment task commands start with (before the container's own `env`): `process.env` as
   * the run started. Copied once, as a plain object: each read of `process.env` calls getenv(3) for
   * every variable, and spawning with it reads them all again, for every task.
   */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * `<pipeline-root>/<pipeline-name>/<run-id>`, the layout of the KFP backend, with both names
 * sanitised as KFP names are and the result checked to stay under the pipeline root: the names
 * come from the IR (or a `--resume` argument), which may hold '../' or '/'.
 */
export function runRootFolder(pipelineRoot: string, pipelineName: string, runId: string): string {
  return containedPath(
    pipelineRoot,
    [pathSegmentFor(pipelineName, 'pipeline name (pipelineInfo.name)'), pathSegmentFor(runId, 'run id')],
    'run folder',
  );
}
