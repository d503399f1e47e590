import type { IrComponentSpec, IrPipelineTaskSpec } from '../compiler/ir/pipeline-spec';
import { containedChild, containedPath, pathSegmentFor } from '../compiler/util/contained-path';
import type { PropertyValue } from './mlmd/metadata-store';
import type { ArtifactRef, RunContext } from './run-context';
import type { ResolvedInputs } from './task-inputs';

/** One task about to run: where it is, what it is, and its resolved inputs. */
export interface TaskRunContext {
  readonly ctx: RunContext;
  /** The task key in its DAG. */
  readonly name: string;
  /** The task's path from the root DAG (iterations included), which names its output folder. */
  readonly path: string;
  readonly task: IrPipelineTaskSpec;
  readonly component: IrComponentSpec;
  readonly inputs: ResolvedInputs;
  readonly parentExecutionId: number;
}

/** The custom properties KFP writes on every task execution, plus the task path for `--resume`. */
export function taskProperties(t: TaskRunContext, parameters: Record<string, unknown>): Record<string, PropertyValue> {
  return {
    display_name: { string: t.task.taskInfo.name },
    task_name: { string: t.name },
    parent_dag_id: { int: t.parentExecutionId },
    kfp_ts_task_path: { string: t.path },
    ...(Object.keys(parameters).length ? { inputs: { struct: parameters } } : {}),
  };
}

/** INPUT events: one per input name, listing its artifacts. */
export function inputEvents(artifacts: Readonly<Record<string, readonly ArtifactRef[]>>): { key: string; artifactIds: number[] }[] {
  return Object.entries(artifacts).map(([key, refs]) => ({ key, artifactIds: refs.map((r) => r.id) }));
}

/**
 * The output folder of the task at `taskPath` (`dag/task`, loop iterations `loop/0/task`): one
 * folder per segment below the run folder, each sanitised as KFP sanitises task names (the IR's
 * own names come out unchanged) and the whole kept inside the run folder.
 */
export function taskFolder(runRoot: string, taskPath: string): string {
  return containedPath(
    runRoot,
    taskPath.split('/').map((segment) => pathSegmentFor(segment, `task '${taskPath}': path segment`)),
    `task '${taskPath}': output folder`,
  );
}

/**
 * A file or folder of a task's outputs named by the IR (an output key, `executor_output.json`),
 * refused when the name would lead outside the task's folder. Output keys keep their case, as the
 * executor protocol names files after them.
 */
export function taskOutputPath(taskDir: string, name: string, taskPath: string): string {
  return containedChild(taskDir, name, `task '${taskPath}': output`);
}
