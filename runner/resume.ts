import { artifactRefFromRecord } from './artifact-records';
import type { MetadataStore, PropertyValue } from './mlmd/metadata-store';
import { setOwnValue } from './own-properties';
import type { ArtifactRef, CompletedTask } from './run-context';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/**
 * The mark of an execution that did not finish because its run stopped: a runner that died (found
 * RUNNING by --resume) or a cancel. Such executions are CANCELED with this property; --resume runs
 * their tasks again.
 */
export const interruptedMarker: Readonly<Record<string, PropertyValue>> = { kfp_ts_interrupted: { string: 'true' } };

export class ResumeError extends KfpTsError {
  override readonly name = 'ResumeError';
}

/**
 * What an earlier attempt of a run finished, read back from the store: its parameters, its root
 * DAG execution, and every task that completed (or hit the cache), keyed by task path. Executions
 * left RUNNING by a runner that died are marked CANCELED and `kfp_ts_interrupted`, so the store
 * says what happened to them.
 */
export function loadCompletedTasks(
  store: MetadataStore,
  pipelineName: string,
  runId: string,
): {
  parameters: Record<string, never>;
  rootExecutionId: number;
  completed: Map<string, CompletedTask>;
  /** Paths of the tasks left RUNNING, whose processes may have outlived the runner (see task-process.ts). */
  interruptedTaskPaths: string[];
  /** The run's folder as the run recorded it (its context's pipeline_root). */
  recordedRunRoot: string | undefined;
} {
  const runContext = store.findContext('system.PipelineRun', runId);
  if (!runContext) throw new ResumeError(`no run '${runId}' in this metadata store; list runs with 'kfp-ts runs'`);
  const executions = store.executionsInContext(runContext.id);
  const root = executions.find((e) => e.name === `run/${runId}`);
  if (!root) throw new ResumeError(`run '${runId}' has no root DAG execution; it cannot be resumed`);
  const pipelineContext = store.findContext('system.Pipeline', pipelineName);
  if (!pipelineContext || !store.executionsInContext(pipelineContext.id).some((e) => e.id === root.id)) {
    throw new ResumeError(`run '${runId}' belongs to another pipeline than '${pipelineName}'; resume it with the pipeline it ran`);
  }
  const completed = new Map<string, CompletedTask>();
  const interruptedTaskPaths: string[] = [];
  store.transaction(() => {
    for (const execution of executions) {
      if (execution.id === root.id) continue;
      // Sub-DAG and loop executions have no task path but were left RUNNING too.
      if (execution.state === 'RUNNING') {
        const interruptedPath = execution.customProperties['kfp_ts_task_path'];
        if (interruptedPath && 'string' in interruptedPath) interruptedTaskPaths.push(interruptedPath.string);
        store.updateExecution(execution.id, {
          state: 'CANCELED',
          customProperties: { ...interruptedMarker },
          contextIds: [],
        });
        continue;
      }
      const taskPathProperty = execution.customProperties['kfp_ts_task_path'];
      const taskPath = taskPathProperty && 'string' in taskPathProperty ? taskPathProperty.string : undefined;
      if (taskPath === undefined || (execution.state !== 'COMPLETE' && execution.state !== 'CACHED')) continue;
      const artifacts: Record<string, ArtifactRef[]> = {};
      for (const event of store.eventsOfExecution(execution.id)) {
        if (event.type !== 'OUTPUT' || event.key === undefined) continue;
        if (!Object.hasOwn(artifacts, event.key)) setOwnValue(artifacts, event.key, []);
        artifacts[event.key]!.push(artifactRefFromRecord(store.getArtifact(event.artifactId)!, event.key));
      }
      completed.set(taskPath, {
        executionId: execution.id,
        state: execution.state === 'CACHED' ? 'cached' : 'succeeded',
        parameters: structProperty(execution.customProperties['outputs']),
        artifacts,
      });
    }
  });
  const runRoot = runContext.customProperties['pipeline_root'];
  return {
    parameters: structProperty(root.customProperties['inputs']),
    rootExecutionId: root.id,
    completed,
    interruptedTaskPaths,
    recordedRunRoot: runRoot && 'string' in runRoot ? runRoot.string : undefined,
  };
}

function structProperty(value: PropertyValue | undefined): Record<string, never> {
  return (value && 'struct' in value ? value.struct : {}) as Record<string, never>;
}
