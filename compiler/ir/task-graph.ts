/**
 * The dependency graph of one DAG's tasks, as KFP's drivers schedule it: a task waits for the tasks
 * it names in `dependentTasks` and for every task whose output parameter, output artifact or final
 * status it reads (pipeline_spec.proto, PipelineTaskSpec.dependent_tasks and TaskInputSpec). The
 * validator, the local runner and the viewer all read edges from here, so a run waits for exactly
 * the tasks the validator checked and the page draws.
 */
import type { IrPipelineTaskSpec } from './pipeline-spec';

/** The parts of a task that carry its dependencies. */
export type TaskDependencies = Pick<IrPipelineTaskSpec, 'dependentTasks' | 'inputs'>;

/**
 * The names of the tasks `task` waits for, in the order the document gives them (dependentTasks,
 * then parameter inputs, then artifact inputs). Names are not checked against the DAG: a name that
 * is not one of its tasks is the caller's to report.
 */
export function upstreamTasks(task: TaskDependencies): Set<string> {
  const upstream = new Set(task.dependentTasks ?? []);
  for (const input of Object.values(task.inputs?.parameters ?? {})) {
    if (input.taskOutputParameter) upstream.add(input.taskOutputParameter.producerTask);
    if (input.taskFinalStatus) upstream.add(input.taskFinalStatus.producerTask);
  }
  for (const input of Object.values(task.inputs?.artifacts ?? {})) {
    if (input.taskOutputArtifact) upstream.add(input.taskOutputArtifact.producerTask);
  }
  return upstream;
}

/** Whether `name` is one of `tasks` (an own key: a task named 'constructor' must not find Object.prototype's). */
export function isTaskOf(tasks: Readonly<Record<string, unknown>>, name: string): boolean {
  return Object.hasOwn(tasks, name);
}

/**
 * One cycle of waits, read lazily so that a long cycle costs only the names a caller asks for; it
 * reads the walk's live stack, so it is valid only during the `onCycle` call that receives it.
 */
export interface TaskCycle {
  /** The task whose wait closes the cycle: the last one before the cycle returns to its first. */
  readonly closedBy: string;
  /** How many distinct tasks the cycle has; 1 is a task that waits for itself. */
  readonly size: number;
  /** The `index`-th task around the cycle, each waiting for the next; `taskAt(size)` is `taskAt(0)` again. */
  taskAt(index: number): string;
}

/**
 * Calls `onCycle` once for each cycle a depth-first walk of the upstream edges closes: every cycle
 * has at least one, and a task in several overlapping cycles does not make one mistake read as many.
 * Edges to names that are not tasks of the DAG are ignored (a reference check reports them).
 */
export function forEachCycle(tasks: Readonly<Record<string, TaskDependencies>>, onCycle: (cycle: TaskCycle) => void): void {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of Object.keys(tasks)) {
    if (state.has(start)) continue;
    // An explicit stack: a chain of thousands of tasks must not exhaust the call stack.
    const stack = [{ name: start, upstream: [...upstreamTasks(tasks[start]!)], next: 0 }];
    const depthOf = new Map<string, number>([[start, 0]]);
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next === frame.upstream.length) {
        state.set(frame.name, 'done');
        depthOf.delete(frame.name);
        stack.pop();
        continue;
      }
      const upstream = frame.upstream[frame.next++]!;
      if (!isTaskOf(tasks, upstream)) continue;
      const seen = state.get(upstream);
      if (seen === 'visiting') {
        const from = depthOf.get(upstream)!;
        const size = stack.length - from;
        onCycle({ closedBy: frame.name, size, taskAt: (index) => stack[from + (index % size)]!.name });
      } else if (seen === undefined) {
        state.set(upstream, 'visiting');
        depthOf.set(upstream, stack.length);
        stack.push({ name: upstream, upstream: [...upstreamTasks(tasks[upstream]!)], next: 0 });
      }
    }
  }
}
