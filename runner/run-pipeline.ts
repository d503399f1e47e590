import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { assertValidPipelineSpec } from '../compiler/ir/validate-pipeline-spec';
import { executeDag } from './dag-executor';
import { MetadataStore } from './mlmd/metadata-store';
import { addRunToExperiment } from './mlmd/experiment-context';
import { assertValidExperimentName } from './experiment-name';
import { silentReporter, type ProgressReporter, type RunSummary, type TaskSummary } from './progress';
import { loadCompletedTasks } from './resume';
import type { LocalLauncher } from './local-launchers';
import { runRootFolder, type ArtifactRef, type RunContext } from './run-context';
import { RunParameterError, resolveRunParameters } from './run-parameters';
import { claimRun, releaseRun } from './run-lock';
import { stopOrphanedTask } from './task-process';
import { taskFolder } from './task-run-context';
import { TaskSlots } from './task-slots';
import { writeRunSpec } from './run-records';

export interface RunPipelineOptions {
  /** Pipeline parameters; strings from a command line are parsed by the declared types when `parametersFromCommandLine`. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly parametersFromCommandLine?: boolean;
  /** Where outputs go. @default `.kfp-ts/outputs` under the current directory */
  readonly pipelineRoot?: string;
  /** The ML Metadata SQLite file. @default `.kfp-ts/metadata.sqlite` under the current directory */
  readonly metadataFile?: string;
  /** true/false overrides every task's caching (Vertex's enable_caching); undefined honours the IR. */
  readonly enableCaching?: boolean;
  /** Container tasks running at once. @default the number of CPU cores */
  readonly parallelism?: number;
  /** Finishes an earlier run: completed tasks are reused, the rest run. */
  readonly resumeRunId?: string;
  /** Kills a task that runs longer than this. */
  readonly taskTimeoutMs?: number;
  /** Where container commands start (the project root). @default the current directory */
  readonly workingDirectory?: string;
  /**
   * Where the commands of tasks in a given image start instead: an image built from the project
   * holds a folder of it as its working directory (its build context), and containerized steps
   * name their module relative to it. By image reference, as the IR names it.
   */
  readonly imageWorkingDirectories?: Readonly<Record<string, string>>;
  readonly reporter?: ProgressReporter;
  /**
   * Cancels the run: no task starts after it aborts (exit tasks neither, as on Vertex AI), running
   * task processes get SIGTERM (their whole process group), then SIGKILL after KILL_GRACE_MS;
   * in-process stand-ins get the signal. The run ends CANCELLED, the stopped tasks CANCELED in
   * ML Metadata with `kfp_ts_interrupted`, so `resumeRunId` finishes it later.
   */
  readonly signal?: AbortSignal;
  /** A forced cancel (e.g. a second Ctrl-C): aborting it SIGKILLs running task processes at once. */
  readonly killSignal?: AbortSignal;
  /**
   * In-process stand-ins for containers that would call a cloud API, e.g. serving/'s
   * `gcpcLocalLaunchers` for GCPC's Vertex AI launchers (the CLI passes those). A container no
   * stand-in matches runs its command on the host, as every other task does. @default none
   */
  readonly localLaunchers?: readonly LocalLauncher[];
  /**
   * Adds the run to this experiment (a `system.Experiment` context, created when missing, that the
   * run's `system.PipelineRun` context is a child of), as Vertex's `PipelineJob.submit(experiment=…)`.
   */
  readonly experiment?: string;
}

