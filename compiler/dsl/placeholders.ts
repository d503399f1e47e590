import { pythonJsonDumps } from '../util/python-json';
import { DslUsageError } from './errors';
import { CallSite } from './source-location';

/**
 * Placeholders for container commands and args. Each resolves to the KFP placeholder text
 * (`{{$.inputs.parameters['x']}}`); IfPresent and Concat become the JSON strings the reference
 * compiler writes. Unlike channels, placeholders are text in the IR, so using one inside a template
 * string (`--out=${outputs.model.path}`) is allowed and gives what KFP's f-strings give.
 */

const placeholderBrand = Symbol.for('kfp-ts.placeholder');

export class Placeholder {
  readonly [placeholderBrand] = true;
  constructor(
    readonly text: string,
    /** The input this placeholder reads, for IfPresent. */
    readonly inputName?: string,
  ) {}
  toString(): string {
    return this.text;
  }
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[placeholderBrand] === true;
  }
}

/** The placeholders of one artifact input or output. */
export interface ArtifactPlaceholders {
  readonly name: string;
  readonly uri: Placeholder;
  readonly path: Placeholder;
  readonly metadata: Placeholder;
}

/** The placeholder of an output parameter: the file the container writes the value to. */
export interface OutputParameterPlaceholders {
  readonly name: string;
  readonly path: Placeholder;
}

/** IfPresent / Concat, structured until written. */
export class StructuredPlaceholder {
  constructor(readonly value: { IfPresent: IfPresentBody } | { Concat: CommandItem[] }) {}
  toString(): string {
    return pythonJsonDumps(toJsonTree(this));
  }
}

interface IfPresentBody {
  readonly InputName: string;
  readonly Then: CommandItem[];
  readonly Else?: CommandItem[];
}

/** One item of a command or args list. */
export type CommandItem = string | Placeholder | StructuredPlaceholder;

export function inputValue(name: string): Placeholder {
  return new Placeholder(`{{$.inputs.parameters['${name}']}}`, name);
}

export function inputArtifact(name: string): ArtifactPlaceholders {
  const base = `{{$.inputs.artifacts['${name}']`;
  return {
    name,
    uri: new Placeholder(`${base}.uri}}`, name),
    path: new Placeholder(`${base}.path}}`, name),
    metadata: new Placeholder(`${base}.metadata}}`, name),
  };
}

/** A list-of-artifacts input as a whole (the launcher passes the list). */
export function inputArtifactList(name: string): Placeholder {
  return new Placeholder(`{{$.inputs.artifacts['${name}']}}`, name);
}

export function outputArtifact(name: string): ArtifactPlaceholders {
  const base = `{{$.outputs.artifacts['${name}']`;
  return {
    name,
    uri: new Placeholder(`${base}.uri}}`),
    path: new Placeholder(`${base}.path}}`),
    metadata: new Placeholder(`${base}.metadata}}`),
  };
}

export function outputParameter(name: string): OutputParameterPlaceholders {
  return { name, path: new Placeholder(`{{$.outputs.parameters['${name}'].output_file}}`) };
}

/** The whole ExecutorInput JSON, as the KFP launcher passes it (`{{$}}`). */
export const executorInput = new Placeholder('{{$}}');

/** Run-time facts of the pipeline job and task, usable in commands and as task arguments. */
export const pipelineJob = {
  name: '{{$.pipeline_job_name}}',
  resourceName: '{{$.pipeline_job_resource_name}}',
  id: '{{$.pipeline_job_uuid}}',
  createTime: '{{$.pipeline_job_create_time_utc}}',
  scheduleTime: '{{$.pipeline_job_schedule_time_utc}}',
  pipelineRoot: '{{$.pipeline_root}}',
  taskName: '{{$.pipeline_task_name}}',
  taskId: '{{$.pipeline_task_uuid}}',
} as const;

/** Items used only when the (optional) input was given a value; `otherwise` when it was not. */
export function ifPresent(
  input: Placeholder | ArtifactPlaceholders,
  then: readonly CommandItem[],
  otherwise?: readonly CommandItem[],
): StructuredPlaceholder {
  const inputName = input instanceof Placeholder ? input.inputName : input.name;
  if (inputName === undefined) {
    throw new DslUsageError(
      `ifPresent() needs an input placeholder, not '${String(input)}'`,
      'pass an input of the component, e.g. ifPresent(inputs.x, [...])',
      new CallSite().location,
    );
  }
  return new StructuredPlaceholder({
    IfPresent: { InputName: inputName, Then: [...then], ...(otherwise ? { Else: [...otherwise] } : {}) },
  });
}

/** The items joined into one string at run time. */
export function concat(...items: CommandItem[]): StructuredPlaceholder {
  return new StructuredPlaceholder({ Concat: items });
}

type JsonTree = string | JsonTree[] | { [key: string]: JsonTree };

/** Nested structured placeholders stay objects; simple placeholders become their text. */
function toJsonTree(item: CommandItem | CommandItem[] | IfPresentBody): JsonTree {
  if (typeof item === 'string') return item;
  if (item instanceof Placeholder) return item.text;
  if (Array.isArray(item)) return item.map((i) => toJsonTree(i));
  if (item instanceof StructuredPlaceholder) {
    return Object.fromEntries(Object.entries(item.value).map(([k, v]) => [k, toJsonTree(v)]));
  }
  return Object.fromEntries(
    Object.entries(item)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toJsonTree(v as CommandItem[] | string)]),
  );
}

/** The IR text of a command item. */
export function commandItemText(item: CommandItem): string {
  return typeof item === 'string' ? item : item.toString();
}
