import type { IrComponentSpec, IrDagSpec, IrPipelineTaskSpec } from '../compiler/ir/pipeline-spec';
import { evaluateCondition } from './executor/condition';
import { runContainerTask } from './container-task';
import { runImporterTask } from './importer-task';
import type { PropertyValue } from './mlmd/metadata-store';
import { interruptedMarker } from './resume';
import { cancelledReason, type ArtifactRef, type RunContext, type TaskOutcome } from './run-context';
import { Semaphore } from './semaphore';
import { resolveTaskInputs, type DagState, type ResolvedInputs } from './task-inputs';

/** Where a DAG sits in the run: its task-path prefix and its MLMD execution. */
export interface DagScope {
  /** Task path of the DAG ('' for the root); child paths are `<path>/<task>`. */
  readonly path: string;
  readonly executionId: number;
}

export interface DagInputs {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, readonly ArtifactRef[]>>;
}

const taskPathOf = (scope: DagScope, task: string) => (scope.path ? `${scope.path}/${task}` : task);

/**
 * Runs one DAG: each task starts as soon as the tasks it depends on (declared, or whose outputs it
 * reads) have finished, so independent tasks run in parallel up to the run's limit. A failure
 * stops new tasks from starting, except those that run whatever happened upstream (exit tasks).
 */
export async function executeDag(ctx: RunContext, component: IrComponentSpec, inputs: DagInputs, scope: DagScope): Promise<TaskOutcome> {
  const dag = component.dag as IrDagSpec;
  const outcomes = new Map<string, TaskOutcome>();
  const state: DagState = { parameters: inputs.parameters, artifacts: inputs.artifacts, outcomes };
  const dependencies = new Map(Object.entries(dag.tasks).map(([name, task]) => [name, upstreamOf(task)]));
  const pending = new Set(Object.keys(dag.tasks));
  const running = new Map<string, Promise<void>>();
  while (pending.size > 0 || running.size > 0) {
    for (const name of [...pending]) {
      const upstream = dependencies.get(name)!;
      if (![...upstream].every((d) => outcomes.has(d))) continue;
      pending.delete(name);
      const run = runTask(ctx, name, dag.tasks[name]!, state, scope, upstream)
        .catch((error: unknown): TaskOutcome => failedOutcome(ctx, taskPathOf(scope, name), error))
        .then((outcome) => {
          outcomes.set(name, outcome);
          running.delete(name);
        });
      running.set(name, run);
    }
    if (running.size === 0) {
      // Unreachable for IR that passed assertValidPipelineSpec (it rejects unknown producers and
      // cycles); kept so a bad DAG ends the run instead of spinning forever.
      for (const name of pending) outcomes.set(name, notRun('its dependencies never finish (a cycle, or a task outside this DAG)'));
      break;
    }
    await Promise.race(running.values());
  }
  const outputs = dagOutputs(dag, outcomes);
  const ended = endState(ctx, [...outcomes.values()]);
  return { state: ended, ...outputs, ...(ended !== 'succeeded' ? { error: firstError(outcomes, ended) } : {}) };
}

/**
 * How a DAG (or a loop) ended from how its tasks did: cancelled when the run was cancelled before
 * all of them finished, failed when one failed or could not run, else succeeded.
 */
function endState(ctx: RunContext, outcomes: readonly TaskOutcome[]): 'succeeded' | 'failed' | 'cancelled' {
  const unfinished = outcomes.some((o) => o.state === 'cancelled' || o.state === 'not-run');
  if (unfinished && ctx.signal?.aborted) return 'cancelled';
  return outcomes.some((o) => o.state === 'failed' || o.state === 'not-run') ? 'failed' : 'succeeded';
}

/** The MLMD state a DAG or loop execution ends in; a cancelled one carries the interrupted mark for --resume. */
function dagExecutionEnd(state: TaskOutcome['state']): { state: 'COMPLETE' | 'FAILED' | 'CANCELED'; customProperties?: Record<string, PropertyValue> } {
  if (state === 'cancelled') return { state: 'CANCELED', customProperties: { ...interruptedMarker } };
  return { state: state === 'failed' ? 'FAILED' : 'COMPLETE' };
}