export interface RunResult {
  readonly runId: string;
  readonly state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  readonly runRoot: string;
  readonly metadataFile: string;
  /** The pipeline's outputs. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, readonly ArtifactRef[]>>;
  readonly tasks: readonly TaskSummary[];
  readonly durationMs: number;
  readonly error?: string;
}

export const defaultLocalFolder = '.kfp-ts';

/**
 * Runs compiled IR on this machine: container tasks as host subprocesses, independent tasks in
 * parallel, KFP-fingerprint caching, and lineage in an MLMD schema-v10 SQLite store.
 */
export async function runPipeline(spec: IrPipelineSpec, options: RunPipelineOptions = {}): Promise<RunResult> {
  assertValidPipelineSpec(spec, 'the pipeline to run');
  if (options.experiment !== undefined) assertValidExperimentName(options.experiment);
  const started = performance.now();
  const pipelineRoot = path.resolve(options.pipelineRoot ?? path.join(defaultLocalFolder, 'outputs'));
  const metadataFile = path.resolve(options.metadataFile ?? path.join(defaultLocalFolder, 'metadata.sqlite'));
  const pipelineName = spec.pipelineInfo.name;
  // Group commit: one task's end and the next one's start share a transaction (group-commit.ts).
  const store = MetadataStore.open(metadataFile, { groupCommit: true });
  const summaries = new SummaryCollector(options.reporter ?? silentReporter, store);
  // The run context whose lock this runner holds: from then on, an error must not leave RUNNING rows.
  let lockedRunContextId: number | undefined;
  try {
    const pipelineContextId = store.getOrCreateContext('system.Pipeline', pipelineName);
    if (options.resumeRunId !== undefined) {
      // Before anything is read or marked interrupted: a runner still executing the run keeps it.
      const existing = store.findContext('system.PipelineRun', options.resumeRunId);
      if (existing) {
        claimRun(store, existing.id, options.resumeRunId);
        lockedRunContextId = existing.id;
      }
    }
    const resumed = options.resumeRunId !== undefined ? loadCompletedTasks(store, pipelineName, options.resumeRunId) : undefined;
    const runId = options.resumeRunId ?? newRunId(pipelineName);
    const runRoot = runRootFolder(pipelineRoot, pipelineName, runId);
    const parameters = resumed
      ? keepResumedParameters(spec, runId, resumed.parameters, options)
      : resolveRunParameters(spec.root, options.parameters ?? {}, options.parametersFromCommandLine ?? false);
    const runContextId = store.getOrCreateContext('system.PipelineRun', runId, {
      namespace: { string: 'local' },
      resource_name: { string: `local/pipelineJobs/${runId}` },
      pipeline_root: { string: runRoot },
    });
    if (lockedRunContextId === undefined) {
      claimRun(store, runContextId, runId);
      lockedRunContextId = runContextId;
    }
    store.linkParentContext(runContextId, pipelineContextId);
    if (options.experiment !== undefined) addRunToExperiment(store, runContextId, options.experiment);
    const contextIds = [pipelineContextId, runContextId];
    const rootExecutionId =
      resumed?.rootExecutionId ??
      store.createExecution({
        typeName: 'system.DAGExecution',
        name: `run/${runId}`,
        state: 'RUNNING',
        customProperties: { ...(Object.keys(parameters).length ? { inputs: { struct: parameters } } : {}) },
        contextIds,
      });
    if (resumed) {
      store.updateExecution(rootExecutionId, { state: 'RUNNING', contextIds });
      await stopOrphanedTasks(resumed.recordedRunRoot ?? runRoot, resumed.interruptedTaskPaths);
    }
    writeRunSpec(runRoot, spec);
    // The run's context, lock and root execution are on disk before anything is reported or started.
    store.commit();
    summaries.runStarted({ runId, pipelineName, runRoot, metadataFile });
    const createTime = new Date().toISOString();
    const ctx: RunContext = {
      spec,
      runId,
      pipelineName,
      runRoot,
      pipelineRoot,
      store,
      pipelineContextId,
      runContextId,
      containerSlots: new TaskSlots(options.parallelism ?? os.availableParallelism()),
      ...(options.enableCaching !== undefined ? { cachingOverride: options.enableCaching } : {}),
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      reporter: summaries,
      workingDirectory: path.resolve(options.workingDirectory ?? '.'),
      imageWorkingDirectories: options.imageWorkingDirectories ?? {},
      runtime: {
        jobName: runId,
        jobResourceName: `local/pipelineJobs/${runId}`,
        jobId: runId,
        pipelineRoot: runRoot,
        createTimeUtc: createTime,
        scheduleTimeUtc: createTime,
      },
      completed: resumed?.completed ?? new Map(),
      failing: false,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.killSignal ? { killSignal: options.killSignal } : {}),
      localLaunchers: options.localLaunchers ?? [],
      environment: { ...(process.env as Record<string, string>) },
    };
    const outcome = await executeDag(ctx, spec.root, { parameters, artifacts: {} }, { path: '', executionId: rootExecutionId });
    const state = outcome.state === 'cancelled' ? 'CANCELLED' : outcome.state === 'failed' ? 'FAILED' : 'SUCCEEDED';
    store.updateExecution(rootExecutionId, {
      state: state === 'CANCELLED' ? 'CANCELED' : state === 'FAILED' ? 'FAILED' : 'COMPLETE',
      // The root is CANCELED without the interrupted mark: --resume makes this same execution RUNNING again.
      ...(Object.keys(outcome.parameters).length ? { customProperties: { outputs: { struct: outcome.parameters } } } : {}),
      contextIds,
    });
    const durationMs = performance.now() - started;
    const summary: RunSummary = { runId, state, durationMs, tasks: summaries.tasks() };
    // Delivers the last task events (they wait for their commit) before the summary.
    store.commit();
    summaries.runFinished(summary);
    return {
      runId,
      state,
      runRoot,
      metadataFile,
      parameters: outcome.parameters,
      artifacts: outcome.artifacts,
      tasks: summary.tasks,
      durationMs,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    };
  } catch (error) {
    if (lockedRunContextId !== undefined) failUnfinishedExecutions(store, lockedRunContextId);
    throw error;
  } finally {
    try {
      if (lockedRunContextId !== undefined) releaseRun(store, lockedRunContextId);
    } finally {
      store.close();
    }
  }
}

