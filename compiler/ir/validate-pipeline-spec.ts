import type { ErrorObject } from 'ajv';
import { schemaValidator } from './schema-validator';

/** One thing wrong with an IR document. `path` is a readable JSON path (`root.dag.tasks['train-model'].componentRef.name`); '' is the document itself. */
export interface IrProblem {
  readonly path: string;
  readonly message: string;
}

/** The only PipelineSpec schema version kfp-ts emits and checks. */
export const SUPPORTED_SCHEMA_VERSION = '2.1.0';

/** Thrown by {@link assertValidPipelineSpec}; carries every problem, not just the first. */
export class InvalidIrError extends Error {
  override readonly name = 'InvalidIrError';

  constructor(
    readonly what: string,
    readonly problems: readonly IrProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${p.path === '' ? '(document)' : p.path}: ${p.message}`);
    super(`${what} is not a valid PipelineSpec (${count}):\n${lines.join('\n')}`);
  }
}

/** Checks `doc` (a parsed PipelineSpec in protobuf JSON form) against the schema, then its internal references. Returns [] when valid. */
export function validatePipelineSpec(doc: unknown): IrProblem[] {
  const validate = schemaValidator();
  // Reference checks rely on the shape the schema guarantees, so they run only once it passes.
  const findings = validate(doc) ? checkReferences(doc as IrSpec) : describeSchemaErrors(doc, validate.errors ?? []);
  return inDocumentOrder(doc, findings).map((f) => ({ path: formatPath(f.at), message: f.message }));
}

export function assertValidPipelineSpec(doc: unknown, what: string): void {
  const problems = validatePipelineSpec(doc);
  if (problems.length > 0) throw new InvalidIrError(what, problems);
}

// ---------------------------------------------------------------------------------------------------------------
// Paths

type PathSegment = string | number;

/** A problem before its path is formatted: the segments also give its position in the document. */
interface Finding {
  readonly at: readonly PathSegment[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Sorts findings the way a reader meets them in the file (ajv reports in schema order); ties keep their order. */
function inDocumentOrder(doc: unknown, findings: readonly Finding[]): Finding[] {
  const position = (at: readonly PathSegment[]): number[] => {
    const indexes: number[] = [];
    let node: unknown = doc;
    for (const segment of at) {
      if (Array.isArray(node)) {
        indexes.push(Number(segment));
        node = node[Number(segment)];
      } else if (isRecord(node)) {
        const index = Object.keys(node).indexOf(String(segment));
        indexes.push(index < 0 ? Number.MAX_SAFE_INTEGER : index);
        node = node[String(segment)];
      }
    }
    return indexes;
  };
  const keyed = findings.map((finding) => ({ finding, key: position(finding.at) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
      if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    }
    return a.key.length - b.key.length;
  });
  return keyed.map((k) => k.finding);
}

/** JSON pointer (ajv's instancePath) to segments; array indexes become numbers so they print as `[0]`. */
function pointerSegments(doc: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return segments;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema errors to plain English

interface SchemaNode {
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly SchemaNode[];
}

function describeSchemaErrors(doc: unknown, errors: readonly ErrorObject[]): Finding[] {
  const relevant = withoutNoise(errors);
  const unknownFieldsAt = new Map<string, string[]>();
  for (const error of relevant) {
    if (error.keyword !== 'additionalProperties') continue;
    const names = unknownFieldsAt.get(error.instancePath) ?? [];
    names.push(String(error.params['additionalProperty']));
    unknownFieldsAt.set(error.instancePath, names);
  }
  // A misspelt field also shows up as a missing one; the unknown-field message already names the intended field.
  const explainedByTypo = (instancePath: string, missing: readonly string[]): boolean =>
    (unknownFieldsAt.get(instancePath) ?? []).some((unknown) => missing.some((name) => isLikelyMeant(unknown, name)));

  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of relevant) {
    const finding = describeError(error, pointerSegments(doc, error.instancePath), explainedByTypo);
    if (!finding) continue;
    const key = `${formatPath(finding.at)}\u0000${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

/**
 * Drops errors that only restate another: the per-branch `required` failures under an anyOf (the anyOf error says
 * it once), and everything else reported at a value whose type is already wrong.
 */
function withoutNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const wrongTypeAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors.filter((error) => {
    if (anyOfPaths.some((prefix) => error.schemaPath.startsWith(prefix))) return false;
    if (wrongTypeAt.has(error.instancePath) && error.keyword !== 'type') return false;
    return true;
  });
}

function describeError(
  error: ErrorObject,
  at: readonly PathSegment[],
  explainedByTypo: (instancePath: string, missing: readonly string[]) => boolean,
): Finding | undefined {
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params['additionalProperty']);
      const known = Object.keys(parent.properties ?? {}).sort();
      return { at: [...at, field], message: unknownFieldMessage(field, known) };
    }
    case 'required': {
      const field = String(error.params['missingProperty']);
      if (explainedByTypo(error.instancePath, [field])) return undefined;
      return { at, message: `missing required field '${field}'` };
    }
    case 'anyOf': {
      const options = (parent.anyOf ?? []).flatMap((branch) => branch.required ?? []);
      if (explainedByTypo(error.instancePath, options)) return undefined;
      return { at, message: `must set one of ${quotedList(options, 'or')}${oneofSuffix(parent)}` };
    }
    case 'not': {
      const members = uniqueRequiredNames(error.schema as SchemaNode);
      const present = members.filter((name) => isRecord(error.data) && name in error.data);
      return {
        at,
        message: `${quotedList(present, 'and')} are alternatives${oneofSuffix(parent)}; set only one of them`,
      };
    }
    case 'type': {
      const expected = parent.description ?? expectedTypes(error.params['type']);
      return { at, message: `must be ${expected} (got ${describeValue(error.data)})` };
    }
    case 'pattern':
    case 'minimum':
    case 'maximum': {
      const expected = parent.description ?? `a value matching ${String(error.schema)}`;
      return { at, message: `must be ${expected} (got ${describeValue(error.data)})` };
    }
    case 'enum':
      return { at, message: enumMessage(error.schema as readonly unknown[], error.data) };
    case 'minLength':
      return { at, message: 'must not be an empty string' };
    case 'minItems':
      return { at, message: 'must not be an empty list' };
    default:
      return { at, message: error.message ?? `fails the '${error.keyword}' rule` };
  }
}