function upstreamOf(task: IrPipelineTaskSpec): Set<string> {
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

function notRun(reason: string): TaskOutcome {
  return { state: 'not-run', parameters: {}, artifacts: {}, error: reason };
}

function failedOutcome(ctx: RunContext, path: string, error: unknown): TaskOutcome {
  const message = error instanceof Error ? error.message : String(error);
  ctx.failing = true;
  ctx.reporter.task({ kind: 'failed', path, durationMs: 0, error: message });
  return { state: 'failed', parameters: {}, artifacts: {}, error: message };
}

function firstError(outcomes: ReadonlyMap<string, TaskOutcome>, state: 'failed' | 'cancelled'): string {
  for (const [name, outcome] of outcomes) if (outcome.state === 'failed') return `task '${name}' failed: ${outcome.error ?? 'unknown error'}`;
  return state === 'cancelled' ? cancelledReason : 'an upstream task failed';
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
  const component = ctx.spec.components?.[task.componentRef.name];
  if (!component) throw new Error(`task '${path}' refers to component '${task.componentRef.name}', which the pipeline does not define`);
  const inputs = resolveTaskInputs(task, component, dag, {
    runResourceName: ctx.runtime.jobResourceName,
    taskPathOf: (taskName) => taskPathOf(scope, taskName),
  });
  if (task.triggerPolicy?.condition && !evaluateCondition(task.triggerPolicy.condition, inputs.parameters, path)) {
    ctx.reporter.task({ kind: 'skipped', path, because: 'condition', reason: `condition is false: ${task.triggerPolicy.condition}` });
    recordSkipped(ctx, task, name, component, inputs, scope);
    return { state: 'skipped', parameters: {}, artifacts: {} };
  }
  if (task.parameterIterator || task.artifactIterator) return runLoop(ctx, name, task, component, inputs, scope);
  if (component.dag) return runSubDag(ctx, name, task, component, inputs, scope, {});
  const executor = component.executorLabel ? ctx.spec.deploymentSpec?.executors[component.executorLabel] : undefined;
  const taskContext = { ctx, name, path, task, component, inputs, parentExecutionId: scope.executionId };
  if (executor?.container) return runContainerTask(taskContext, executor.container);
  if (executor?.importer) return runImporterTask(taskContext, executor.importer);
  throw new Error(`task '${path}': component '${task.componentRef.name}' has neither a DAG nor a container or importer executor`);
}

function dagProperties(
  name: string,
  task: IrPipelineTaskSpec,
  parentExecutionId: number,
  inputs: ResolvedInputs,
  extra: Record<string, PropertyValue>,
): Record<string, PropertyValue> {
  return {
    display_name: { string: task.taskInfo.name },
    task_name: { string: name },
    parent_dag_id: { int: parentExecutionId },
    ...(Object.keys(inputs.parameters).length ? { inputs: { struct: inputs.parameters } } : {}),
    ...extra,
  };
}

function recordSkipped(
  ctx: RunContext,
  task: IrPipelineTaskSpec,
  name: string,
  component: IrComponentSpec,
  inputs: ResolvedInputs,
  scope: DagScope,
): void {
  recordExecution(ctx, component.dag ? 'system.DAGExecution' : 'system.ContainerExecution', 'CANCELED', dagProperties(name, task, scope.executionId, inputs, {}));
}

/** An execution of this run, associated with its pipeline and run contexts. */
function recordExecution(ctx: RunContext, typeName: string, state: 'RUNNING' | 'CANCELED', customProperties: Record<string, PropertyValue>): number {
  return ctx.store.createExecution({ typeName, state, customProperties, contextIds: [ctx.pipelineContextId, ctx.runContextId] });
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
    dagProperties(name, task, scope.executionId, inputs, { total_dag_tasks: { int: Object.keys(component.dag?.tasks ?? {}).length }, ...extra }),
  );
  const outcome = await executeDag(ctx, component, inputs, { path: pathOverride ?? taskPathOf(scope, name), executionId });
  const end = dagExecutionEnd(outcome.state);
  ctx.store.updateExecution(executionId, {
    state: end.state,
    customProperties: { ...end.customProperties, ...(Object.keys(outcome.parameters).length ? { outputs: { struct: outcome.parameters } } : {}) },
    contextIds: [ctx.pipelineContextId, ctx.runContextId],
  });
  return { ...outcome, executionId };
}