/**
 * After an error that ended the run early (a bug, a store error, a reporter that threw), every
 * execution of the run still RUNNING becomes FAILED: a RUNNING row would say a task runs when none
 * does, and --resume would report it as interrupted.
 */
function failUnfinishedExecutions(store: MetadataStore, runContextId: number): void {
  try {
    store.transaction(() => {
      for (const execution of store.executionsInContext(runContextId)) {
        if (execution.state === 'RUNNING') store.setExecutionState(execution.id, 'FAILED');
      }
    });
  } catch {
    // The store itself failed (the error being thrown says how); nothing more can be recorded.
  }
}

/** Stops the processes of interrupted tasks that outlived the runner that started them (task-process.ts). */
async function stopOrphanedTasks(runRoot: string, taskPaths: readonly string[]): Promise<void> {
  for (const taskPath of taskPaths) {
    let folder: string;
    try {
      folder = taskFolder(runRoot, taskPath);
    } catch {
      continue; // a path that names no folder under the run never got a process
    }
    await stopOrphanedTask(folder);
  }
}

/**
 * A resumed run keeps the parameters it started with: repeating them is fine (people re-run the same
 * command with --resume added), a different value is an error rather than silently ignored.
 */
function keepResumedParameters(
  spec: IrPipelineSpec,
  runId: string,
  stored: Readonly<Record<string, unknown>>,
  options: RunPipelineOptions,
): Record<string, never> {
  const given = options.parameters ?? {};
  const merged = resolveRunParameters(spec.root, { ...stored, ...given }, options.parametersFromCommandLine ?? false);
  const differing = Object.keys(given).filter((name) => JSON.stringify(merged[name]) !== JSON.stringify(stored[name]));
  if (differing.length) {
    throw new RunParameterError(
      differing.map(
        (name) =>
          `run '${runId}' started with ${name}=${JSON.stringify(stored[name])}; --resume keeps a run's parameters: drop --param ${name}, or start a new run`,
      ),
    );
  }
  return stored as Record<string, never>;
}

function newRunId(pipelineName: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${pipelineName}-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Passes events on once what they report is committed to the store (a runner killed with SIGKILL
 * has recorded everything it reported), and keeps the last state of every task for the summary.
 */
class SummaryCollector implements ProgressReporter {
  private readonly byPath = new Map<string, TaskSummary>();
  constructor(
    private readonly inner: ProgressReporter,
    private readonly store: MetadataStore,
  ) {}

  runStarted(info: Parameters<ProgressReporter['runStarted']>[0]): void {
    this.inner.runStarted(info);
  }

  task(event: Parameters<ProgressReporter['task']>[0]): void {
    const { path: taskPath } = event;
    switch (event.kind) {
      case 'succeeded':
        this.byPath.set(taskPath, { path: taskPath, state: 'succeeded', durationMs: event.durationMs });
        break;
      case 'cached':
        this.byPath.set(taskPath, { path: taskPath, state: 'cached' });
        break;
      case 'reused':
        this.byPath.set(taskPath, { path: taskPath, state: 'reused' });
        break;
      case 'cancelled':
        this.byPath.set(taskPath, { path: taskPath, state: 'cancelled', durationMs: event.durationMs, error: event.reason });
        break;
      case 'failed':
        this.byPath.set(taskPath, {
          path: taskPath,
          state: 'failed',
          durationMs: event.durationMs,
          error: event.error,
          ...(event.logTail !== undefined ? { logTail: event.logTail } : {}),
        });
        break;
      case 'skipped':
        this.byPath.set(taskPath, { path: taskPath, state: event.because === 'condition' ? 'skipped' : 'not-run', error: event.reason });
        break;
      default:
        break;
    }
    this.store.whenCommitted(() => this.inner.task(event));
  }

  runFinished(summary: RunSummary): void {
    this.inner.runFinished(summary);
  }

  tasks(): TaskSummary[] {
    return [...this.byPath.values()];
  }
}
