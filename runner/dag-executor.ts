import type { IrComponentSpec, IrPipelineTaskSpec } from '../compiler/ir/pipeline-spec';
import { upstreamTasks } from '../compiler/ir/task-graph';
import { evaluateCondition } from './condition/evaluate-condition';
import { runContainerTask } from './container-task';
import {
  dagExecutionEnd,
  dagOutputs,
  dagProperties,
  endState,
  failedOutcome,
  firstError,
  notRun,
  recordExecution,
  taskPathOf,
  type DagScope,
} from './dag-outcomes';
import { runImporterTask } from './importer-task';
import { runLoop } from './loop-task';
import type { PropertyValue } from './mlmd/metadata-store';
import { ownEntries, ownValue } from './own-properties';
import { cancelledReason, type ArtifactRef, type RunContext, type TaskOutcome } from './run-context';
import { resolveTaskInputs, type DagState, type ResolvedInputs } from './task-inputs';

export type { DagScope } from './dag-outcomes';

export interface DagInputs {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, readonly ArtifactRef[]>>;
}

/**
 * Runs one DAG: each task starts as soon as the tasks it depends on (declared, or whose outputs it
 * reads) have finished, so independent tasks run in parallel up to the run's limit. A failure
 * stops new tasks from starting, except those that run whatever happened upstream (exit tasks).
 */
export async function executeDag(ctx: RunContext, component: IrComponentSpec, inputs: DagInputs, scope: DagScope): Promise<TaskOutcome> {
  const outcomes = new Map<string, TaskOutcome>();
  const state = { parameters: inputs.parameters, artifacts: inputs.artifacts, outcomes };
  // proto3 JSON leaves an empty map out, so a DAG without `tasks` is a DAG with no tasks.
  await scheduleTasks(ctx, ownEntries(component.dag?.tasks), state, scope);
  const outputs = dagOutputs(component.dag, outcomes);
  const ended = endState(ctx, outcomes.values());
  return { state: ended, ...outputs, ...(ended !== 'succeeded' ? { error: firstError(outcomes, ended) } : {}) };
}

/**
 * The scheduler: every task keeps a count of the upstream tasks it still waits for; a finishing
 * task decrements its dependents' counts and starts those that reach zero. Container tasks wait in
 * the run's slot queue, the rest (sub-DAGs, loops, importers) start at once. Constant work per task
 * and per dependency edge, however wide the DAG. Resolves once every task has an outcome.
 */
function scheduleTasks(
  ctx: RunContext,
  tasks: ReadonlyMap<string, IrPipelineTaskSpec>,
  dag: DagState & { outcomes: Map<string, TaskOutcome> },
  scope: DagScope,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const waitingFor = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    const upstreamByTask = new Map<string, ReadonlySet<string>>();
    const unschedulable: [string, string][] = [];
    let unfinished = tasks.size;
    let inFlight = 0;
    // While the first tasks are being started, "nothing in flight" does not yet mean a cycle.
    let settingUp = true;

    const finish = (name: string, outcome: TaskOutcome) => {
      dag.outcomes.set(name, outcome);
      unfinished--;
      for (const dependent of dependents.get(name) ?? []) {
        const left = waitingFor.get(dependent)! - 1;
        waitingFor.set(dependent, left);
        if (left === 0) start(dependent);
      }
      if (unfinished === 0) resolve();
      else if (inFlight === 0 && !settingUp) failCycle();
    };
    const launch = (name: string, holdsSlot: boolean) => {
      runTask(ctx, name, tasks.get(name)!, dag, scope, upstreamByTask.get(name)!)
        .catch((error: unknown): TaskOutcome => failedOutcome(ctx, taskPathOf(scope, name), error))
        .then((outcome) => {
          if (holdsSlot) ctx.containerSlots.release();
          inFlight--;
          finish(name, outcome);
        })
        .catch(reject);
    };
    const start = (name: string) => {
      inFlight++;
      if (!needsContainerSlot(ctx, tasks.get(name)!)) return launch(name, false);
      if (ctx.containerSlots.full) ctx.reporter.task({ kind: 'queued', path: taskPathOf(scope, name) });
      ctx.containerSlots.whenFree(() => launch(name, true));
    };
    // Unreachable for IR that passed assertValidPipelineSpec (it rejects cycles); kept so a bad DAG
    // ends the run with a reason instead of waiting forever.
    const failCycle = () => {
      for (const name of tasks.keys()) {
        if (dag.outcomes.has(name)) continue;
        const error = new Error(
          `task '${taskPathOf(scope, name)}' never became ready: its dependencies form a cycle (${[...upstreamByTask.get(name)!].join(', ')})`,
        );
        dag.outcomes.set(name, failedOutcome(ctx, taskPathOf(scope, name), error));
      }
      resolve();
    };

    try {
      for (const [name, task] of tasks) {
        const upstream = upstreamTasks(task);
        upstreamByTask.set(name, upstream);
        const unknown = [...upstream].find((producer) => !tasks.has(producer));
        if (unknown !== undefined) {
          unschedulable.push([
            name,
            `task '${taskPathOf(scope, name)}' depends on '${unknown}', which is not a task of its DAG; fix the pipeline's dependentTasks or task inputs`,
          ]);
          continue;
        }
        waitingFor.set(name, upstream.size);
        for (const producer of upstream) {
          const list = dependents.get(producer);
          if (list) list.push(name);
          else dependents.set(producer, [name]);
        }
      }
      if (tasks.size === 0) return resolve();
      for (const [name, message] of unschedulable) finish(name, failedOutcome(ctx, taskPathOf(scope, name), new Error(message)));
      for (const [name, count] of waitingFor) if (count === 0 && !dag.outcomes.has(name)) start(name);
      settingUp = false;
      if (unfinished > 0 && inFlight === 0) failCycle();
    } catch (error) {
      reject(error);
    }
  });
}