/** A ParallelFor: one sub-DAG per item, at most `parallelismLimit` at once; outputs become lists. */
async function runLoop(
  ctx: RunContext,
  name: string,
  task: IrPipelineTaskSpec,
  component: IrComponentSpec,
  inputs: ResolvedInputs,
  scope: DagScope,
): Promise<TaskOutcome> {
  const path = taskPathOf(scope, name);
  const items = loopItems(task, inputs, path);
  const itemInput = (task.parameterIterator ?? task.artifactIterator)!.itemInput;
  const limit = task.iteratorPolicy?.parallelismLimit || Math.max(1, items.length);
  const iterations = new Semaphore(limit);
  const loopExecutionId = recordExecution(
    ctx,
    'system.DAGExecution',
    'RUNNING',
    dagProperties(name, task, scope.executionId, inputs, { iteration_count: { int: items.length } }),
  );
  const loopScope: DagScope = { path: scope.path, executionId: loopExecutionId };
  const results = await Promise.all(
    items.map((item, index) =>
      iterations.run(async () => {
        // Iterations still waiting for a slot when the run is cancelled do not start (nor get an execution).
        if (ctx.signal?.aborted) return notRun(cancelledReason);
        const iterationInputs: ResolvedInputs = task.artifactIterator
          ? { parameters: inputs.parameters, artifacts: { ...inputs.artifacts, [itemInput]: [item as ArtifactRef] } }
          : { parameters: { ...inputs.parameters, [itemInput]: item }, artifacts: inputs.artifacts };
        return runSubDag(ctx, name, task, component, iterationInputs, loopScope, { iteration_index: { int: index } }, `${path}/${index}`);
      }),
    ),
  );
  const parameters: Record<string, unknown[]> = {};
  for (const key of Object.keys(component.outputDefinitions?.parameters ?? {})) {
    parameters[key] = results.map((r) => r.parameters[key]).filter((v) => v !== undefined);
  }
  const artifacts: Record<string, ArtifactRef[]> = {};
  for (const key of Object.keys(component.outputDefinitions?.artifacts ?? {})) {
    artifacts[key] = results.flatMap((r) => [...(r.artifacts[key] ?? [])]);
  }
  const state = endState(ctx, results);
  ctx.store.updateExecution(loopExecutionId, { ...dagExecutionEnd(state), contextIds: [ctx.pipelineContextId, ctx.runContextId] });
  return {
    state,
    parameters,
    artifacts,
    executionId: loopExecutionId,
    ...(state === 'failed' ? { error: results.find((r) => r.state === 'failed')?.error ?? 'an iteration failed' } : {}),
    ...(state === 'cancelled' ? { error: cancelledReason } : {}),
  };
}

function loopItems(task: IrPipelineTaskSpec, inputs: ResolvedInputs, path: string): unknown[] {
  if (task.artifactIterator) return [...(inputs.artifacts[task.artifactIterator.items.inputArtifact] ?? [])];
  const items = task.parameterIterator!.items;
  let value: unknown = items.raw !== undefined ? parseJsonList(items.raw, path) : inputs.parameters[items.inputParameter!];
  if (typeof value === 'string') value = parseJsonList(value, path);
  if (!Array.isArray(value)) {
    throw new Error(`task '${path}': ParallelFor items must be a list, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseJsonList(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`task '${path}': ParallelFor items must be a JSON list, got the string ${JSON.stringify(text)}; pass a list such as '["a", "b"]'`);
  }
}

/** A DAG's outputs from its tasks: one value, the branch that ran (OneOf), or every selector's artifacts. */
function dagOutputs(dag: IrDagSpec, outcomes: ReadonlyMap<string, TaskOutcome>): Pick<TaskOutcome, 'parameters' | 'artifacts'> {
  const parameters: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(dag.outputs?.parameters ?? {})) {
    const selectors = output.valueFromOneof?.parameterSelectors ?? (output.valueFromParameter ? [output.valueFromParameter] : []);
    for (const selector of selectors) {
      const value = outcomes.get(selector.producerSubtask)?.parameters[selector.outputParameterKey];
      if (value !== undefined) {
        parameters[key] = value;
        break;
      }
    }
  }
  const artifacts: Record<string, ArtifactRef[]> = {};
  for (const [key, output] of Object.entries(dag.outputs?.artifacts ?? {})) {
    artifacts[key] = output.artifactSelectors.flatMap((s) => [...(outcomes.get(s.producerSubtask)?.artifacts[s.outputArtifactKey] ?? [])]);
  }
  return { parameters, artifacts };
}
