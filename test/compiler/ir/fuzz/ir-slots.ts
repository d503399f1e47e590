/**
 * Where an IR document names things: the mappings whose keys are names (tasks, components,
 * executors, inputs, outputs) and the string fields that refer to those keys. The mutator renames
 * and dangles these; the accepted-document check resolves them.
 */

/** An arbitrary, possibly mutated, document. */
type Json = any;

/** A field holding a name: `holder[field]` (a string, or an index into a list of strings). */
export interface ReferenceSlot {
  readonly holder: Json;
  readonly field: string | number;
  /** The mapping the name must be an own key of, when the document has it. */
  readonly target: Record<string, unknown> | undefined;
}

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (map: unknown, key: string): any => (isObject(map) && Object.hasOwn(map, key) ? map[key] : undefined);
const entries = (map: unknown): [string, any][] => (isObject(map) ? Object.entries(map) : []);
const items = (list: unknown): unknown[] => (Array.isArray(list) ? list : []);

/** Every component (root included) with its DAG's tasks, for both helpers below. */
function componentsWithDags(doc: Json): { component: Json; tasks: Record<string, any> | undefined }[] {
  const all = [own(doc, 'root'), ...entries(own(doc, 'components')).map(([, c]) => c)].filter(isObject);
  return all.map((component) => ({
    component,
    tasks: isObject(own(own(component, 'dag'), 'tasks')) ? own(own(component, 'dag'), 'tasks') : undefined,
  }));
}

/** The mappings whose keys are names. */
export function nameMaps(doc: Json): Record<string, any>[] {
  const maps: unknown[] = [own(doc, 'components'), own(own(doc, 'deploymentSpec'), 'executors')];
  for (const { component, tasks } of componentsWithDags(doc)) {
    maps.push(tasks);
    for (const side of ['inputDefinitions', 'outputDefinitions']) {
      maps.push(own(own(component, side), 'parameters'), own(own(component, side), 'artifacts'));
    }
    for (const [, task] of entries(tasks)) maps.push(own(own(task, 'inputs'), 'parameters'), own(own(task, 'inputs'), 'artifacts'));
  }
  return maps.filter(isObject);
}

/** Every reference to a name, with the mapping it must resolve in. */
export function referenceSlots(doc: Json): ReferenceSlot[] {
  const slots: ReferenceSlot[] = [];
  const components = own(doc, 'components');
  const executors = own(own(doc, 'deploymentSpec'), 'executors');
  const add = (holder: unknown, field: string | number, target: unknown): void => {
    if ((isObject(holder) || Array.isArray(holder)) && typeof (holder as any)[field] === 'string') {
      slots.push({ holder, field, target: isObject(target) ? target : undefined });
    }
  };
  for (const [, component] of entries(components)) add(component, 'executorLabel', executors);
  for (const { component, tasks } of componentsWithDags(doc)) {
    const outputsOf = (taskName: unknown, kind: 'parameters' | 'artifacts'): unknown => {
      const task = typeof taskName === 'string' ? own(tasks, taskName) : undefined;
      const componentName = own(own(task, 'componentRef'), 'name');
      return typeof componentName === 'string' ? (own(own(own(components, componentName), 'outputDefinitions'), kind) ?? {}) : undefined;
    };
    for (const [, task] of entries(tasks)) {
      add(own(task, 'componentRef'), 'name', components);
      const dependencies = own(task, 'dependentTasks');
      if (Array.isArray(dependencies)) dependencies.forEach((_, index) => add(dependencies, index, tasks));
      for (const [kind, inputKey, outputKey, refKey] of [
        ['parameters', 'componentInputParameter', 'outputParameterKey', 'taskOutputParameter'],
        ['artifacts', 'componentInputArtifact', 'outputArtifactKey', 'taskOutputArtifact'],
      ] as const) {
        for (const [, input] of entries(own(own(task, 'inputs'), kind))) {
          add(input, inputKey, own(own(component, 'inputDefinitions'), kind) ?? {});
          const ref = own(input, refKey);
          add(ref, 'producerTask', tasks);
          add(ref, outputKey, outputsOf(own(ref, 'producerTask'), kind));
          add(own(input, 'taskFinalStatus'), 'producerTask', tasks);
        }
      }
      add(own(own(task, 'parameterIterator'), 'items'), 'inputParameter', own(own(task, 'inputs'), 'parameters') ?? {});
      add(own(own(task, 'artifactIterator'), 'items'), 'inputArtifact', own(own(task, 'inputs'), 'artifacts') ?? {});
    }
    const outputs = own(own(component, 'dag'), 'outputs');
    for (const [, output] of entries(own(outputs, 'parameters'))) {
      const selectors = [own(output, 'valueFromParameter'), ...items(own(own(output, 'valueFromOneof'), 'parameterSelectors'))];
      for (const selector of selectors) {
        add(selector, 'producerSubtask', tasks);
        add(selector, 'outputParameterKey', outputsOf(own(selector, 'producerSubtask'), 'parameters'));
      }
    }
    for (const [, output] of entries(own(outputs, 'artifacts'))) {
      for (const selector of items(own(output, 'artifactSelectors'))) {
        add(selector, 'producerSubtask', tasks);
        add(selector, 'outputArtifactKey', outputsOf(own(selector, 'producerSubtask'), 'artifacts'));
      }
    }
  }
  return slots;
}

/** Names Object.prototype has: as plain-object keys they resolve without being defined. */
export const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const;

/** References in `doc` to a prototype name that is not an own key where it must resolve: what the validator must never accept. */
export function unownedPrototypeReferences(doc: Json): string[] {
  const found = new Set<string>();
  for (const slot of referenceSlots(doc)) {
    const name = String(slot.holder[slot.field]);
    if (name in {} && !(slot.target && Object.hasOwn(slot.target, name))) found.add(name);
  }
  return [...found];
}