function unknownFieldMessage(field: string, known: readonly string[]): string {
  const camel = field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (camel !== field && known.includes(camel)) {
    return (
      `unknown field '${field}': write the lowerCamelCase name '${camel}' ` +
      `(kfp-ts reads protobuf JSON names only; snake_case proto names are not accepted)`
    );
  }
  const list = known.length > 0 ? `known fields: ${known.join(', ')}` : 'this message has no fields';
  const meant = closestMatch(field, known);
  return meant ? `unknown field '${field}' (a typo of '${meant}'? ${list})` : `unknown field '${field}' (${list})`;
}

function enumMessage(allowed: readonly unknown[], actual: unknown): string {
  const names = allowed.map(String);
  const meant = typeof actual === 'string' ? closestMatch(actual, names) ?? onlyContaining(actual, names) : undefined;
  const hint = meant ? `; did you mean '${meant}'?` : '';
  return `must be one of ${names.join(', ')} (got ${describeValue(actual)}${hint})`;
}

function oneofSuffix(group: SchemaNode): string {
  const name = /^oneof (\S+)$/.exec(group.title ?? '')?.[1];
  return name ? ` (protobuf oneof '${name}')` : '';
}

function uniqueRequiredNames(schema: SchemaNode): string[] {
  const names = [...(schema.required ?? []), ...(schema.anyOf ?? []).flatMap((branch) => branch.required ?? [])];
  return [...new Set(names)];
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function expectedTypes(types: unknown): string {
  const list = Array.isArray(types) ? types.map(String) : String(types).split(',');
  return list.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `${typeof value} ${String(value)}`;
}

function quotedList(names: readonly string[], conjunction: 'and' | 'or'): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Names: typo suggestions

function isLikelyMeant(written: string, intended: string): boolean {
  const camel = written.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return camel === intended || isClose(written, intended);
}

function isClose(a: string, b: string): boolean {
  const distance = editDistance(a.toLowerCase(), b.toLowerCase());
  return distance <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
}

function closestMatch(written: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (!isClose(written, candidate)) continue;
    const distance = editDistance(written.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** 'INTEGER' for NUMBER_INTEGER: enum names often add a prefix to the word people write. */
function onlyContaining(written: string, candidates: readonly string[]): string | undefined {
  if (written.length < 3) return undefined;
  const containing = candidates.filter((c) => c.toLowerCase().includes(written.toLowerCase()));
  return containing.length === 1 ? containing[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// References the proto cannot express

interface IrSpec {
  readonly schemaVersion: string;
  readonly components?: Readonly<Record<string, IrComponent>>;
  readonly deploymentSpec?: { readonly executors?: Readonly<Record<string, unknown>> };
  readonly root: IrComponent;
}

interface IrDefinitions {
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly artifacts?: Readonly<Record<string, unknown>>;
}

interface IrComponent {
  readonly inputDefinitions?: IrDefinitions;
  readonly outputDefinitions?: IrDefinitions;
  readonly dag?: IrDag;
  readonly executorLabel?: string;
}

interface IrSelector {
  readonly producerSubtask: string;
  readonly outputParameterKey?: string;
  readonly outputArtifactKey?: string;
}

interface IrDag {
  readonly tasks?: Readonly<Record<string, IrTask>>;
  readonly outputs?: {
    readonly parameters?: Readonly<
      Record<string, { readonly valueFromParameter?: IrSelector; readonly valueFromOneof?: { readonly parameterSelectors: readonly IrSelector[] } }>
    >;
    readonly artifacts?: Readonly<Record<string, { readonly artifactSelectors: readonly IrSelector[] }>>;
  };
}

interface IrTaskOutputRef {
  readonly producerTask: string;
  readonly outputParameterKey?: string;
  readonly outputArtifactKey?: string;
}

interface IrTask {
  readonly componentRef: { readonly name: string };
  readonly dependentTasks?: readonly string[];
  readonly inputs?: {
    readonly parameters?: Readonly<
      Record<
        string,
        {
          readonly componentInputParameter?: string;
          readonly taskOutputParameter?: IrTaskOutputRef;
          readonly taskFinalStatus?: { readonly producerTask: string };
        }
      >
    >;
    readonly artifacts?: Readonly<Record<string, { readonly componentInputArtifact?: string; readonly taskOutputArtifact?: IrTaskOutputRef }>>;
  };
  readonly parameterIterator?: { readonly items: { readonly inputParameter?: string }; readonly itemInput: string };
  readonly artifactIterator?: { readonly items: { readonly inputArtifact: string }; readonly itemInput: string };
}

type Kind = 'parameter' | 'artifact';

function checkReferences(spec: IrSpec): Finding[] {
  const findings: Finding[] = [];
  const report = (at: readonly PathSegment[], message: string): void => {
    findings.push({ at, message });
  };

  if (spec.schemaVersion !== SUPPORTED_SCHEMA_VERSION) {
    report(['schemaVersion'], `must be '${SUPPORTED_SCHEMA_VERSION}' (got '${spec.schemaVersion}'); kfp-ts reads and writes PipelineSpec schema ${SUPPORTED_SCHEMA_VERSION} only`);
  }
  const components = spec.components ?? {};
  const executors = spec.deploymentSpec?.executors ?? {};

  for (const [name, component] of Object.entries(components)) {
    if (component.executorLabel !== undefined && !(component.executorLabel in executors)) {
      report(['components', name, 'executorLabel'], `executor '${component.executorLabel}' is not defined in deploymentSpec.executors${suggest(component.executorLabel, Object.keys(executors))}`);
    }
  }
  if (spec.root.dag === undefined) {
    report(['root'], "the pipeline's root component must be a DAG ('dag'), not an executor");
  }
  const owners: [PathSegment[], IrComponent][] = [[['root'], spec.root], ...Object.entries(components).map(([name, c]): [PathSegment[], IrComponent] => [['components', name], c])];
  for (const [at, component] of owners) {
    if (component.dag) checkDag(component, component.dag, [...at, 'dag'], components, report);
  }
  return findings;
}

function checkDag(
  owner: IrComponent,
  dag: IrDag,
  at: readonly PathSegment[],
  components: Readonly<Record<string, IrComponent>>,
  report: (at: readonly PathSegment[], message: string) => void,
): void {
  const tasks = dag.tasks ?? {};
  const taskNames = Object.keys(tasks);
  const outputsOf = (task: string, kind: Kind): Readonly<Record<string, unknown>> | undefined => {
    const component = components[tasks[task]?.componentRef.name ?? ''];
    return component ? definitionsOf(component.outputDefinitions, kind) : undefined;
  };
  const checkProducer = (producerAt: PathSegment[], consumer: string | undefined, producer: string, what: string): boolean => {
    if (producer === consumer) {
      report(producerAt, `task '${producer}' cannot depend on itself`);
      return false;
    }
    if (producer in tasks) return true;
    report(producerAt, `${what} '${producer}' is not a task of this DAG${suggest(producer, taskNames)}`);
    return false;
  };
  const checkOutputKey = (keyAt: PathSegment[], producer: string, key: string | undefined, kind: Kind): void => {
    const outputs = outputsOf(producer, kind);
    if (key === undefined || outputs === undefined || key in outputs) return;
    report(keyAt, `task '${producer}' has no output ${kind} '${key}'${suggest(key, Object.keys(outputs))}`);
  };
  const checkComponentInput = (refAt: PathSegment[], name: string, kind: Kind): void => {
    const inputs = definitionsOf(owner.inputDefinitions, kind) ?? {};
    if (!(name in inputs)) report(refAt, `'${name}' is not an input ${kind} of the enclosing component${suggest(name, Object.keys(inputs))}`);
  };

  for (const [taskName, task] of Object.entries(tasks)) {
    const taskAt = [...at, 'tasks', taskName];
    if (!(task.componentRef.name in components)) {
      report([...taskAt, 'componentRef', 'name'], `component '${task.componentRef.name}' is not defined in components${suggest(task.componentRef.name, Object.keys(components))}`);
    }
    (task.dependentTasks ?? []).forEach((dependency, index) => {
      checkProducer([...taskAt, 'dependentTasks', index], taskName, dependency, 'dependent task');
    });
    for (const [kind, inputs] of [['parameter', task.inputs?.parameters ?? {}], ['artifact', task.inputs?.artifacts ?? {}]] as const) {
      // Task inputs are not checked against the component's inputs: the KFP compiler adds extra ones that only
      // triggerPolicy conditions, resource placeholders or f-string arguments read.
      for (const [inputName, input] of Object.entries(inputs)) {
        const inputAt: PathSegment[] = [...taskAt, 'inputs', `${kind}s`, inputName];
        const fromTask = 'taskOutputParameter' in input ? input.taskOutputParameter : 'taskOutputArtifact' in input ? input.taskOutputArtifact : undefined;
        if (fromTask) {
          const refField = kind === 'parameter' ? 'taskOutputParameter' : 'taskOutputArtifact';
          if (checkProducer([...inputAt, refField, 'producerTask'], taskName, fromTask.producerTask, 'producer task')) {
            const keyField = kind === 'parameter' ? 'outputParameterKey' : 'outputArtifactKey';
            checkOutputKey([...inputAt, refField, keyField], fromTask.producerTask, fromTask[keyField], kind);
          }
        }
        if ('taskFinalStatus' in input && input.taskFinalStatus) {
          checkProducer([...inputAt, 'taskFinalStatus', 'producerTask'], taskName, input.taskFinalStatus.producerTask, 'producer task');
        }
        const fromComponent = 'componentInputParameter' in input ? input.componentInputParameter : 'componentInputArtifact' in input ? input.componentInputArtifact : undefined;
        if (fromComponent !== undefined) {
          checkComponentInput([...inputAt, kind === 'parameter' ? 'componentInputParameter' : 'componentInputArtifact'], fromComponent, kind);
        }
      }
    }
    const iterated = task.parameterIterator?.items.inputParameter;
    if (iterated !== undefined && !(iterated in (task.inputs?.parameters ?? {}))) {
      report([...taskAt, 'parameterIterator', 'items', 'inputParameter'], `'${iterated}' is not an input parameter of this task`);
    }
    const iteratedArtifact = task.artifactIterator?.items.inputArtifact;
    if (iteratedArtifact !== undefined && !(iteratedArtifact in (task.inputs?.artifacts ?? {}))) {
      report([...taskAt, 'artifactIterator', 'items', 'inputArtifact'], `'${iteratedArtifact}' is not an input artifact of this task`);
    }
  }

  const checkSelector = (selectorAt: PathSegment[], selector: IrSelector, kind: Kind): void => {
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

function definitionsOf(definitions: IrDefinitions | undefined, kind: Kind): Readonly<Record<string, unknown>> | undefined {
  return kind === 'parameter' ? definitions?.parameters : definitions?.artifacts;
}

/** Upstream tasks: explicit dependencies plus every task whose output (or final status) this one reads. */
function upstreamOf(task: IrTask): string[] {
  const upstream = new Set(task.dependentTasks ?? []);
  for (const input of Object.values(task.inputs?.parameters ?? {})) {
    const producer = input.taskOutputParameter?.producerTask ?? input.taskFinalStatus?.producerTask;
    if (producer !== undefined) upstream.add(producer);
  }
  for (const input of Object.values(task.inputs?.artifacts ?? {})) {
    if (input.taskOutputArtifact) upstream.add(input.taskOutputArtifact.producerTask);
  }
  return [...upstream];
}

// A cycle deadlocks the DAG at run time; report one task per cycle so one mistake reads as one problem.
function checkAcyclic(
  tasks: Readonly<Record<string, IrTask>>,
  at: readonly PathSegment[],
  report: (at: readonly PathSegment[], message: string) => void,
): void {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of Object.keys(tasks)) {
    if (state.has(start)) continue;
    // Depth-first with an explicit stack: a chain of thousands of tasks must not exhaust the call stack.
    const stack = [{ name: start, upstream: upstreamOf(tasks[start]!), next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next === frame.upstream.length) {
        state.set(frame.name, 'done');
        stack.pop();
        continue;
      }
      const upstream = frame.upstream[frame.next++]!;
      if (!(upstream in tasks) || upstream === frame.name) continue;
      const seen = state.get(upstream);
      if (seen === 'visiting') {
        const trail = stack.map((f) => f.name);
        const cycle = [...trail.slice(trail.indexOf(upstream)), upstream];
        const shown = cycle.length <= 8 ? cycle : [...cycle.slice(0, 4), `… ${cycle.length - 6} more`, ...cycle.slice(-2)];
        report([...at, 'tasks', frame.name], `dependency cycle: ${shown.join(' -> ')} (each task waits for the next)`);
      } else if (seen === undefined) {
        state.set(upstream, 'visiting');
        stack.push({ name: upstream, upstream: upstreamOf(tasks[upstream]!), next: 0 });
      }
    }
  }
}

function suggest(name: string, candidates: readonly string[]): string {
  const meant = closestMatch(name, candidates);
  if (meant) return ` (did you mean '${meant}'?)`;
  if (candidates.length === 0) return ' (there are none)';
  const shown = candidates.slice(0, 8).map((c) => `'${c}'`).join(', ');
  return ` (known: ${shown}${candidates.length > 8 ? `, … ${candidates.length - 8} more` : ''})`;
}