/** Container tasks (not loops, not sub-DAGs) take one of the run's slots while they run. */
function needsContainerSlot(ctx: RunContext, task: IrPipelineTaskSpec): boolean {
  if (task.parameterIterator || task.artifactIterator) return false;
  const component = ownValue(ctx.spec.components, task.componentRef?.name ?? '');
  if (!component || component.dag) return false;
  const executor = component.executorLabel ? ownValue(ctx.spec.deploymentSpec?.executors, component.executorLabel) : undefined;
  return executor?.container !== undefined;
}

async function runTask(
  ctx: RunContext,
  name: string,
  task: IrPipelineTaskSpec,
  dag: DagState,
  scope: DagScope,
  upstream: ReadonlySet<string>,
): Promise<TaskOutcome> {
  const path = taskPathOf(scope, name);
  // After a cancel nothing starts, exit tasks neither: Vertex AI cancels all the remaining tasks of
  // a cancelled run. --resume runs them later.
  if (ctx.signal?.aborted) {
    ctx.reporter.task({ kind: 'skipped', path, because: 'upstream', reason: cancelledReason });
    return notRun(cancelledReason);
  }
  const runsWhateverHappened = task.triggerPolicy?.strategy === 'ALL_UPSTREAM_TASKS_COMPLETED';
  const upstreamFailed = [...upstream].some((d) => {
    const state = dag.outcomes.get(d)?.state;
    return state === 'failed' || state === 'not-run' || state === 'cancelled';
  });
  if (!runsWhateverHappened && (upstreamFailed || ctx.failing)) {
    const reason = upstreamFailed ? 'an upstream task failed' : 'the run is stopping after a failure';
    ctx.reporter.task({ kind: 'skipped', path, because: 'upstream', reason });
    return notRun(reason);
  }
  const component = ownValue(ctx.spec.components, task.componentRef.name);
  if (!component) throw new Error(`task '${path}' refers to component '${task.componentRef.name}', which the pipeline does not define`);
  const inputs = resolveTaskInputs(task, component, dag, {
    runResourceName: ctx.runtime.jobResourceName,
    taskPathOf: (taskName) => taskPathOf(scope, taskName),
  });
  if (task.triggerPolicy?.condition && !evaluateCondition(task.triggerPolicy.condition, inputs.parameters, path)) {
    ctx.reporter.task({ kind: 'skipped', path, because: 'condition', reason: `condition is false: ${task.triggerPolicy.condition}` });
    recordExecution(
      ctx,
      component.dag ? 'system.DAGExecution' : 'system.ContainerExecution',
      'CANCELED',
      dagProperties(name, task, scope.executionId, inputs, {}),
    );
    return { state: 'skipped', parameters: {}, artifacts: {} };
  }
  if (task.parameterIterator || task.artifactIterator) {
    return runLoop(ctx, name, task, component, inputs, scope, (iterationInputs, loopScope, index, iterationPath) =>
      runSubDag(ctx, name, task, component, iterationInputs, loopScope, { iteration_index: { int: index } }, iterationPath),
    );
  }
  if (component.dag) return runSubDag(ctx, name, task, component, inputs, scope, {});
  const executor = component.executorLabel ? ownValue(ctx.spec.deploymentSpec?.executors, component.executorLabel) : undefined;
  const taskContext = { ctx, name, path, task, component, inputs, parentExecutionId: scope.executionId };
  if (executor?.container) return runContainerTask(taskContext, executor.container);
  if (executor?.importer) return runImporterTask(taskContext, executor.importer);
  throw new Error(`task '${path}': component '${task.componentRef.name}' has neither a DAG nor a container or importer executor`);
}

async function runSubDag(
  ctx: RunContext,
  name: string,
  task: IrPipelineTaskSpec,
  component: IrComponentSpec,
  inputs: ResolvedInputs,
  scope: DagScope,
  extra: Record<string, PropertyValue>,
  pathOverride?: string,
): Promise<TaskOutcome> {
  const executionId = recordExecution(
    ctx,
    'system.DAGExecution',
    'RUNNING',
    dagProperties(name, task, scope.executionId, inputs, { total_dag_tasks: { int: ownEntries(component.dag?.tasks).size }, ...extra }),
  );
  const contextIds = [ctx.pipelineContextId, ctx.runContextId];
  let outcome: TaskOutcome;
  try {
    outcome = await executeDag(ctx, component, inputs, { path: pathOverride ?? taskPathOf(scope, name), executionId });
  } catch (error) {
    ctx.store.updateExecution(executionId, { state: 'FAILED', contextIds });
    throw error;
  }
  const end = dagExecutionEnd(outcome.state);
  ctx.store.updateExecution(executionId, {
    state: end.state,
    customProperties: {
      ...end.customProperties,
      ...(Object.keys(outcome.parameters).length ? { outputs: { struct: outcome.parameters } } : {}),
    },
    contextIds,
  });
  return { ...outcome, executionId };
}
