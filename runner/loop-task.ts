import type { IrComponentSpec, IrPipelineTaskSpec } from '../compiler/ir/pipeline-spec';
import { dagExecutionEnd, dagProperties, endState, recordExecution, taskPathOf, type DagScope } from './dag-outcomes';
import { ownEntries, ownValue, setOwnValue } from './own-properties';
import { cancelledReason, type ArtifactRef, type RunContext, type TaskOutcome } from './run-context';
import type { ResolvedInputs } from './task-inputs';

/** Runs one iteration's sub-DAG (dag-executor's runSubDag, passed in so the two files do not import each other). */
export type RunIteration = (inputs: ResolvedInputs, loopScope: DagScope, index: number, path: string) => Promise<TaskOutcome>;

/**
 * A ParallelFor: one sub-DAG per item, at most `parallelismLimit` at once; outputs become lists.
 * Iterations start from a counter as earlier ones finish, so a loop over many items holds no
 * waiting promise per item.
 */
export async function runLoop(
  ctx: RunContext,
  name: string,
  task: IrPipelineTaskSpec,
  component: IrComponentSpec,
  inputs: ResolvedInputs,
  scope: DagScope,
  runIteration: RunIteration,
): Promise<TaskOutcome> {
  const path = taskPathOf(scope, name);
  const items = loopItems(task, inputs, path);
  const itemInput = (task.parameterIterator ?? task.artifactIterator)!.itemInput;
  const limit = task.iteratorPolicy?.parallelismLimit || Math.max(1, items.length);
  const loopExecutionId = recordExecution(
    ctx,
    'system.DAGExecution',
    'RUNNING',
    dagProperties(name, task, scope.executionId, inputs, { iteration_count: { int: items.length } }),
  );
  const loopScope: DagScope = { path: scope.path, executionId: loopExecutionId };
  const iteration = async (index: number): Promise<TaskOutcome> => {
    // Iterations not started when the run is cancelled do not start (nor get an execution).
    if (ctx.signal?.aborted) return { state: 'not-run', parameters: {}, artifacts: {}, error: cancelledReason };
    const item = items[index];
    const parameters = { ...inputs.parameters };
    const artifacts = { ...inputs.artifacts };
    if (task.artifactIterator) setOwnValue(artifacts, itemInput, [item as ArtifactRef]);
    else setOwnValue(parameters, itemInput, item);
    return runIteration({ parameters, artifacts }, loopScope, index, `${path}/${index}`);
  };
  let results: TaskOutcome[];
  try {
    results = await boundedRuns(items.length, limit, (index) =>
      iteration(index).catch((error: unknown): TaskOutcome => {
        ctx.failing = true;
        return { state: 'failed', parameters: {}, artifacts: {}, error: error instanceof Error ? error.message : String(error) };
      }),
    );
  } catch (error) {
    ctx.store.updateExecution(loopExecutionId, { state: 'FAILED', contextIds: [ctx.pipelineContextId, ctx.runContextId] });
    throw error;
  }
  const parameters: Record<string, unknown[]> = {};
  for (const key of ownEntries(component.outputDefinitions?.parameters).keys()) {
    setOwnValue(
      parameters,
      key,
      results.map((r) => ownValue(r.parameters, key)).filter((v) => v !== undefined),
    );
  }
  const artifacts: Record<string, ArtifactRef[]> = {};
  for (const key of ownEntries(component.outputDefinitions?.artifacts).keys()) {
    setOwnValue(
      artifacts,
      key,
      results.flatMap((r) => [...(ownValue(r.artifacts, key) ?? [])]),
    );
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

/** Runs `run(0..count-1)`, at most `limit` at a time, in index order; results by index. `run` must not reject. */
function boundedRuns(count: number, limit: number, run: (index: number) => Promise<TaskOutcome>): Promise<TaskOutcome[]> {
  const results = new Array<TaskOutcome>(count);
  if (count === 0) return Promise.resolve(results);
  return new Promise((resolve, reject) => {
    let next = 0;
    let finished = 0;
    const startMore = () => {
      while (next - finished < limit && next < count) {
        const index = next++;
        run(index)
          .then((outcome) => {
            results[index] = outcome;
            finished++;
            if (finished === count) resolve(results);
            else startMore();
          })
          .catch(reject);
      }
    };
    startMore();
  });
}

function loopItems(task: IrPipelineTaskSpec, inputs: ResolvedInputs, path: string): unknown[] {
  if (task.artifactIterator) return [...(ownValue(inputs.artifacts, task.artifactIterator.items.inputArtifact) ?? [])];
  const items = task.parameterIterator!.items;
  let value: unknown = items.raw !== undefined ? parseJsonList(items.raw, path) : ownValue(inputs.parameters, items.inputParameter ?? '');
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
    throw new Error(
      `task '${path}': ParallelFor items must be a JSON list, got the string ${JSON.stringify(text)}; pass a list such as '["a", "b"]'`,
    );
  }
}
