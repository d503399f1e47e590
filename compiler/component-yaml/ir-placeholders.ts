/**
 * Checks that the placeholders in a compiled component's command and args name inputs and outputs
 * the component declares, with the right kind (parameter or artifact). The IR schema cannot see
 * inside strings, and the backend would only fail when the task runs.
 */
import type { IrComponentSpec, IrInputsSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import { ComponentLoadError } from './component-load-error';

type Side = 'inputs' | 'outputs';
type Kind = 'parameters' | 'artifacts';

/** `{{$.inputs.parameters['x']…`, `{{$.outputs.artifacts['y']…` (the reference quotes with ', JSON text may use "). */
const ioPlaceholder = /\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\[(['"])(.*?)\3\][^}]*\}\}/g;
/** The input an IfPresent placeholder tests, in the JSON text the compiler writes for it. */
const ifPresentInput = /"InputName"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export function checkIrPlaceholders(spec: IrPipelineSpec, source: string, lineOf: (value: unknown) => number | undefined): void {
  for (const [componentName, component] of Object.entries(spec.components ?? {})) {
    const container = component.executorLabel ? spec.deploymentSpec?.executors[component.executorLabel]?.container : undefined;
    if (!container) continue;
    for (const [field, items] of [
      ['command', container.command ?? []],
      ['args', container.args ?? []],
    ] as const) {
      items.forEach((item, index) => {
        const problem = firstProblem(item, component);
        if (problem === undefined) return;
        throw new ComponentLoadError(source, `${componentName}: ${field}[${index}]: ${problem.what}`, problem.fix, lineOf(item));
      });
    }
  }
}

interface Problem {
  readonly what: string;
  readonly fix: string;
}

function firstProblem(item: string, component: IrComponentSpec): Problem | undefined {
  for (const match of item.matchAll(ioPlaceholder)) {
    const [placeholder, side, kind, , name] = match as unknown as [string, Side, Kind, string, string];
    const problem = checkName(placeholder, name, side, kind, component);
    if (problem) return problem;
  }
  for (const match of item.matchAll(ifPresentInput)) {
    const name = JSON.parse(`"${match[1]}"`) as string;
    const declared = { ...component.inputDefinitions?.parameters, ...component.inputDefinitions?.artifacts };
    if (!(name in declared)) {
      return {
        what: `IfPresent tests input '${name}', which ${describeDeclared(component.inputDefinitions, 'inputs')}`,
        fix: `name one of the component's inputs in InputName, or declare '${name}' in inputDefinitions`,
      };
    }
  }
  return undefined;
}

function checkName(placeholder: string, name: string, side: Side, kind: Kind, component: IrComponentSpec): Problem | undefined {
  const definitions = side === 'inputs' ? component.inputDefinitions : component.outputDefinitions;
  if (definitions?.[kind]?.[name] !== undefined) return undefined;
  const other: Kind = kind === 'parameters' ? 'artifacts' : 'parameters';
  const singular = side.slice(0, -1);
  if (definitions?.[other]?.[name] !== undefined) {
    return {
      what: `${placeholder} reads ${singular} '${name}' as ${a(kind)}, but it is declared as ${a(other)}`,
      fix: `write {{$.${side}.${other}['${name}']…}} instead (or declare it as ${a(kind)})`,
    };
  }
  return {
    what: `${placeholder} names ${singular} '${name}', which ${describeDeclared(definitions, side)}`,
    fix: `use one of the declared names, or declare '${name}' in ${side === 'inputs' ? 'inputDefinitions' : 'outputDefinitions'}.${kind}`,
  };
}

/** "is not declared; the valid inputs are a (parameter), b (artifact)". */
function describeDeclared(definitions: IrInputsSpec | undefined, side: Side): string {
  const names = [
    ...Object.keys(definitions?.parameters ?? {}).map((n) => `${n} (parameter)`),
    ...Object.keys(definitions?.artifacts ?? {}).map((n) => `${n} (artifact)`),
  ];
  return names.length === 0 ? `is not declared (the component has no ${side})` : `is not declared; valid ${side}: ${names.join(', ')}`;
}

function a(kind: Kind): string {
  return kind === 'parameters' ? 'a parameter' : 'an artifact';
}
