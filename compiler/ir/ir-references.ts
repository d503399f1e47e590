/**
 * The checks the PipelineSpec schema cannot express: that components, executors, tasks, inputs and
 * outputs named in one place exist in another, and that DAGs are non-empty and acyclic. Every name is
 * looked up as an own property: a parsed document is a plain object, so `tasks['constructor']` or
 * `components['__proto__']` would otherwise find Object.prototype's members and a reference to them
 * would pass (or crash the checks that follow it).
 */

import type { Finding, PathSegment } from './ir-paths';
import { NameSuggester, quoteName, shortName } from './name-suggestions';
import type { IrComponentSpec, IrDagSpec, IrInputsSpec, IrOutputsSpec, IrPipelineSpec } from './pipeline-spec';
import { forEachCycle, type TaskCycle, type TaskDependencies } from './task-graph';

type Names = Readonly<Record<string, unknown>>;
type Components = Readonly<Record<string, IrComponentSpec>>;
/** A DAG output's selector, parameter or artifact: one check serves both. */
type Selector = { readonly producerSubtask: string; readonly outputParameterKey?: string; readonly outputArtifactKey?: string };

type Kind = 'parameter' | 'artifact';
type Report = (at: readonly PathSegment[], message: string) => void;

const has = (names: Names | undefined, name: string): boolean => names !== undefined && Object.hasOwn(names, name);

/** Checks a document the schema accepted (so it has the shapes of pipeline-spec.ts); `supportedVersion` is the one schemaVersion read. */
export function checkReferences(spec: IrPipelineSpec, supportedVersion: string): Finding[] {
  const findings: Finding[] = [];
  const report: Report = (at, message) => {
    findings.push({ at, message });
  };
  const names = new NameLists();

  if (spec.schemaVersion !== supportedVersion) {
    report(
      ['schemaVersion'],
      `must be '${supportedVersion}' (got ${quoteName(spec.schemaVersion)}); kfp-ts reads and writes PipelineSpec schema ${supportedVersion} only`,
    );
  }
  const components = spec.components ?? {};
  const executors = spec.deploymentSpec?.executors ?? {};

  for (const [name, component] of Object.entries(components)) {
    if (component.executorLabel !== undefined && !has(executors, component.executorLabel)) {
      report(
        ['components', name, 'executorLabel'],
        `executor ${quoteName(component.executorLabel)} is not defined in deploymentSpec.executors${names.suggest(component.executorLabel, executors)}`,
      );
    }
  }
  if (spec.root.dag === undefined) {
    report(['root'], "the pipeline's root component must be a DAG ('dag'), not an executor");
  }
  const owners: [PathSegment[], IrComponentSpec][] = [
    [['root'], spec.root],
    ...Object.entries(components).map(([name, c]): [PathSegment[], IrComponentSpec] => [['components', name], c]),
  ];
  for (const [at, component] of owners) {
    if (component.dag) checkDag(component, component.dag, [...at, 'dag'], components, names, report);
  }
  return findings;
}

/** Each mapping's names, listed once however many wrong references suggest from it. */
class NameLists {
  private readonly lists = new WeakMap<object, string[]>();
  private readonly suggester = new NameSuggester();

  of(names: Names): string[] {
    let list = this.lists.get(names);
    if (list === undefined) {
      list = Object.keys(names);
      this.lists.set(names, list);
    }
    return list;
  }

  suggest(name: string, names: Names): string {
    return this.suggester.suggest(name, this.of(names));
  }
}

