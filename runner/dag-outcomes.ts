import type { IrDagSpec, IrPipelineTaskSpec } from '../compiler/ir/pipeline-spec';
import type { PropertyValue } from './mlmd/metadata-store';
import { ownEntries, ownValue, setOwnValue } from './own-properties';
import { interruptedMarker } from './resume';
import { cancelledReason, type ArtifactRef, type RunContext, type TaskOutcome } from './run-context';
import type { ResolvedInputs } from './task-inputs';

/** Where a DAG sits in the run: its task-path prefix and its MLMD execution. */
export interface DagScope {
  /** Task path of the DAG ('' for the root); child paths are `<path>/<task>`. */
  readonly path: string;
  readonly executionId: number;
}

export const taskPathOf = (scope: DagScope, task: string): string => (scope.path ? `${scope.path}/${task}` : task);

export function notRun(reason: string): TaskOutcome {
  return { state: 'not-run', parameters: {}, artifacts: {}, error: reason };
}

/** A task that threw (or could not be scheduled): reported failed, and the run stops starting tasks. */
export function failedOutcome(ctx: RunContext, path: string, error: unknown): TaskOutcome {
  const message = error instanceof Error ? error.message : String(error);
  ctx.failing = true;
  ctx.reporter.task({ kind: 'failed', path, durationMs: 0, error: message });
  return { state: 'failed', parameters: {}, artifacts: {}, error: message };
}

/**
 * How a DAG (or a loop) ended from how its tasks did: cancelled when the run was cancelled before
 * all of them finished, failed when one failed or could not run, else succeeded.
 */
export function endState(ctx: RunContext, outcomes: Iterable<TaskOutcome>): 'succeeded' | 'failed' | 'cancelled' {
  let unfinished = false;
  let failed = false;
  for (const o of outcomes) {
    if (o.state === 'cancelled' || o.state === 'not-run') unfinished = true;
    if (o.state === 'failed' || o.state === 'not-run') failed = true;
  }
  if (unfinished && ctx.signal?.aborted) return 'cancelled';
  return failed ? 'failed' : 'succeeded';
}

/** The MLMD state a DAG or loop execution ends in; a cancelled one carries the interrupted mark for --resume. */
export function dagExecutionEnd(state: TaskOutcome['state']): {
  state: 'COMPLETE' | 'FAILED' | 'CANCELED';
  customProperties?: Record<string, PropertyValue>;
} {
  if (state === 'cancelled') return { state: 'CANCELED', customProperties: { ...interruptedMarker } };
  return { state: state === 'failed' ? 'FAILED' : 'COMPLETE' };
}

export function firstError(outcomes: ReadonlyMap<string, TaskOutcome>, state: 'failed' | 'cancelled'): string {
  for (const [name, outcome] of outcomes)
    if (outcome.state === 'failed') return `task '${name}' failed: ${outcome.error ?? 'unknown error'}`;
  return state === 'cancelled' ? cancelledReason : 'an upstream task failed';
}

export function dagProperties(
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

/** An execution of this run, associated with its pipeline and run contexts. */
export function recordExecution(
  ctx: RunContext,
  typeName: string,
  state: 'RUNNING' | 'CANCELED',
  customProperties: Record<string, PropertyValue>,
): number {
  return ctx.store.createExecution({ typeName, state, customProperties, contextIds: [ctx.pipelineContextId, ctx.runContextId] });
}

/** A DAG's outputs from its tasks: one value, the branch that ran (OneOf), or every selector's artifacts. */
export function dagOutputs(
  dag: IrDagSpec | undefined,
  outcomes: ReadonlyMap<string, TaskOutcome>,
): Pick<TaskOutcome, 'parameters' | 'artifacts'> {
  const parameters: Record<string, unknown> = {};
  for (const [key, output] of ownEntries(dag?.outputs?.parameters)) {
    const selectors = output.valueFromOneof?.parameterSelectors ?? (output.valueFromParameter ? [output.valueFromParameter] : []);
    for (const selector of selectors) {
      const value = ownValue(outcomes.get(selector.producerSubtask)?.parameters, selector.outputParameterKey);
      if (value !== undefined) {
        setOwnValue(parameters, key, value);
        break;
      }
    }
  }
  const artifacts: Record<string, ArtifactRef[]> = {};
  for (const [key, output] of ownEntries(dag?.outputs?.artifacts)) {
    setOwnValue(
      artifacts,
      key,
      (output.artifactSelectors ?? []).flatMap((s) => [
        ...(ownValue(outcomes.get(s.producerSubtask)?.artifacts, s.outputArtifactKey) ?? []),
      ]),
    );
  }
  return { parameters, artifacts };
}
