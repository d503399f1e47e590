import type { IrComponentSpec, IrPipelineTaskSpec, IrTaskParameterInput } from '../compiler/ir/pipeline-spec';
import { ownValue, setOwnValue } from './own-properties';
import type { ArtifactRef, TaskOutcome } from './run-context';

/** The values a DAG's tasks can read: the DAG's own inputs and its finished tasks' outputs. */
export interface DagState {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, readonly ArtifactRef[]>>;
  readonly outcomes: ReadonlyMap<string, TaskOutcome>;
}

/** What a final status names: the run's resource name, and the producer task's path. */
export interface FinalStatusContext {
  readonly runResourceName: string;
  readonly taskPathOf: (taskName: string) => string;
}

export interface ResolvedInputs {
  readonly parameters: Record<string, unknown>;
  readonly artifacts: Record<string, readonly ArtifactRef[]>;
}

/** Maps the reference's final task states onto the status an exit task receives. */
const finalStates: Record<TaskOutcome['state'], string> = {
  succeeded: 'SUCCEEDED',
  cached: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  skipped: 'CANCELLED',
  'not-run': 'FAILED',
};

/**
 * A task's inputs from its DAG: pipeline/DAG inputs, sibling outputs, constants and final statuses,
 * with struct-field selectors applied. Absent values (a skipped producer, an unset optional input)
 * are left out; the component's defaults fill them.
 */
export function resolveTaskInputs(
  task: IrPipelineTaskSpec,
  component: IrComponentSpec,
  dag: DagState,
  statusContext: FinalStatusContext,
): ResolvedInputs {
  const parameters: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(task.inputs?.parameters ?? {})) {
    const value = parameterValue(input, dag, statusContext);
    if (value !== undefined) setOwnValue(parameters, name, value);
  }
  const artifacts: Record<string, readonly ArtifactRef[]> = {};
  for (const [name, input] of Object.entries(task.inputs?.artifacts ?? {})) {
    let value: readonly ArtifactRef[] | undefined;
    if (input.componentInputArtifact !== undefined) value = ownValue(dag.artifacts, input.componentInputArtifact);
    else if (input.taskOutputArtifact) {
      value = ownValue(dag.outcomes.get(input.taskOutputArtifact.producerTask)?.artifacts, input.taskOutputArtifact.outputArtifactKey);
    }
    if (value !== undefined && value.length > 0) setOwnValue(artifacts, name, value);
  }
  for (const [name, definition] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    if (!Object.hasOwn(parameters, name) && definition.defaultValue !== undefined) setOwnValue(parameters, name, definition.defaultValue);
  }
  return { parameters, artifacts };
}

function parameterValue(input: IrTaskParameterInput, dag: DagState, statusContext: FinalStatusContext): unknown {
  let value: unknown;
  if (input.componentInputParameter !== undefined) value = ownValue(dag.parameters, input.componentInputParameter);
  else if (input.taskOutputParameter) {
    value = ownValue(dag.outcomes.get(input.taskOutputParameter.producerTask)?.parameters, input.taskOutputParameter.outputParameterKey);
  } else if (input.runtimeValue) value = input.runtimeValue.constant;
  else if (input.taskFinalStatus) {
    const producer = input.taskFinalStatus.producerTask;
    const outcome = dag.outcomes.get(producer);
    value = {
      state: outcome ? finalStates[outcome.state] : 'FAILED',
      pipelineJobResourceName: statusContext.runResourceName,
      pipelineTaskName: statusContext.taskPathOf(producer),
      error: outcome?.error ? { code: 2, message: outcome.error } : {},
    };
  }
  if (value !== undefined && input.parameterExpressionSelector !== undefined) {
    value = selectField(value, input.parameterExpressionSelector);
  }
  return value;
}

const selectorPattern = /^parseJson\(string_value\)\["((?:[^"\\]|\\.)*)"\]$/;

/** Applies `parseJson(string_value)["key"]`, the only selector the compiler writes. */
function selectField(value: unknown, selector: string): unknown {
  const match = selectorPattern.exec(selector);
  if (!match) throw new Error(`unsupported parameterExpressionSelector '${selector}' (kfp-ts supports parseJson(string_value)["key"])`);
  const object = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof object !== 'object' || object === null) return undefined;
  return ownValue(object as Record<string, unknown>, JSON.parse(`"${match[1]}"`) as string);
}