function checkDag(
  owner: IrComponentSpec,
  dag: IrDagSpec,
  at: readonly PathSegment[],
  components: Components,
  names: NameLists,
  report: Report,
): void {
  const tasks = dag.tasks ?? {};
  if (names.of(tasks).length === 0) {
    // KFP's compiler refuses a pipeline without tasks, and a DAG with nothing to run has no outputs to give.
    report(at, "a DAG must have at least one task ('tasks' is missing or empty); give the component an executor instead, or remove it");
    return;
  }
  const outputsOf = (task: string, kind: Kind): Names | undefined => {
    if (!has(tasks, task)) return undefined;
    const componentName = tasks[task]!.componentRef.name;
    return has(components, componentName) ? (definitionsOf(components[componentName]!.outputDefinitions, kind) ?? {}) : undefined;
  };
  const checkProducer = (producerAt: PathSegment[], consumer: string | undefined, producer: string, what: string): boolean => {
    if (producer === consumer) {
      report(producerAt, `task ${quoteName(producer)} cannot depend on itself`);
      return false;
    }
    if (has(tasks, producer)) return true;
    report(producerAt, `${what} ${quoteName(producer)} is not a task of this DAG${names.suggest(producer, tasks)}`);
    return false;
  };
  const checkOutputKey = (keyAt: PathSegment[], producer: string, key: string | undefined, kind: Kind): void => {
    const outputs = outputsOf(producer, kind);
    if (key === undefined || outputs === undefined || has(outputs, key)) return;
    report(keyAt, `task ${quoteName(producer)} has no output ${kind} ${quoteName(key)}${names.suggest(key, outputs)}`);
  };
  const checkComponentInput = (refAt: PathSegment[], name: string, kind: Kind): void => {
    const inputs = definitionsOf(owner.inputDefinitions, kind) ?? {};
    if (!has(inputs, name))
      report(refAt, `${quoteName(name)} is not an input ${kind} of the enclosing component${names.suggest(name, inputs)}`);
  };

  for (const [taskName, task] of Object.entries(tasks)) {
    const taskAt = [...at, 'tasks', taskName];
    if (!has(components, task.componentRef.name)) {
      report(
        [...taskAt, 'componentRef', 'name'],
        `component ${quoteName(task.componentRef.name)} is not defined in components${names.suggest(task.componentRef.name, components)}`,
      );
    }
    (task.dependentTasks ?? []).forEach((dependency, index) => {
      checkProducer([...taskAt, 'dependentTasks', index], taskName, dependency, 'dependent task');
    });
    for (const [kind, inputs] of [
      ['parameter', task.inputs?.parameters ?? {}],
      ['artifact', task.inputs?.artifacts ?? {}],
    ] as const) {
      // Task inputs are not checked against the component's inputs: the KFP compiler adds extra ones that only
      // triggerPolicy conditions, resource placeholders or f-string arguments read.
      for (const [inputName, input] of Object.entries(inputs)) {
        const inputAt: PathSegment[] = [...taskAt, 'inputs', `${kind}s`, inputName];
        const refField = kind === 'parameter' ? 'taskOutputParameter' : 'taskOutputArtifact';
        const fromTask = Object.hasOwn(input, refField) ? input[refField] : undefined;
        if (fromTask) {
          if (checkProducer([...inputAt, refField, 'producerTask'], taskName, fromTask.producerTask, 'producer task')) {
            const keyField = kind === 'parameter' ? 'outputParameterKey' : 'outputArtifactKey';
            checkOutputKey([...inputAt, refField, keyField], fromTask.producerTask, fromTask[keyField], kind);
          }
        }
        if (Object.hasOwn(input, 'taskFinalStatus') && input.taskFinalStatus) {
          checkProducer([...inputAt, 'taskFinalStatus', 'producerTask'], taskName, input.taskFinalStatus.producerTask, 'producer task');
        }
        const inputField = kind === 'parameter' ? 'componentInputParameter' : 'componentInputArtifact';
        const fromComponent = Object.hasOwn(input, inputField) ? input[inputField] : undefined;
        if (fromComponent !== undefined) checkComponentInput([...inputAt, inputField], fromComponent, kind);
      }
    }
    const iterated = task.parameterIterator?.items.inputParameter;
    if (iterated !== undefined && !has(task.inputs?.parameters, iterated)) {
      report([...taskAt, 'parameterIterator', 'items', 'inputParameter'], `${quoteName(iterated)} is not an input parameter of this task`);
    }
    const iteratedArtifact = task.artifactIterator?.items.inputArtifact;
    if (iteratedArtifact !== undefined && !has(task.inputs?.artifacts, iteratedArtifact)) {
      report(
        [...taskAt, 'artifactIterator', 'items', 'inputArtifact'],
        `${quoteName(iteratedArtifact)} is not an input artifact of this task`,
      );
    }
  }

  const checkSelector = (selectorAt: PathSegment[], selector: Selector, kind: Kind): void => {
    if (!checkProducer([...selectorAt, 'producerSubtask'], undefined, selector.producerSubtask, 'producer subtask')) return;
    const keyField = kind === 'parameter' ? 'outputParameterKey' : 'outputArtifactKey';
    checkOutputKey([...selectorAt, keyField], selector.producerSubtask, selector[keyField], kind);
  };
  for (const [outputName, output] of Object.entries(dag.outputs?.parameters ?? {})) {
    const outputAt = [...at, 'outputs', 'parameters', outputName];
    if (output.valueFromParameter) checkSelector([...outputAt, 'valueFromParameter'], output.valueFromParameter, 'parameter');
    output.valueFromOneof?.parameterSelectors.forEach((selector, index) => {
      checkSelector([...outputAt, 'valueFromOneof', 'parameterSelectors', index], selector, 'parameter');
    });
  }
  for (const [outputName, output] of Object.entries(dag.outputs?.artifacts ?? {})) {
    output.artifactSelectors.forEach((selector, index) => {
      checkSelector([...at, 'outputs', 'artifacts', outputName, 'artifactSelectors', index], selector, 'artifact');
    });
  }
  checkAcyclic(tasks, at, report);
}

function definitionsOf(definitions: IrInputsSpec | IrOutputsSpec | undefined, kind: Kind): Names | undefined {
  return kind === 'parameter' ? definitions?.parameters : definitions?.artifacts;
}

// A cycle deadlocks the DAG at run time; one report per cycle so one mistake reads as one problem. A task
// that waits for itself is reported where it names itself, not here.
function checkAcyclic(tasks: Readonly<Record<string, TaskDependencies>>, at: readonly PathSegment[], report: Report): void {
  forEachCycle(tasks, (cycle) => {
    if (cycle.size > 1)
      report([...at, 'tasks', cycle.closedBy], `dependency cycle: ${describeCycle(cycle)} (each task waits for the next)`);
  });
}

/** `a -> b -> a`, shortened for a long cycle; reads only the names it shows, so many cycles stay cheap. */
function describeCycle(cycle: TaskCycle): string {
  const length = cycle.size + 1;
  const offsets = length <= 8 ? [...Array(length).keys()] : [0, 1, 2, 3, -1, length - 2, length - 1];
  return offsets.map((offset) => (offset < 0 ? `… ${length - 6} more` : shortName(cycle.taskAt(offset)))).join(' -> ');
}
